-- SLA: business-hours schedules (weekly intervals, holidays, which groups and
-- organizations use them), SLA policies (conditions, per-priority targets,
-- actions on risk and breach), the metric events every clock is derived
-- from, each ticket's current clocks (what the breach scheduler reads
-- through the next_at index) and breach alerts. Ticket metrics are derived
-- from the events and the audit trail when read.
-- Times are UTC milliseconds; see docs/sla.md.

CREATE TABLE bh_schedules (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    time_zone  TEXT NOT NULL,                     -- IANA
    is_default INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX bh_schedules_default ON bh_schedules(is_default) WHERE is_default = 1;

-- Weekly intervals in minutes from Sunday 00:00 wall time (Zendesk's form).
CREATE TABLE bh_intervals (
    id          INTEGER PRIMARY KEY,
    schedule_id INTEGER NOT NULL REFERENCES bh_schedules(id) ON DELETE CASCADE,
    start_min   INTEGER NOT NULL,
    end_min     INTEGER NOT NULL
);
CREATE INDEX bh_intervals_schedule ON bh_intervals(schedule_id, start_min);

CREATE TABLE bh_holidays (
    id          INTEGER PRIMARY KEY,
    schedule_id INTEGER NOT NULL REFERENCES bh_schedules(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    start_date  TEXT NOT NULL,                    -- YYYY-MM-DD, inclusive
    end_date    TEXT NOT NULL,                    -- YYYY-MM-DD, inclusive
    yearly      INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX bh_holidays_schedule ON bh_holidays(schedule_id, start_date);

-- The schedule a group's or an organization's tickets are measured in.
CREATE TABLE bh_attachments (
    kind        INTEGER NOT NULL,                 -- 1 group, 2 organization
    target_id   INTEGER NOT NULL,
    schedule_id INTEGER NOT NULL REFERENCES bh_schedules(id) ON DELETE CASCADE,
    PRIMARY KEY (kind, target_id)
) WITHOUT ROWID;
CREATE INDEX bh_attachments_schedule ON bh_attachments(schedule_id);

CREATE TABLE sla_policies (
    id            INTEGER PRIMARY KEY,
    title         TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    position      INTEGER NOT NULL,
    schedule_id   INTEGER REFERENCES bh_schedules(id) ON DELETE SET NULL,
    at_risk_pct   INTEGER NOT NULL DEFAULT 75,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX sla_policies_position ON sla_policies(position, id);

CREATE TABLE sla_policy_conditions (
    id        INTEGER PRIMARY KEY,
    policy_id INTEGER NOT NULL REFERENCES sla_policies(id) ON DELETE CASCADE,
    is_any    INTEGER NOT NULL,                   -- 0 filter.all, 1 filter.any
    field     TEXT NOT NULL,
    operator  TEXT NOT NULL,
    value     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sla_policy_conditions_policy ON sla_policy_conditions(policy_id, id);

CREATE TABLE sla_policy_targets (
    policy_id      INTEGER NOT NULL REFERENCES sla_policies(id) ON DELETE CASCADE,
    priority       INTEGER NOT NULL,
    metric         INTEGER NOT NULL,
    target_s       INTEGER NOT NULL,
    business_hours INTEGER NOT NULL,
    PRIMARY KEY (policy_id, priority, metric)
) WITHOUT ROWID;

CREATE TABLE sla_policy_actions (
    id        INTEGER PRIMARY KEY,
    policy_id INTEGER NOT NULL REFERENCES sla_policies(id) ON DELETE CASCADE,
    on_event  INTEGER NOT NULL,                   -- 1 at risk, 2 breach
    action    INTEGER NOT NULL,                   -- see model/sla.h
    value     TEXT
);
CREATE INDEX sla_policy_actions_policy ON sla_policy_actions(policy_id, id);

-- Bumped in the same transaction as any change to schedules, holidays,
-- attachments or policies, so every process can tell its cached rules are old.
CREATE TABLE sla_meta (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO sla_meta VALUES (1, 1);

-- Every metric event (activate, pause, fulfill, apply_sla, breach, at_risk)
-- with the clock's elapsed and paused time at that moment under the rules
-- then in force: history is never recomputed.
CREATE TABLE sla_events (
    id             INTEGER PRIMARY KEY,
    ticket_id      INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    metric         INTEGER NOT NULL,
    cycle          INTEGER NOT NULL,
    type           INTEGER NOT NULL,
    at             INTEGER NOT NULL,
    elapsed_ms     INTEGER NOT NULL,
    paused_ms      INTEGER NOT NULL,
    policy_id      INTEGER,
    target_s       INTEGER,
    business_hours INTEGER NOT NULL DEFAULT 0,
    schedule_id    INTEGER,
    due_at         INTEGER,
    reason         TEXT,
    created_at     INTEGER NOT NULL
);
CREATE INDEX sla_events_ticket ON sla_events(ticket_id, metric, cycle, id);
-- Events are written in id order by the single writer with created_at = the
-- write's time, so the incremental export walks ids (no index on created_at).

-- Each ticket's clocks: the current cycle of each metric as of its last event.
CREATE TABLE sla_clocks (
    ticket_id      INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    metric         INTEGER NOT NULL,
    cycle          INTEGER NOT NULL,
    state          INTEGER NOT NULL,              -- 1 active, 2 paused, 3 fulfilled
    started_at     INTEGER NOT NULL,
    last_at        INTEGER NOT NULL,
    elapsed_ms     INTEGER NOT NULL,
    paused_ms      INTEGER NOT NULL,
    policy_id      INTEGER,
    target_s       INTEGER,
    business_hours INTEGER NOT NULL DEFAULT 0,
    schedule_id    INTEGER,
    due_at         INTEGER,
    risk_at        INTEGER,
    breached       INTEGER NOT NULL DEFAULT 0,
    at_risk        INTEGER NOT NULL DEFAULT 0,
    next_at        INTEGER,                       -- the scheduler's next look; NULL: none
    rules_version  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (ticket_id, metric)
) WITHOUT ROWID;
CREATE INDEX sla_clocks_next ON sla_clocks(next_at, ticket_id) WHERE next_at IS NOT NULL;
CREATE INDEX sla_clocks_schedule ON sla_clocks(schedule_id, rules_version)
    WHERE state = 1 AND schedule_id IS NOT NULL;
CREATE INDEX sla_clocks_policy ON sla_clocks(policy_id, rules_version)
    WHERE state IN (1, 2) AND policy_id IS NOT NULL;

-- "At risk" and breach notices for the assignee and the group's supervisors.
CREATE TABLE sla_alerts (
    id         INTEGER PRIMARY KEY,
    ticket_id  INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    metric     INTEGER NOT NULL,
    kind       INTEGER NOT NULL,                  -- 1 at risk, 2 breach
    due_at     INTEGER,
    created_at INTEGER NOT NULL,
    read_at    INTEGER
);
CREATE INDEX sla_alerts_user ON sla_alerts(user_id, id);
CREATE INDEX sla_alerts_ticket ON sla_alerts(ticket_id, id);
