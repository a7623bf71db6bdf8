-- Exactly one copy in the Sent folder. append_attempted_at is committed just
-- before the copy of a sent row is handed to the IMAP server; a row with it
-- set and appended_at NULL may already be in the folder (the process died
-- after the server stored it), so the engine searches the folder for its
-- Message-ID before appending it again.
ALTER TABLE outbox ADD COLUMN append_attempted_at TEXT;
-- Rows an older version sent: those appended were attempted when appended;
-- those sent and not appended may have been cut off mid-append, so they are
-- looked for in the folder before their copy goes there.
UPDATE outbox SET append_attempted_at = coalesce(appended_at, sent_at) WHERE sent_at IS NOT NULL;
