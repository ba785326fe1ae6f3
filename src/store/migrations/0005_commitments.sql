-- Commitments: promises an agent makes on a ticket ("call back Tuesday
-- 10:00 their time"). Times are UTC milliseconds; the zone the due time was
-- given in is kept for display. next_at is when the reminder scheduler must
-- look at an open commitment again (its reminder, else its due time); it is
-- NULL once the commitment needs no attention, so the partial index holds
-- only pending work and the scheduler reads its head instead of scanning.

CREATE TABLE commitments (
    id          INTEGER PRIMARY KEY,
    ticket_id   INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    owner_id    INTEGER NOT NULL REFERENCES users(id),
    creator_id  INTEGER NOT NULL REFERENCES users(id),
    due_at      INTEGER NOT NULL,
    time_zone   TEXT,                              -- IANA, as given; NULL: given in UTC
    due_fit     TEXT,                              -- how a local time met a DST change, or NULL
    note        TEXT NOT NULL DEFAULT '',
    state       INTEGER NOT NULL DEFAULT 0,        -- 0 open 1 done 2 missed 3 cancelled
    remind_at   INTEGER,
    reminded_at INTEGER,
    next_at     INTEGER,
    resolved_at INTEGER,
    resolved_by INTEGER,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX commitments_ticket ON commitments(ticket_id, state, due_at);
CREATE INDEX commitments_owner ON commitments(owner_id, due_at);
CREATE INDEX commitments_due ON commitments(due_at);
CREATE INDEX commitments_next ON commitments(next_at) WHERE next_at IS NOT NULL;
