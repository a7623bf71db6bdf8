-- Invoice numbers a word-by-word lookup cannot find (they hold a space, a
-- dot…): few, listed through this partial index instead of a scan of every
-- invoice for every reply (Tx.InvoicesWithSpacedNumbers).
CREATE INDEX invoices_spaced_number ON invoices(id) WHERE number GLOB '*[^A-Za-z0-9/-]*';
