-- policy.Invoice.ClientName and ClientVAT: the client's name and VAT number
-- (or codice fiscale) as the invoice gives them or the owner set them.
ALTER TABLE invoices ADD COLUMN client_name TEXT NOT NULL DEFAULT '';
ALTER TABLE invoices ADD COLUMN client_vat TEXT NOT NULL DEFAULT '';
