-- Invitation mail through the outbox: a message that belongs to no ticket.
-- The outbox admits a third kind, 'invitation' (ticket_id 0, no comment),
-- and a payload column holding what such a message says until it is
-- rendered (for an invitation: its one-time link). SQLite cannot change a
-- CHECK constraint in place, so the table is rebuilt with its rows, ids and
-- indexes. The payload is cleared once the message is sent, and an
-- invitation's rendered source is cleared once it leaves the queue, so the
-- link does not stay readable in the database.

CREATE TABLE outbox_new (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('reply', 'received', 'invitation')),
    ticket_id       INTEGER NOT NULL,              -- 0 for mail that belongs to no ticket
    comment_id      INTEGER,
    user_id         INTEGER,
    to_addr         TEXT NOT NULL,
    to_name         TEXT,
    language        TEXT NOT NULL,
    subject         TEXT,
    message_id      TEXT UNIQUE,
    raw             BLOB,
    state           TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    sent_at         INTEGER,
    payload         TEXT                           -- JSON, for mail that belongs to no ticket
);
INSERT INTO outbox_new (id, kind, ticket_id, comment_id, user_id, to_addr, to_name, language,
                        subject, message_id, raw, state, attempts, next_attempt_at, last_error,
                        created_at, updated_at, sent_at)
SELECT id, kind, ticket_id, comment_id, user_id, to_addr, to_name, language, subject, message_id,
       raw, state, attempts, next_attempt_at, last_error, created_at, updated_at, sent_at
FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox(next_attempt_at, id) WHERE state = 'queued';
CREATE INDEX outbox_state ON outbox(state, id);
CREATE INDEX outbox_ticket ON outbox(ticket_id, id);
