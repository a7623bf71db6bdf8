-- What the owner's closing commands (paid, write off, stop) changed, so that
-- "annulla"/"undo" can put the invoice back within a week.
CREATE TABLE command_undo (
	id         INTEGER PRIMARY KEY,
	invoice_id INTEGER NOT NULL REFERENCES invoices(id),
	at         TEXT NOT NULL,
	verb       TEXT NOT NULL,
	before     TEXT NOT NULL, -- the invoice before the command, JSON
	undone_at  TEXT
);
CREATE INDEX command_undo_invoice ON command_undo(invoice_id, id);
