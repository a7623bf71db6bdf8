-- The per-recipient cap: every capped message counted on its day, and the
-- messages to the owner held back by the cap until a digest carries them.
CREATE TABLE cap_log (
	message_id TEXT PRIMARY KEY, -- the outbox message it counts (or will count)
	cap_key    TEXT NOT NULL,    -- who the cap is for: "client:ADDR" or "owner:SENDER"
	day        TEXT NOT NULL     -- YYYY-MM-DD in the business's time zone
) WITHOUT ROWID;
CREATE INDEX cap_log_key_day ON cap_log(cap_key, day);

CREATE TABLE held (
	id         INTEGER PRIMARY KEY,
	message_id TEXT NOT NULL UNIQUE, -- the Message-ID the held message would have had
	cap_key    TEXT NOT NULL,
	invoice_id INTEGER REFERENCES invoices(id),
	template   TEXT NOT NULL,
	sender     TEXT NOT NULL,
	subject    TEXT NOT NULL,
	reading    TEXT NOT NULL,        -- how the bot read the mail (a reply kind, "unverified"…)
	held_at    TEXT NOT NULL,
	digest_id  TEXT                  -- the digest that carried it; NULL while held
);
CREATE INDEX held_waiting ON held(cap_key) WHERE digest_id IS NULL;
