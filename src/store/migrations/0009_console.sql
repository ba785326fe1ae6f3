-- The web console: browser sessions, macros with language variants, saved
-- views, and the live wall's maintained queue counters.

-- A signed-in browser. Only the BLAKE2b hash of the cookie's token is kept.
CREATE TABLE console_sessions (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash  BLOB NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    user_agent  TEXT,
    peer        TEXT
);
CREATE INDEX console_sessions_user ON console_sessions(user_id);
CREATE INDEX console_sessions_expiry ON console_sessions(expires_at);

-- Macros: a canned reply plus field changes. The default variant lives in
-- the macro row; language variants override the reply text.
CREATE TABLE macros (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL,
    description TEXT,
    active      INTEGER NOT NULL DEFAULT 1,
    comment     TEXT,                               -- default reply text, may be NULL
    public      INTEGER NOT NULL DEFAULT 1,         -- the reply is public (else a note)
    status      INTEGER,                            -- set status, or NULL
    priority    INTEGER,
    type        INTEGER,
    group_id    INTEGER,
    assignee    TEXT,                               -- NULL, 'current_user' or a user id
    add_tags    TEXT NOT NULL DEFAULT '',
    remove_tags TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL DEFAULT 0,
    created_by  INTEGER,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE macro_variants (
    macro_id INTEGER NOT NULL REFERENCES macros(id) ON DELETE CASCADE,
    language TEXT NOT NULL,                         -- BCP 47, lower case
    comment  TEXT NOT NULL,
    PRIMARY KEY (macro_id, language)
) WITHOUT ROWID;

-- Saved views: a search query, shared (owner NULL) or personal.
CREATE TABLE console_views (
    id         INTEGER PRIMARY KEY,
    title      TEXT NOT NULL,
    query      TEXT NOT NULL,
    owner_id   INTEGER REFERENCES users(id) ON DELETE CASCADE,
    active     INTEGER NOT NULL DEFAULT 1,
    position   INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX console_views_owner ON console_views(owner_id);

-- Unsolved tickets by queue dimension ('group', 'language', 'channel'),
-- kept by the triggers below in the ticket's own transaction: "waiting"
-- are new or open and unassigned, "open" are all below solved.
CREATE TABLE live_counts (
    dim     TEXT NOT NULL,
    key     TEXT NOT NULL,
    waiting INTEGER NOT NULL DEFAULT 0,
    open    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (dim, key)
) WITHOUT ROWID;

INSERT INTO live_counts (dim, key, waiting, open)
SELECT 'group', ifnull(group_id, 0), sum(status < 2 AND assignee_id IS NULL), count(*)
  FROM tickets WHERE deleted_at IS NULL AND status < 4 GROUP BY 1, 2;
INSERT INTO live_counts (dim, key, waiting, open)
SELECT 'language', ifnull(language, ''), sum(status < 2 AND assignee_id IS NULL), count(*)
  FROM tickets WHERE deleted_at IS NULL AND status < 4 GROUP BY 1, 2;
INSERT INTO live_counts (dim, key, waiting, open)
SELECT 'channel', via, sum(status < 2 AND assignee_id IS NULL), count(*)
  FROM tickets WHERE deleted_at IS NULL AND status < 4 GROUP BY 1, 2;

CREATE TRIGGER live_counts_ins AFTER INSERT ON tickets
WHEN NEW.deleted_at IS NULL AND NEW.status < 4
BEGIN
    INSERT INTO live_counts VALUES
        ('group', ifnull(NEW.group_id, 0), NEW.status < 2 AND NEW.assignee_id IS NULL, 1),
        ('language', ifnull(NEW.language, ''), NEW.status < 2 AND NEW.assignee_id IS NULL, 1),
        ('channel', NEW.via, NEW.status < 2 AND NEW.assignee_id IS NULL, 1)
    ON CONFLICT DO UPDATE SET waiting = waiting + excluded.waiting, open = open + 1;
END;

CREATE TRIGGER live_counts_upd
AFTER UPDATE OF status, group_id, assignee_id, language, deleted_at ON tickets
BEGIN
    UPDATE live_counts
       SET waiting = waiting - (OLD.status < 2 AND OLD.assignee_id IS NULL), open = open - 1
     WHERE OLD.deleted_at IS NULL AND OLD.status < 4
       AND ((dim = 'group' AND key = ifnull(OLD.group_id, 0))
         OR (dim = 'language' AND key = ifnull(OLD.language, ''))
         OR (dim = 'channel' AND key = OLD.via));
    INSERT INTO live_counts
    SELECT d, k, NEW.status < 2 AND NEW.assignee_id IS NULL, 1
      FROM (SELECT 'group' AS d, ifnull(NEW.group_id, 0) AS k
            UNION ALL SELECT 'language', ifnull(NEW.language, '')
            UNION ALL SELECT 'channel', NEW.via)
     WHERE NEW.deleted_at IS NULL AND NEW.status < 4
    ON CONFLICT DO UPDATE SET waiting = waiting + excluded.waiting, open = open + 1;
END;

-- The oldest waiting ticket per queue is an index seek, never a scan.
CREATE INDEX live_wait_group ON tickets(ifnull(group_id, 0), created_at)
    WHERE status < 2 AND assignee_id IS NULL AND deleted_at IS NULL;
CREATE INDEX live_wait_language ON tickets(ifnull(language, ''), created_at)
    WHERE status < 2 AND assignee_id IS NULL AND deleted_at IS NULL;
CREATE INDEX live_wait_channel ON tickets(via, created_at)
    WHERE status < 2 AND assignee_id IS NULL AND deleted_at IS NULL;
