-- Outgoing mail. A notice is queued in the same transaction as the ticket
-- change that causes it (so none is lost when the process dies), rendered
-- to RFC 5322 bytes once by the mail thread, then sent with retries.
-- Times are UTC milliseconds.

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('reply', 'received')),
    ticket_id       INTEGER NOT NULL,
    comment_id      INTEGER,                       -- the comment the notice carries
    user_id         INTEGER,                       -- recipient
    to_addr         TEXT NOT NULL,                 -- recipient address when queued
    to_name         TEXT,
    language        TEXT NOT NULL,                 -- template language: en, es, cs, pl, ...
    subject         TEXT,                          -- set when rendered
    message_id      TEXT UNIQUE,                   -- without angle brackets; set when rendered
    raw             BLOB,                          -- the RFC 5322 message (CRLF); set when rendered
    state           TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    sent_at         INTEGER
);
CREATE INDEX outbox_due ON outbox(next_attempt_at, id) WHERE state = 'queued';
CREATE INDEX outbox_state ON outbox(state, id);
CREATE INDEX outbox_ticket ON outbox(ticket_id, id);

-- Every Message-ID desk sent or received, so replies find their ticket and
-- desk's mail carries In-Reply-To/References. Shared with inbound mail;
-- message ids are stored without angle brackets.
CREATE TABLE IF NOT EXISTS mail_ids (
    message_id TEXT PRIMARY KEY,
    ticket_id  INTEGER NOT NULL,
    comment_id INTEGER,
    direction  TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS mail_ids_ticket ON mail_ids(ticket_id, created_at);
