-- "Automatically offline outside the schedule": a per-person setting. When
-- on, the router's sweep sets the person offline once their shift is over
-- (logged in the availability history like any change), and they cannot go
-- online, away or busy outside their shifts.
ALTER TABLE staff_profiles ADD COLUMN auto_offline INTEGER NOT NULL DEFAULT 0;
CREATE INDEX staff_profiles_auto_offline ON staff_profiles(user_id)
    WHERE auto_offline = 1 AND availability <> 3;
