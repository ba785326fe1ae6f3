-- The live wall's "needs attention" counters, kept by triggers in the
-- transaction of whatever changes them (so the wall reads six rows, never a
-- count): SLA targets running at risk and breached, escalations waiting to be
-- accepted, concessions waiting for approval, trainee drafts waiting, and
-- unsolved tickets whose customer's latest message was irate.
CREATE TABLE live_attention (
    kind TEXT PRIMARY KEY,
    n    INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO live_attention (kind, n) VALUES
    ('sla_at_risk', (SELECT count(*) FROM sla_clocks WHERE state = 1 AND at_risk = 1 AND breached = 0)),
    ('sla_breached', (SELECT count(*) FROM sla_clocks WHERE state = 1 AND breached = 1)),
    ('escalations', (SELECT count(*) FROM escalations WHERE state = 0)),
    ('approvals', (SELECT count(*) FROM concessions WHERE state = 0)),
    ('drafts', (SELECT count(*) FROM drafts WHERE state = 'pending')),
    ('irate', 0);

-- WHEN clauses keep the common clock writes (nothing at risk changes) free.
CREATE TRIGGER live_att_sla_ins AFTER INSERT ON sla_clocks
WHEN NEW.state = 1 AND (NEW.at_risk = 1 OR NEW.breached = 1) BEGIN
    UPDATE live_attention SET n = n + (NEW.state = 1 AND NEW.at_risk = 1 AND NEW.breached = 0)
     WHERE kind = 'sla_at_risk';
    UPDATE live_attention SET n = n + (NEW.state = 1 AND NEW.breached = 1) WHERE kind = 'sla_breached';
END;
CREATE TRIGGER live_att_sla_upd AFTER UPDATE OF state, at_risk, breached ON sla_clocks
WHEN OLD.state IS NOT NEW.state OR OLD.at_risk IS NOT NEW.at_risk OR OLD.breached IS NOT NEW.breached BEGIN
    UPDATE live_attention SET n = n + (NEW.state = 1 AND NEW.at_risk = 1 AND NEW.breached = 0)
                                    - (OLD.state = 1 AND OLD.at_risk = 1 AND OLD.breached = 0)
     WHERE kind = 'sla_at_risk';
    UPDATE live_attention SET n = n + (NEW.state = 1 AND NEW.breached = 1)
                                    - (OLD.state = 1 AND OLD.breached = 1)
     WHERE kind = 'sla_breached';
END;
CREATE TRIGGER live_att_sla_del AFTER DELETE ON sla_clocks
WHEN OLD.state = 1 AND (OLD.at_risk = 1 OR OLD.breached = 1) BEGIN
    UPDATE live_attention SET n = n - (OLD.state = 1 AND OLD.at_risk = 1 AND OLD.breached = 0)
     WHERE kind = 'sla_at_risk';
    UPDATE live_attention SET n = n - (OLD.state = 1 AND OLD.breached = 1) WHERE kind = 'sla_breached';
END;

CREATE TRIGGER live_att_esc_ins AFTER INSERT ON escalations BEGIN
    UPDATE live_attention SET n = n + (NEW.state = 0) WHERE kind = 'escalations';
END;
CREATE TRIGGER live_att_esc_upd AFTER UPDATE OF state ON escalations
WHEN OLD.state IS NOT NEW.state BEGIN
    UPDATE live_attention SET n = n + (NEW.state = 0) - (OLD.state = 0) WHERE kind = 'escalations';
END;
CREATE TRIGGER live_att_esc_del AFTER DELETE ON escalations BEGIN
    UPDATE live_attention SET n = n - (OLD.state = 0) WHERE kind = 'escalations';
END;

CREATE TRIGGER live_att_con_ins AFTER INSERT ON concessions BEGIN
    UPDATE live_attention SET n = n + (NEW.state = 0) WHERE kind = 'approvals';
END;
CREATE TRIGGER live_att_con_upd AFTER UPDATE OF state ON concessions
WHEN OLD.state IS NOT NEW.state BEGIN
    UPDATE live_attention SET n = n + (NEW.state = 0) - (OLD.state = 0) WHERE kind = 'approvals';
END;
CREATE TRIGGER live_att_con_del AFTER DELETE ON concessions BEGIN
    UPDATE live_attention SET n = n - (OLD.state = 0) WHERE kind = 'approvals';
END;

CREATE TRIGGER live_att_dr_ins AFTER INSERT ON drafts BEGIN
    UPDATE live_attention SET n = n + (NEW.state = 'pending') WHERE kind = 'drafts';
END;
CREATE TRIGGER live_att_dr_upd AFTER UPDATE OF state ON drafts
WHEN OLD.state IS NOT NEW.state BEGIN
    UPDATE live_attention SET n = n + (NEW.state = 'pending') - (OLD.state = 'pending')
     WHERE kind = 'drafts';
END;
CREATE TRIGGER live_att_dr_del AFTER DELETE ON drafts BEGIN
    UPDATE live_attention SET n = n - (OLD.state = 'pending') WHERE kind = 'drafts';
END;

-- Irate customers: the mood of each ticket's latest customer message, and a
-- count of the unsolved, undeleted tickets where it is irate (mood 2).
CREATE TABLE live_ticket_mood (
    ticket_id INTEGER PRIMARY KEY REFERENCES tickets(id) ON DELETE CASCADE,
    irate     INTEGER NOT NULL
);
INSERT INTO live_ticket_mood (ticket_id, irate)
    SELECT s.ticket_id, s.mood = 2 FROM message_signals s
     WHERE s.id = (SELECT max(id) FROM message_signals m WHERE m.ticket_id = s.ticket_id);
UPDATE live_attention SET n = (SELECT count(*) FROM live_ticket_mood m JOIN tickets t ON t.id = m.ticket_id
                                WHERE m.irate = 1 AND t.status < 4 AND t.deleted_at IS NULL)
 WHERE kind = 'irate';

CREATE TRIGGER live_att_mood AFTER INSERT ON message_signals BEGIN
    UPDATE live_attention
       SET n = n + (NEW.mood = 2)
                 - coalesce((SELECT irate FROM live_ticket_mood WHERE ticket_id = NEW.ticket_id), 0)
     WHERE kind = 'irate'
       AND EXISTS (SELECT 1 FROM tickets WHERE id = NEW.ticket_id AND status < 4 AND deleted_at IS NULL);
    INSERT INTO live_ticket_mood (ticket_id, irate) VALUES (NEW.ticket_id, NEW.mood = 2)
        ON CONFLICT (ticket_id) DO UPDATE SET irate = excluded.irate;
END;
CREATE TRIGGER live_att_mood_ticket AFTER UPDATE OF status, deleted_at ON tickets
WHEN ((OLD.status < 4) IS NOT (NEW.status < 4) OR (OLD.deleted_at IS NULL) IS NOT (NEW.deleted_at IS NULL))
 AND (SELECT irate FROM live_ticket_mood WHERE ticket_id = NEW.id) = 1 BEGIN
    UPDATE live_attention
       SET n = n + (NEW.status < 4 AND NEW.deleted_at IS NULL) - (OLD.status < 4 AND OLD.deleted_at IS NULL)
     WHERE kind = 'irate';
END;
