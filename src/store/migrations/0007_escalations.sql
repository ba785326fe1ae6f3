-- The supervisor's desk: text signals of customer messages, escalations to
-- the on-duty supervisors of a group, alerts, complaints about staff and
-- the tickets a staff member must not see. Times are UTC milliseconds.

-- One row per customer message scored by model/signals; the latest row is
-- the ticket's current sentiment, the rows before it its trend.
CREATE TABLE message_signals (
    id                 INTEGER PRIMARY KEY,
    ticket_id          INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    comment_id         INTEGER,
    author_id          INTEGER NOT NULL,
    score              REAL NOT NULL,               -- -1 … 1
    mood               INTEGER NOT NULL,            -- 0 calm 1 negative 2 irate
    abusive            INTEGER NOT NULL,
    supervisor_request INTEGER NOT NULL,
    triggers           TEXT NOT NULL DEFAULT '',    -- lines of "kind<TAB>phrase"
    created_at         INTEGER NOT NULL
);
CREATE INDEX message_signals_ticket ON message_signals(ticket_id, id);

-- Per group: who is alerted when no supervisor is on duty, how far an
-- escalation raises priority, and which automatic escalations are on.
CREATE TABLE escalation_settings (
    group_id       INTEGER PRIMARY KEY REFERENCES groups(id) ON DELETE CASCADE,
    contact_id     INTEGER REFERENCES users(id),
    raise_priority INTEGER NOT NULL DEFAULT 3,      -- priority an escalation raises to; 0 keeps
    auto_customer  INTEGER NOT NULL DEFAULT 1,      -- a customer asking for a supervisor escalates
    auto_irate     INTEGER NOT NULL DEFAULT 0,      -- an irate customer escalates
    updated_at     INTEGER NOT NULL
);

-- Which supervisors are on duty for which group (set by hand, until a time).
CREATE TABLE supervisor_roster (
    supervisor_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    group_id      INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    since         INTEGER NOT NULL,
    until         INTEGER,                          -- NULL: until taken off the roster
    set_by        INTEGER,
    PRIMARY KEY (group_id, supervisor_id)
) WITHOUT ROWID;
CREATE INDEX supervisor_roster_supervisor ON supervisor_roster(supervisor_id);

CREATE TABLE escalations (
    id                   INTEGER PRIMARY KEY,
    ticket_id            INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    group_id             INTEGER,
    state                INTEGER NOT NULL,          -- 0 open 1 accepted 2 resolved 3 returned
    source               INTEGER NOT NULL,          -- 0 agent 1 customer 2 sla 3 sentiment 4 rule
    reason               INTEGER NOT NULL,          -- see model/escalation.h
    note                 TEXT,
    requested_by         INTEGER,                   -- NULL for automatic escalations
    supervisor_id        INTEGER,                   -- NULL: nobody was on duty
    previous_assignee_id INTEGER,
    previous_priority    INTEGER NOT NULL DEFAULT 0,
    created_at           INTEGER NOT NULL,
    accepted_at          INTEGER,
    accepted_by          INTEGER,
    closed_at            INTEGER,                   -- resolved or returned
    closed_by            INTEGER,
    resolution           TEXT,
    updated_at           INTEGER NOT NULL
);
CREATE INDEX escalations_ticket ON escalations(ticket_id, id);
CREATE INDEX escalations_supervisor ON escalations(supervisor_id, state);
CREATE INDEX escalations_state ON escalations(state, id);
CREATE UNIQUE INDEX escalations_one_active ON escalations(ticket_id) WHERE state IN (0, 1);

-- What a supervisor (or a group's escalation contact) must look at.
CREATE TABLE supervisor_alerts (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,                  -- abuse, irate, unstaffed
    ticket_id       INTEGER REFERENCES tickets(id) ON DELETE CASCADE,
    group_id        INTEGER,
    escalation_id   INTEGER,
    recipient_id    INTEGER,                        -- NULL: every supervisor
    message         TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    acknowledged_at INTEGER,
    acknowledged_by INTEGER
);
CREATE INDEX supervisor_alerts_open ON supervisor_alerts(acknowledged_at, id);

-- Complaints about a member of staff and their outcome.
CREATE TABLE complaints (
    ticket_id    INTEGER PRIMARY KEY REFERENCES tickets(id) ON DELETE CASCADE,
    agent_id     INTEGER NOT NULL REFERENCES users(id),
    outcome      INTEGER,                           -- NULL pending; see model/escalation.h
    outcome_note TEXT,
    decided_by   INTEGER,
    decided_at   INTEGER,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX complaints_agent ON complaints(agent_id, ticket_id);

-- Tickets a member of staff must not see at all (the agent a complaint is
-- about): lists, search and reads leave them out for that user.
CREATE TABLE ticket_hidden (
    user_id   INTEGER NOT NULL,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, ticket_id)
) WITHOUT ROWID;
