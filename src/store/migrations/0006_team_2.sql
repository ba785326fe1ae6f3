-- A generation number for the routing pool: every change to who may be
-- routed to and how (membership, user status, profile, languages, capacity,
-- skills) sets it to a new random value, so the writer can keep each group's
-- pool in memory and reread it only after a change. Random rather than
-- counted, because a rolled-back write must never leave a value a later
-- change could reach again. Assignments (last_assigned_at) and ticket loads
-- are read fresh for every decision and do not move it.

CREATE TABLE team_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
);
INSERT INTO team_generation VALUES (1, random());

CREATE TRIGGER team_gen_users AFTER UPDATE OF name, role, active, suspended, time_zone ON users
BEGIN UPDATE team_generation SET n = random(); END;
CREATE TRIGGER team_gen_members_ins AFTER INSERT ON group_memberships
BEGIN UPDATE team_generation SET n = random(); END;
CREATE TRIGGER team_gen_members_del AFTER DELETE ON group_memberships
BEGIN UPDATE team_generation SET n = random(); END;
CREATE TRIGGER team_gen_profiles_ins AFTER INSERT ON staff_profiles
BEGIN UPDATE team_generation SET n = random(); END;
CREATE TRIGGER team_gen_profiles_upd
AFTER UPDATE OF state, schedule_zone, schedule, routing_paused, availability ON staff_profiles
BEGIN UPDATE team_generation SET n = random(); END;
CREATE TRIGGER team_gen_profiles_del AFTER DELETE ON staff_profiles
BEGIN UPDATE team_generation SET n = random(); END;
CREATE TRIGGER team_gen_langs_ins AFTER INSERT ON staff_languages
BEGIN UPDATE team_generation SET n = random(); END;
CREATE TRIGGER team_gen_langs_upd AFTER UPDATE ON staff_languages
BEGIN UPDATE team_generation SET n = random(); END;
CREATE TRIGGER team_gen_langs_del AFTER DELETE ON staff_languages
BEGIN UPDATE team_generation SET n = random(); END;
CREATE TRIGGER team_gen_caps_ins AFTER INSERT ON staff_capacity
BEGIN UPDATE team_generation SET n = random(); END;
CREATE TRIGGER team_gen_caps_upd AFTER UPDATE ON staff_capacity
BEGIN UPDATE team_generation SET n = random(); END;
CREATE TRIGGER team_gen_caps_del AFTER DELETE ON staff_capacity
BEGIN UPDATE team_generation SET n = random(); END;
CREATE TRIGGER team_gen_skills_ins AFTER INSERT ON routing_agent_values
BEGIN UPDATE team_generation SET n = random(); END;
CREATE TRIGGER team_gen_skills_del AFTER DELETE ON routing_agent_values
BEGIN UPDATE team_generation SET n = random(); END;
CREATE TRIGGER team_gen_values_upd AFTER UPDATE OF deleted_at ON routing_attribute_values
BEGIN UPDATE team_generation SET n = random(); END;
