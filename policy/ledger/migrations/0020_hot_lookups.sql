-- Lookups that ran as scans growing with the ledger:
-- what incoming mail caused the owner today, asked for every owner message;
CREATE INDEX cap_log_day_key ON cap_log(day, cap_key);
-- the invoices a payer already paid, asked for every credit imported.
CREATE INDEX credits_match_iban ON credits(match, payer_iban);
