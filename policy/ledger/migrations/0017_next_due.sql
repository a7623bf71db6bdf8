-- When each invoice's next scheduled step is due (policy.Next's instant), so
-- that a pass reads only the invoices with something due instead of deciding
-- every open one. '': not known, decide it (a new or changed invoice);
-- '9999-12-31T00:00:00.000Z': nothing is scheduled until something changes it.
-- It is a hint, never a decision: every change to an invoice, to a client's
-- settings or to an outbox row's fate clears it, and the tick decides again.
ALTER TABLE invoices ADD COLUMN next_due TEXT NOT NULL DEFAULT '';
CREATE INDEX invoices_next_due ON invoices(next_due) WHERE state NOT IN ('paid', 'written_off');

-- What the hints were computed under: the schedule's settings and rules
-- (basis, a fingerprint the engine gives) and the latest clock reading any
-- hint was computed at. Another basis, or a clock that went back, clears them.
CREATE TABLE schedule_hints (
	id     INTEGER PRIMARY KEY CHECK (id = 1),
	basis  TEXT NOT NULL,
	latest TEXT NOT NULL
);
