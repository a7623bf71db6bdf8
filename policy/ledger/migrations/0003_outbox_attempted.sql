-- Exactly-once sending. attempted_at is committed just before the message is
-- handed to the SMTP server; a row with attempted_at set and sent_at NULL is
-- "in doubt": the server may have accepted it before the bot could record
-- that. The engine waits for the bot's own copy (its address is an extra
-- envelope recipient) before sending such a row again.
ALTER TABLE outbox ADD COLUMN attempted_at TEXT;
