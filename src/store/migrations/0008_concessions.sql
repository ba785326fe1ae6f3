-- Concession approvals with their limits and held replies, the alerts that
-- tell agents about decisions, and the documentation of every solution
-- (resolutions and the per-group policy of what solving requires).
-- Amounts are integers in the currency's minor units (cents for EUR).

-- Approval limits: one row per role and currency, or per person and currency.
-- A person's row wins over their role's; max_minor NULL means no limit.
CREATE TABLE concession_limits (
    id         INTEGER PRIMARY KEY,
    role       INTEGER,                           -- 1 agent 2 supervisor 3 admin, or NULL
    user_id    INTEGER REFERENCES users(id) ON DELETE CASCADE,
    currency   TEXT NOT NULL,                     -- ISO 4217, upper case
    max_minor  INTEGER,                           -- inclusive; NULL: unlimited
    updated_by INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK ((role IS NULL) <> (user_id IS NULL))
);
CREATE UNIQUE INDEX concession_limits_role ON concession_limits(role, currency)
    WHERE role IS NOT NULL;
CREATE UNIQUE INDEX concession_limits_user ON concession_limits(user_id, currency)
    WHERE user_id IS NOT NULL;

CREATE TABLE concessions (
    id            INTEGER PRIMARY KEY,
    ticket_id     INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    type          INTEGER NOT NULL,               -- see model/concession.h
    amount_minor  INTEGER NOT NULL CHECK (amount_minor > 0),
    currency      TEXT NOT NULL,
    reason        TEXT NOT NULL,
    reason_key    TEXT NOT NULL,                  -- lower(trim(reason)), for the report
    note          TEXT,
    state         INTEGER NOT NULL,               -- 0 pending 1 granted 2 approved 3 denied 4 countered 5 expired
    level         INTEGER,                        -- role that must approve while pending
    proposed_by   INTEGER NOT NULL REFERENCES users(id),
    granted_minor INTEGER,                        -- granted amount (the counter-offer when countered)
    decided_by    INTEGER REFERENCES users(id),
    decision_note TEXT,
    expires_at    INTEGER,
    decided_at    INTEGER,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX concessions_ticket ON concessions(ticket_id, id);
CREATE INDEX concessions_due ON concessions(expires_at) WHERE state = 0;
CREATE INDEX concessions_proposer ON concessions(proposed_by, id);

-- A public reply that promises a pending concession waits here, off the
-- ticket, until the concession is decided: at most one per concession.
CREATE TABLE held_replies (
    id            INTEGER PRIMARY KEY,
    concession_id INTEGER NOT NULL UNIQUE REFERENCES concessions(id) ON DELETE CASCADE,
    ticket_id     INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    author_id     INTEGER NOT NULL REFERENCES users(id),
    body          TEXT NOT NULL,
    state         INTEGER NOT NULL,               -- 0 held 1 sent 2 returned
    comment_id    INTEGER,                        -- the public comment once sent
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX held_replies_ticket ON held_replies(ticket_id, id);

-- What an agent is told about their concessions and held replies.
CREATE TABLE concession_alerts (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    concession_id INTEGER NOT NULL REFERENCES concessions(id) ON DELETE CASCADE,
    ticket_id     INTEGER NOT NULL,
    kind          TEXT NOT NULL,                  -- approved denied countered expired
    message       TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    read_at       INTEGER
);
CREATE INDEX concession_alerts_user ON concession_alerts(user_id, id);

-- The documentation of a solution: a category, a note and named fields.
CREATE TABLE ticket_resolutions (
    ticket_id  INTEGER PRIMARY KEY REFERENCES tickets(id) ON DELETE CASCADE,
    category   TEXT,
    note       TEXT,
    updated_by INTEGER,
    updated_at INTEGER NOT NULL
);

CREATE TABLE ticket_resolution_fields (
    ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    name      TEXT NOT NULL,
    value     TEXT NOT NULL,
    PRIMARY KEY (ticket_id, name)
) WITHOUT ROWID;

-- Per group: what solving a ticket requires, and the allowed categories.
CREATE TABLE resolution_policies (
    group_id        INTEGER PRIMARY KEY REFERENCES groups(id) ON DELETE CASCADE,
    required_fields TEXT NOT NULL DEFAULT '',     -- space separated
    categories      TEXT NOT NULL DEFAULT '',     -- space separated; empty: any
    updated_by      INTEGER,
    updated_at      INTEGER NOT NULL
);

-- How many tickets hold each word of the full-text index, so that "similar
-- tickets" asks for the telling words of a ticket, not the commonest.
CREATE VIRTUAL TABLE ticket_fts_terms USING fts5vocab(ticket_fts, row);
