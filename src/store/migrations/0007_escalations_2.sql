-- Automatic escalations by SLA and by repeated reopening, and an on-duty
-- roster derived from the supervisors' work schedules unless set by hand.

-- Per group: an SLA target breached (on by default) or at risk (off)
-- escalates; reopening a ticket this many times escalates it (0: never).
ALTER TABLE escalation_settings ADD COLUMN auto_sla_breach INTEGER NOT NULL DEFAULT 1;
ALTER TABLE escalation_settings ADD COLUMN auto_sla_at_risk INTEGER NOT NULL DEFAULT 0;
ALTER TABLE escalation_settings ADD COLUMN reopen_threshold INTEGER NOT NULL DEFAULT 2;

-- What already led to an automatic escalation decision on a ticket, so each
-- happens once: "sla_breach:<metric>:<cycle>", "sla_at_risk:<metric>:<cycle>",
-- "reopened". escalation_id is NULL when the ticket was already escalated
-- or the group does not escalate on it.
CREATE TABLE escalation_triggers (
    ticket_id     INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    trigger       TEXT NOT NULL,
    escalation_id INTEGER,
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (ticket_id, trigger)
) WITHOUT ROWID;

-- How many times each ticket went from solved back to work.
CREATE TABLE ticket_reopens (
    ticket_id  INTEGER PRIMARY KEY REFERENCES tickets(id) ON DELETE CASCADE,
    reopens    INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

-- A group whose roster was set by hand: while in force (until NULL or
-- later than now) the hand-set entries are the whole roster; otherwise the
-- supervisors of the group whose work schedule covers now are on duty.
CREATE TABLE supervisor_roster_override (
    group_id INTEGER PRIMARY KEY REFERENCES groups(id) ON DELETE CASCADE,
    until    INTEGER,
    set_by   INTEGER,
    set_at   INTEGER NOT NULL
);
INSERT INTO supervisor_roster_override (group_id, until, set_by, set_at)
    SELECT group_id, CASE WHEN count(until) < count(*) THEN NULL ELSE max(until) END,
           max(set_by), max(since)
    FROM supervisor_roster GROUP BY group_id;
