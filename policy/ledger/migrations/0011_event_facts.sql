-- The facts an event names, as data rather than only inside its reason's
-- words: the money it recorded as received, the date it names (a promised
-- date), the address it names (one that bounced). Views read these instead
-- of parsing the reason.
ALTER TABLE events ADD COLUMN amount TEXT;
ALTER TABLE events ADD COLUMN on_date TEXT;
ALTER TABLE events ADD COLUMN address TEXT NOT NULL DEFAULT '';

-- Events written before this migration carry those facts only in their
-- reasons, as the engine wrote them: "owner: 600.00 received…",
-- "…, promised 2026-12-04…", "…delivery to x@y failed…". The log is
-- append-only; the backfill lifts the guard for this one statement.
DROP TRIGGER events_no_update;
UPDATE events SET amount = substr(reason, 8, instr(reason, ' received') - 8)
	WHERE kind = 'command:partly_paid' AND reason LIKE 'owner: % received%';
UPDATE events SET on_date = substr(reason, instr(reason, ', promised ') + 11, 10)
	WHERE kind = 'reply:promise' AND instr(reason, ', promised ') > 0;
UPDATE events SET address = substr(reason, instr(reason, 'delivery to ') + 12,
		instr(substr(reason, instr(reason, 'delivery to ') + 12), ' failed') - 1)
	WHERE kind = 'reply:bounce' AND instr(reason, 'delivery to ') > 0
	AND instr(substr(reason, instr(reason, 'delivery to ') + 12), ' failed') > 0;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
