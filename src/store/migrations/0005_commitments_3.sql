-- Secret calendar feed URLs, one per user. The token in the URL is derived
-- from salt with a server key kept outside the database (so the URL can be
-- shown to its owner again); the database holds only the salt and a hash
-- of the token, so a copy of it does not open anyone's calendar. Rotating
-- the URL replaces the row.

CREATE TABLE calendar_feeds (
    user_id    INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    salt       BLOB NOT NULL,
    token_hash BLOB NOT NULL UNIQUE,               -- BLAKE2b-256 of the token
    created_at INTEGER NOT NULL
);
