-- The domain of each contact address, indexed: whether a sender's domain is
-- a client's is one lookup (KnowsDomain), not a scan of every contact.
-- The expression is the one KnowsDomain's query writes, so SQLite uses it.
CREATE INDEX contacts_domain ON contacts(substr(email, instr(email, '@') + 1));
