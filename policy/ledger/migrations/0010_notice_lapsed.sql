-- policy.Invoice.NoticeLapsedAt: when the owner was told that the formal
-- notice's term ran out unpaid (once per notice).
ALTER TABLE invoices ADD COLUMN notice_lapsed_at TEXT;
