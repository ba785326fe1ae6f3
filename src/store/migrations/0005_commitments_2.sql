-- Alerts: what desk has to tell one person (a commitment's reminder, a
-- missed commitment for the owner's supervisors), read through the API.
-- kind names what happened; the ids say what it is about.

CREATE TABLE alerts (
    id            INTEGER PRIMARY KEY,
    recipient_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,                   -- 'commitment_reminder' | 'commitment_missed'
    ticket_id     INTEGER,
    commitment_id INTEGER,
    about_user_id INTEGER,                         -- whom it concerns (a commitment's owner)
    message       TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    read_at       INTEGER
);
CREATE INDEX alerts_recipient ON alerts(recipient_id, id);
