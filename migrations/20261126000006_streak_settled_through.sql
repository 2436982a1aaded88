-- Days after the last study day up to this date were settled with the rest days of the time
-- (a member changed theirs): new rest days apply from the day of the change.
ALTER TABLE streak ADD COLUMN settled_through TEXT;
