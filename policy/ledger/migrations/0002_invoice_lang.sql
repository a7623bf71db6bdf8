-- policy.Invoice.Lang: the language the invoice was written in.
ALTER TABLE invoices ADD COLUMN lang TEXT NOT NULL DEFAULT '';
