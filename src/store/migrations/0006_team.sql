-- The team: staff profiles (languages, capacity, schedule, mentor, training,
-- supervisor-only notes), availability and its history, lifecycle events
-- (invitation, suspension, graduation, offboarding), skills in Zendesk's
-- routing-attribute shape, routing settings, the routing decision log, and
-- trainees' held replies. Times are UTC milliseconds.

CREATE TABLE staff_profiles (
    user_id          INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    state            INTEGER NOT NULL DEFAULT 1,   -- 0 invited 1 active 2 suspended 3 offboarded
    hire_date        TEXT,                         -- YYYY-MM-DD
    schedule_zone    TEXT,                         -- IANA; NULL: the user's own time zone
    schedule         TEXT,                         -- "mon 09:00-17:00,..."; NULL: always on shift
    mentor_id        INTEGER REFERENCES users(id),
    trainee          INTEGER NOT NULL DEFAULT 0,
    supervisor_notes TEXT,
    routing_paused   INTEGER NOT NULL DEFAULT 0,
    availability     INTEGER NOT NULL DEFAULT 3,   -- 0 online 1 away 2 busy 3 offline
    availability_at  INTEGER,
    last_assigned_at INTEGER,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX staff_profiles_mentor ON staff_profiles(mentor_id) WHERE mentor_id IS NOT NULL;

CREATE TABLE staff_languages (
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    tag         TEXT NOT NULL,                     -- canonical BCP 47
    primary_tag TEXT NOT NULL,                     -- its language subtag, lower case
    proficiency INTEGER NOT NULL,                  -- 0 basic 1 intermediate 2 fluent 3 native
    PRIMARY KEY (user_id, tag)
) WITHOUT ROWID;

CREATE TABLE staff_capacity (
    user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    channel  TEXT NOT NULL,                        -- a via name, or 'default'
    capacity INTEGER NOT NULL CHECK (capacity > 0),
    PRIMARY KEY (user_id, channel)
) WITHOUT ROWID;

CREATE TABLE staff_training (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    course       TEXT NOT NULL,
    completed_at INTEGER,
    created_at   INTEGER NOT NULL
);
CREATE INDEX staff_training_user ON staff_training(user_id, id);

-- Every availability change, for adherence and utilization reports.
CREATE TABLE staff_availability_log (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    status     INTEGER NOT NULL,
    previous   INTEGER,
    actor_id   INTEGER,                            -- NULL: the system
    reason     TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX staff_availability_log_user ON staff_availability_log(user_id, id);

-- Lifecycle and profile events: invited, accepted, suspended, reinstated,
-- graduated, offboarded, profile_updated.
CREATE TABLE staff_events (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    actor_id   INTEGER,
    type       TEXT NOT NULL,
    detail     TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX staff_events_user ON staff_events(user_id, id);

-- One-time invitation links; only the token's hash is kept.
CREATE TABLE staff_invitations (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash  BLOB NOT NULL UNIQUE,
    invited_by  INTEGER,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    accepted_at INTEGER,
    revoked_at  INTEGER
);
CREATE INDEX staff_invitations_user ON staff_invitations(user_id);

-- Skills, as Zendesk's skill-based routing names them: attributes (skill
-- types) and attribute values (skills). Deleted ones are kept for history.
CREATE TABLE routing_attributes (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    deleted_at INTEGER
);

CREATE TABLE routing_attribute_values (
    id           INTEGER PRIMARY KEY,
    attribute_id INTEGER NOT NULL REFERENCES routing_attributes(id),
    name         TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    deleted_at   INTEGER
);
CREATE INDEX routing_attribute_values_attr ON routing_attribute_values(attribute_id, id);

CREATE TABLE routing_agent_values (
    user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    value_id INTEGER NOT NULL REFERENCES routing_attribute_values(id),
    PRIMARY KEY (user_id, value_id)
) WITHOUT ROWID;

CREATE TABLE routing_ticket_values (
    ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    value_id  INTEGER NOT NULL REFERENCES routing_attribute_values(id),
    PRIMARY KEY (ticket_id, value_id)
) WITHOUT ROWID;

-- Per-group routing settings: pause, and the minutes after which a ticket
-- whose language nobody available speaks may go to any agent, in seconds (NULL: never).
CREATE TABLE routing_groups (
    group_id         INTEGER PRIMARY KEY REFERENCES groups(id) ON DELETE CASCADE,
    paused           INTEGER NOT NULL DEFAULT 0,
    fallback_seconds INTEGER CHECK (fallback_seconds IS NULL OR fallback_seconds >= 0),
    updated_at       INTEGER NOT NULL
);

-- Where each ticket stands in routing, and every decision with its reason.
CREATE TABLE routing_tickets (
    ticket_id       INTEGER PRIMARY KEY REFERENCES tickets(id) ON DELETE CASCADE,
    state           TEXT NOT NULL,                 -- an outcome name, 'manual' or 'paused'
    unmatched_since INTEGER,                       -- language unmatched since
    decision_id     INTEGER,
    updated_at      INTEGER NOT NULL
);

CREATE TABLE routing_decisions (
    id         INTEGER PRIMARY KEY,
    ticket_id  INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    trigger    TEXT NOT NULL,                      -- created, reopened, unassigned, ...
    outcome    TEXT NOT NULL,
    agent_id   INTEGER,
    reason     TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX routing_decisions_ticket ON routing_decisions(ticket_id, id);

-- Trainees' public replies held for their mentor or a supervisor.
CREATE TABLE drafts (
    id             INTEGER PRIMARY KEY,
    ticket_id      INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    author_id      INTEGER NOT NULL REFERENCES users(id),
    body           TEXT NOT NULL,
    status         INTEGER,                        -- the ticket status asked for with the reply
    state          TEXT NOT NULL,                  -- pending | approved | returned
    sent_body      TEXT,                           -- as sent, when edited
    reviewer_id    INTEGER,
    review_comment TEXT,
    comment_id     INTEGER,
    created_at     INTEGER NOT NULL,
    reviewed_at    INTEGER
);
CREATE INDEX drafts_state ON drafts(state, id);
CREATE INDEX drafts_ticket ON drafts(ticket_id, id);
