-- What the owner's commands by email record.
-- policy.Invoice.PaidAmount: money received so far ("pagata in parte"); money is TEXT with two decimals.
ALTER TABLE invoices ADD COLUMN paid_amount TEXT NOT NULL DEFAULT '0.00';
-- policy.Invoice.SettleAmount and SettleBy: a settlement offer ("stralcio 600") and its deadline.
ALTER TABLE invoices ADD COLUMN settle_amount TEXT NOT NULL DEFAULT '0.00';
ALTER TABLE invoices ADD COLUMN settle_by TEXT;
-- policy.Invoice.NoticeAt: when the owner last had the formal notice sent.
ALTER TABLE invoices ADD COLUMN notice_at TEXT;

-- The account an outbox row is sent through: '' the bot's [smtp], 'pec' the [pec] account.
ALTER TABLE outbox ADD COLUMN account TEXT NOT NULL DEFAULT '';

-- Client settings the owner gave by email ("tolleranza 5", "lingua en",
-- "giorni di pagamento 10 25", "escludi"), one row per client address.
-- NULL means never set by email: the configuration file's [clients] value applies.
CREATE TABLE client_settings (
	address        TEXT PRIMARY KEY, -- lower-case
	language       TEXT,
	tolerance_days INTEGER,
	payment_days   TEXT,             -- days of the month separated by ','; '' means none
	exclude        INTEGER,
	updated_at     TEXT NOT NULL
);
