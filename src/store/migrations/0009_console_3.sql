-- One-time sign-in links for the customer portal: only the BLAKE2b hash of
-- the link's token is kept; a link signs in once (used_at) before it
-- expires.
CREATE TABLE console_signin_links (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash  BLOB NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER
);
CREATE INDEX console_signin_links_user ON console_signin_links(user_id, created_at);

-- The outbox delivers the link (kind 'signin', rendered when queued, no
-- ticket: ticket_id 0). SQLite cannot change a CHECK constraint in place,
-- so the table is rebuilt with the same columns (the invitations' payload
-- of 0006_team_3 included) and indexes.
CREATE TABLE outbox_new (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('reply', 'received', 'invitation', 'signin')),
    ticket_id       INTEGER NOT NULL,
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
                        created_at, updated_at, sent_at, payload)
    SELECT id, kind, ticket_id, comment_id, user_id, to_addr, to_name, language, subject,
           message_id, raw, state, attempts, next_attempt_at, last_error, created_at, updated_at,
           sent_at, payload FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox(next_attempt_at, id) WHERE state = 'queued';
CREATE INDEX outbox_state ON outbox(state, id);
CREATE INDEX outbox_ticket ON outbox(ticket_id, id);
