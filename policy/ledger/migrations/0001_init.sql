-- The ledger's first schema. Conventions, kept by every table:
--   calendar dates are TEXT 'YYYY-MM-DD';
--   instants are TEXT RFC 3339 in UTC with milliseconds ('2006-01-02T15:04:05.000Z'),
--   fixed width so that text order is time order; NULL means "none";
--   money is TEXT with two decimals; never REAL.
--   e-mail addresses used for matching are stored lower-case.

CREATE TABLE invoices (
	id              INTEGER PRIMARY KEY,
	number          TEXT NOT NULL,
	client          TEXT NOT NULL,
	issue_date      TEXT,
	due_date        TEXT,
	amount          TEXT NOT NULL,
	currency        TEXT NOT NULL,
	state           TEXT NOT NULL,
	stage           INTEGER NOT NULL,
	courtesy_sent   INTEGER NOT NULL,
	anchor          TEXT,
	last_stage_at   TEXT,
	pause_until     TEXT,
	promised_date   TEXT,
	promises_broken INTEGER NOT NULL,
	cite_promise    INTEGER NOT NULL,
	created_at      TEXT NOT NULL,
	updated_at      TEXT NOT NULL
);
CREATE INDEX invoices_number ON invoices(number);
CREATE INDEX invoices_state ON invoices(state);

-- The invoice mail itself, kept to thread reminders under it and to send it again.
CREATE TABLE invoice_sources (
	invoice_id INTEGER PRIMARY KEY REFERENCES invoices(id),
	message_id TEXT NOT NULL,
	hash       TEXT NOT NULL,
	subject    TEXT NOT NULL,
	raw        BLOB
);
CREATE UNIQUE INDEX invoice_sources_message_id ON invoice_sources(message_id) WHERE message_id <> '';
CREATE UNIQUE INDEX invoice_sources_hash ON invoice_sources(hash) WHERE message_id = '' AND hash <> '';

CREATE TABLE attachments (
	id           INTEGER PRIMARY KEY,
	invoice_id   INTEGER NOT NULL REFERENCES invoices(id),
	filename     TEXT NOT NULL,
	content_type TEXT NOT NULL,
	data         BLOB NOT NULL
);
CREATE INDEX attachments_invoice ON attachments(invoice_id);

-- Client addresses of each invoice.
CREATE TABLE contacts (
	id         INTEGER PRIMARY KEY,
	invoice_id INTEGER NOT NULL REFERENCES invoices(id),
	email      TEXT NOT NULL,
	note       TEXT NOT NULL,
	intake     INTEGER NOT NULL,
	created_at TEXT NOT NULL,
	UNIQUE (invoice_id, email)
);
CREATE INDEX contacts_email ON contacts(email);

-- Every message in and out.
CREATE TABLE messages (
	id           INTEGER PRIMARY KEY,
	direction    TEXT NOT NULL CHECK (direction IN ('in', 'out')),
	message_id   TEXT NOT NULL,
	hash         TEXT NOT NULL,
	invoice_id   INTEGER REFERENCES invoices(id),
	from_addr    TEXT NOT NULL,
	to_addrs     TEXT NOT NULL, -- lower-case, separated by ', '
	subject      TEXT NOT NULL,
	date         TEXT,
	kind         TEXT NOT NULL,
	folder       TEXT NOT NULL,
	uid          INTEGER NOT NULL,
	uid_validity INTEGER NOT NULL,
	note         TEXT NOT NULL,
	recorded_at  TEXT NOT NULL
);
CREATE UNIQUE INDEX messages_message_id ON messages(direction, message_id) WHERE message_id <> '';
CREATE UNIQUE INDEX messages_hash ON messages(direction, hash) WHERE message_id = '' AND hash <> '';
CREATE INDEX messages_by_id ON messages(message_id);
CREATE INDEX messages_invoice ON messages(invoice_id);

CREATE TABLE message_recipients (
	addr        TEXT NOT NULL,
	message_row INTEGER NOT NULL REFERENCES messages(id),
	PRIMARY KEY (addr, message_row)
) WITHOUT ROWID;

CREATE TABLE outbox (
	id          INTEGER PRIMARY KEY,
	message_id  TEXT NOT NULL UNIQUE,
	invoice_id  INTEGER REFERENCES invoices(id),
	template    TEXT NOT NULL,
	to_addrs    TEXT NOT NULL, -- lower-case, separated by ', '
	raw         BLOB NOT NULL,
	not_before  TEXT,
	enqueued_at TEXT NOT NULL,
	attempts    INTEGER NOT NULL DEFAULT 0,
	last_error  TEXT NOT NULL DEFAULT '',
	sent_at     TEXT,
	appended_at TEXT,
	failed      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX outbox_pending ON outbox(id) WHERE sent_at IS NULL AND failed = 0;
CREATE INDEX outbox_unappended ON outbox(id) WHERE sent_at IS NOT NULL AND appended_at IS NULL;

CREATE TABLE outbox_recipients (
	addr       TEXT NOT NULL,
	outbox_row INTEGER NOT NULL REFERENCES outbox(id),
	PRIMARY KEY (addr, outbox_row)
) WITHOUT ROWID;

CREATE TABLE sync_state (
	folder       TEXT PRIMARY KEY,
	uid_validity INTEGER NOT NULL,
	last_uid     INTEGER NOT NULL,
	updated_at   TEXT NOT NULL
);

-- Append-only log of every decision.
CREATE TABLE events (
	id         INTEGER PRIMARY KEY,
	invoice_id INTEGER REFERENCES invoices(id),
	at         TEXT NOT NULL,
	kind       TEXT NOT NULL,
	reason     TEXT NOT NULL,
	message_id TEXT NOT NULL
);
CREATE INDEX events_invoice ON events(invoice_id, at);
CREATE INDEX events_at ON events(at);

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
