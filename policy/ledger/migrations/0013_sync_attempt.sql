-- The message the bot began to handle and has not finished: set in its own
-- transaction before parsers of outside input (PDF, XML, ZIP, p7m) run on
-- it, cleared by the transaction that records the message. A message still
-- marked when the next pass starts made the process die or hang: it is
-- recorded as poisoned and skipped.
ALTER TABLE sync_state ADD COLUMN attempt_validity INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_state ADD COLUMN attempt_uid INTEGER NOT NULL DEFAULT 0;
-- how many passes began that message: a kill at a random moment is retried,
-- a message that stops the process again and again is not
ALTER TABLE sync_state ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
