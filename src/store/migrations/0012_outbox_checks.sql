-- The outbox's CHECK constraints, written as comparisons: SQLite builds an
-- ephemeral table for "x IN (list of three or more)" on every insert and
-- update that checks it (two per queued mail), while "x = a OR x = b" is a
-- few comparisons. Same columns, values and indexes; SQLite cannot change a
-- CHECK in place, so the table is rebuilt.
CREATE TABLE outbox_new (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind = 'reply' OR kind = 'received' OR kind = 'invitation' OR
                                          kind = 'signin'),
    ticket_id       INTEGER NOT NULL,
    comment_id      INTEGER,
    user_id         INTEGER,
    to_addr         TEXT NOT NULL,
    to_name         TEXT,
    language        TEXT NOT NULL,
    subject         TEXT,
    message_id      TEXT UNIQUE,
    raw             BLOB,
    state           TEXT NOT NULL DEFAULT 'queued' CHECK (state = 'queued' OR state = 'sent' OR
                                                                    state = 'failed'),
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
                        created_at, updated_at, sent_at, payload)
    SELECT id, kind, ticket_id, comment_id, user_id, to_addr, to_name, language, subject,
           message_id, raw, state, attempts, next_attempt_at, last_error, created_at, updated_at,
           sent_at, payload FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox(next_attempt_at, id) WHERE state = 'queued';
CREATE INDEX outbox_state ON outbox(state, id);
CREATE INDEX outbox_ticket ON outbox(ticket_id, id);
