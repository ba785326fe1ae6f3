-- desk schema, version 1: people, queues, tickets, comments, audits,
-- maintained queue counters, full-text index, credentials and job statuses.
-- Times are UTC milliseconds since the epoch; ids are int64; 0 never occurs
-- as an id, NULL means "none".

CREATE TABLE organizations (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL,
    name_key        TEXT NOT NULL UNIQUE,          -- lower(name), for uniqueness
    external_id     TEXT,
    details         TEXT,
    notes           TEXT,
    group_id        INTEGER,
    shared_tickets  INTEGER NOT NULL DEFAULT 0,
    shared_comments INTEGER NOT NULL DEFAULT 0,
    domain_names    TEXT NOT NULL DEFAULT '',      -- space separated
    tags            TEXT NOT NULL DEFAULT '',      -- space separated
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX organizations_external ON organizations(external_id) WHERE external_id IS NOT NULL;

CREATE TABLE users (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL,
    email            TEXT,                          -- primary email identity, lower case
    role             INTEGER NOT NULL,              -- 0 end-user 1 agent 2 supervisor 3 admin
    locale           TEXT NOT NULL DEFAULT 'en-US',
    time_zone        TEXT NOT NULL DEFAULT 'UTC',   -- IANA
    organization_id  INTEGER REFERENCES organizations(id) ON DELETE SET NULL,
    default_group_id INTEGER,
    phone            TEXT,
    external_id      TEXT,
    alias            TEXT,
    details          TEXT,
    notes            TEXT,
    signature        TEXT,
    tags             TEXT NOT NULL DEFAULT '',
    verified         INTEGER NOT NULL DEFAULT 0,
    active           INTEGER NOT NULL DEFAULT 1,    -- 0 once deleted or offboarded
    suspended        INTEGER NOT NULL DEFAULT 0,
    only_private_comments INTEGER NOT NULL DEFAULT 0,
    password_hash    TEXT,                          -- argon2id, libsodium string form
    last_login_at    INTEGER,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX users_org ON users(organization_id);
CREATE INDEX users_role ON users(role, id);
CREATE INDEX users_external ON users(external_id) WHERE external_id IS NOT NULL;

-- Every email address (or phone) a user is known by; one user may have many.
CREATE TABLE identities (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    type       TEXT NOT NULL,                       -- 'email' | 'phone_number'
    value      TEXT NOT NULL,                       -- lower case for email
    is_primary INTEGER NOT NULL DEFAULT 0,
    verified   INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    UNIQUE (type, value)
);
CREATE INDEX identities_user ON identities(user_id);

-- API tokens (and bearer tokens) are stored as BLAKE2b hashes only.
CREATE TABLE api_tokens (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash  BLOB NOT NULL UNIQUE,
    description TEXT,
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE groups (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    is_public   INTEGER NOT NULL DEFAULT 1,
    is_default  INTEGER NOT NULL DEFAULT 0,
    deleted     INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE group_memberships (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    group_id   INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    is_default INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (user_id, group_id)
);
CREATE INDEX group_memberships_group ON group_memberships(group_id);

CREATE TABLE tickets (
    id              INTEGER PRIMARY KEY,
    subject         TEXT NOT NULL DEFAULT '',
    description     TEXT NOT NULL DEFAULT '',
    status          INTEGER NOT NULL,              -- 0 new 1 open 2 pending 3 hold 4 solved 5 closed
    priority        INTEGER NOT NULL DEFAULT 0,    -- 0 none 1 low 2 normal 3 high 4 urgent
    type            INTEGER NOT NULL DEFAULT 0,    -- 0 none 1 question 2 incident 3 problem 4 task
    requester_id    INTEGER NOT NULL REFERENCES users(id),
    submitter_id    INTEGER NOT NULL REFERENCES users(id),
    assignee_id     INTEGER REFERENCES users(id),
    group_id        INTEGER REFERENCES groups(id),
    organization_id INTEGER REFERENCES organizations(id),
    problem_id      INTEGER,
    external_id     TEXT,
    recipient       TEXT,
    via             INTEGER NOT NULL DEFAULT 0,    -- channel, see model/ticket.h
    language        TEXT,                          -- BCP 47
    tags            TEXT NOT NULL DEFAULT '',      -- space separated, sorted
    is_public       INTEGER NOT NULL DEFAULT 1,
    due_at          INTEGER,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    solved_at       INTEGER,
    deleted_at      INTEGER,
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX tickets_updated ON tickets(updated_at, id);
CREATE INDEX tickets_requester ON tickets(requester_id, id);
CREATE INDEX tickets_assignee ON tickets(assignee_id, status) WHERE assignee_id IS NOT NULL;
CREATE INDEX tickets_group ON tickets(group_id, status) WHERE group_id IS NOT NULL;
CREATE INDEX tickets_org ON tickets(organization_id, id) WHERE organization_id IS NOT NULL;
CREATE INDEX tickets_external ON tickets(external_id) WHERE external_id IS NOT NULL;

CREATE TABLE ticket_tags (
    ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    tag       TEXT NOT NULL,
    PRIMARY KEY (tag, ticket_id)
) WITHOUT ROWID;

CREATE TABLE ticket_collaborators (
    ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY (ticket_id, user_id)
) WITHOUT ROWID;

-- One audit per change set; its events say what changed.
CREATE TABLE audits (
    id         INTEGER PRIMARY KEY,
    ticket_id  INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    author_id  INTEGER NOT NULL,
    via        INTEGER NOT NULL,
    request_id TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX audits_ticket ON audits(ticket_id, id);

CREATE TABLE audit_events (
    id         INTEGER PRIMARY KEY,
    audit_id   INTEGER NOT NULL REFERENCES audits(id) ON DELETE CASCADE,
    type       TEXT NOT NULL,                      -- 'Create' | 'Change' | 'Comment'
    field      TEXT,
    old_value  TEXT,
    new_value  TEXT,
    comment_id INTEGER
);
CREATE INDEX audit_events_audit ON audit_events(audit_id);

CREATE TABLE comments (
    id         INTEGER PRIMARY KEY,
    ticket_id  INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    audit_id   INTEGER NOT NULL,
    author_id  INTEGER NOT NULL REFERENCES users(id),
    public     INTEGER NOT NULL,
    body       TEXT NOT NULL,
    html_body  TEXT NOT NULL,
    via        INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX comments_ticket ON comments(ticket_id, id);

-- Open-work counters by queue, kept in the same transaction as the ticket
-- change by the triggers below, so queue sizes never need a scan.
CREATE TABLE queue_counts (
    group_id    INTEGER NOT NULL,                  -- 0 = no group
    assignee_id INTEGER NOT NULL,                  -- 0 = unassigned
    status      INTEGER NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (group_id, assignee_id, status)
) WITHOUT ROWID;

CREATE TRIGGER tickets_count_ins AFTER INSERT ON tickets WHEN NEW.deleted_at IS NULL
BEGIN
    INSERT INTO queue_counts VALUES (ifnull(NEW.group_id, 0), ifnull(NEW.assignee_id, 0), NEW.status, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER tickets_count_upd AFTER UPDATE OF status, group_id, assignee_id, deleted_at ON tickets
BEGIN
    UPDATE queue_counts SET n = n - 1
     WHERE OLD.deleted_at IS NULL AND group_id = ifnull(OLD.group_id, 0)
       AND assignee_id = ifnull(OLD.assignee_id, 0) AND status = OLD.status;
    INSERT INTO queue_counts
    SELECT ifnull(NEW.group_id, 0), ifnull(NEW.assignee_id, 0), NEW.status, 1
     WHERE NEW.deleted_at IS NULL
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

-- Full text of each ticket, diacritics folded ("prilis" finds "příliš").
-- Public and private text are apart so that end users never match notes.
CREATE VIRTUAL TABLE ticket_fts USING fts5(
    subject, public_text, private_text,
    tokenize = "unicode61 remove_diacritics 2"
);

CREATE TABLE job_statuses (
    id         TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL,
    job_type   TEXT NOT NULL,
    status     TEXT NOT NULL,                      -- queued working completed failed killed
    total      INTEGER NOT NULL,
    progress   INTEGER NOT NULL,
    message    TEXT,
    results    TEXT NOT NULL,                      -- JSON array, as served
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX job_statuses_created ON job_statuses(created_at);
