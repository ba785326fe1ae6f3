-- IMAP mailboxes desk polls for incoming mail, each with the state of its
-- last poll (written by the poller, shown to admins). The password is
-- needed to log in, so it is kept as given; the API never shows it.

CREATE TABLE mailboxes (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL DEFAULT '',
    host            TEXT NOT NULL,
    port            INTEGER NOT NULL,
    tls             TEXT NOT NULL CHECK (tls IN ('imaps', 'starttls', 'none')),
    username        TEXT NOT NULL,
    password        TEXT NOT NULL,
    folder          TEXT NOT NULL DEFAULT 'INBOX',
    active          INTEGER NOT NULL DEFAULT 1,
    poll_interval   INTEGER NOT NULL DEFAULT 60,   -- seconds between polls
    last_poll_at    INTEGER,
    last_success_at INTEGER,
    last_error      TEXT,
    failures        INTEGER NOT NULL DEFAULT 0,    -- consecutive failed polls
    messages_stored INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    UNIQUE (host, port, username, folder)
);
