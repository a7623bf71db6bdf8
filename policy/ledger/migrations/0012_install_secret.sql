-- A secret of this installation, made once with the ledger (which is 0600):
-- keyed into every Message-ID the bot writes, so that nobody who knows the
-- invoice's row and the template can compute the ID of a reminder and
-- answer "under" it, and two installations never share IDs.
CREATE TABLE install (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	secret BLOB NOT NULL CHECK (length(secret) = 32)
);
INSERT INTO install (id, secret) VALUES (1, randomblob(32));
