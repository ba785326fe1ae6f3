-- Email in: every Message-ID desk received or sent (threading), every
-- received message kept whole, attachments by content hash, suspended
-- tickets (quarantined mail) and addresses that bounce.

-- Message-IDs desk received ('in') or sent ('out'), each naming its ticket:
-- a reply's In-Reply-To/References finds its ticket here.
CREATE TABLE IF NOT EXISTS mail_ids(message_id TEXT PRIMARY KEY, ticket_id INTEGER NOT NULL, comment_id INTEGER, direction TEXT NOT NULL CHECK(direction IN ('in','out')), created_at INTEGER NOT NULL);

-- Each received message as it came (the downloadable .eml), with the
-- comment it became. flags: 1 automatic reply, 2 bulk/list mail, 8 bounce
-- (enum desk_mail_flag); outbound notifications skip comments with 1 or 2.
CREATE TABLE mail_messages (
    id           INTEGER PRIMARY KEY,
    ticket_id    INTEGER NOT NULL,
    comment_id   INTEGER,
    message_id   TEXT NOT NULL,
    from_address TEXT NOT NULL,
    subject      TEXT NOT NULL DEFAULT '',
    flags        INTEGER NOT NULL DEFAULT 0,
    charset      TEXT,
    html         TEXT,                              -- sanitized HTML body, if the mail had one
    source       TEXT,
    size         INTEGER NOT NULL,
    raw          BLOB NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE INDEX mail_messages_comment ON mail_messages(comment_id);
CREATE INDEX mail_messages_ticket ON mail_messages(ticket_id);
CREATE INDEX mail_messages_sender ON mail_messages(from_address, created_at);

-- Attachments of mail comments (Zendesk's attachment objects). The bytes
-- live once per SHA-256 in the files directory next to the database;
-- sha256 is NULL when the attachment was over the size limit (it stays
-- in the raw message).
CREATE TABLE mail_attachments (
    id           INTEGER PRIMARY KEY,
    ticket_id    INTEGER NOT NULL,
    comment_id   INTEGER NOT NULL,
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT,
    inline       INTEGER NOT NULL DEFAULT 0,
    content_id   TEXT,
    created_at   INTEGER NOT NULL
);
CREATE INDEX mail_attachments_comment ON mail_attachments(comment_id);

-- Suspended tickets: mail that could not or must not become a ticket,
-- kept raw with the reason until someone recovers or deletes it.
CREATE TABLE suspended_tickets (
    id           INTEGER PRIMARY KEY,
    subject      TEXT,
    from_address TEXT,
    from_name    TEXT,
    message_id   TEXT,
    recipient    TEXT,
    cause        TEXT NOT NULL,
    cause_id     INTEGER NOT NULL,
    content      TEXT,                              -- the start of the text, for the list
    ticket_id    INTEGER,                           -- the ticket it was threaded to, if any
    source       TEXT,
    size         INTEGER NOT NULL,                  -- bytes received
    truncated    INTEGER NOT NULL DEFAULT 0,        -- raw holds only the first bytes
    raw          BLOB NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX suspended_tickets_sender ON suspended_tickets(from_address, created_at);

-- Addresses mail to which bounced (a delivery status notification said
-- the delivery failed for good); outbound mail skips them.
CREATE TABLE mail_undeliverable (
    address    TEXT PRIMARY KEY,                    -- lower case
    user_id    INTEGER,
    status     TEXT,
    diagnostic TEXT,
    ticket_id  INTEGER,
    created_at INTEGER NOT NULL
);
