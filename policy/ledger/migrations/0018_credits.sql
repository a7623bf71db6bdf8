-- Money that came into the account (bank.Credit), each recorded once by its
-- reference whatever statements overlap, with what the bot made of it:
-- match 'paid' (a certain match, the invoices marked paid), 'probable' (the
-- owner decides), 'none'; invoices are the ids concerned, comma-separated.
CREATE TABLE credits (
	id           INTEGER PRIMARY KEY,
	ref          TEXT NOT NULL UNIQUE,
	booking_date TEXT NOT NULL,
	value_date   TEXT NOT NULL,
	amount       TEXT NOT NULL,
	currency     TEXT NOT NULL,
	payer        TEXT NOT NULL,
	payer_iban   TEXT NOT NULL,
	remittance   TEXT NOT NULL,
	source       TEXT NOT NULL,
	imported_at  TEXT NOT NULL,
	match        TEXT NOT NULL DEFAULT 'none',
	invoices     TEXT NOT NULL DEFAULT '',
	why          TEXT NOT NULL DEFAULT ''
);
