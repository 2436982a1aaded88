-- Study check-ins: one row per /checkin (or topic marked done), kept for history, boards and
-- export. The minutes of a study day are summed in study_day as they arrive.
CREATE TABLE checkin (
    id             INTEGER PRIMARY KEY,
    guild_id       INTEGER NOT NULL,
    user_id        INTEGER NOT NULL,
    -- The interaction that recorded it: the same interaction delivered twice counts once.
    interaction_id INTEGER UNIQUE,
    -- The study day it counted for (YYYY-MM-DD in that day's zone).
    study_date     TEXT    NOT NULL,
    minutes        INTEGER NOT NULL CHECK (minutes BETWEEN 0 AND 720),
    topic_slug     TEXT,
    note           TEXT    CHECK (length(note) <= 300),
    -- RFC 3339 instant in UTC.
    at             TEXT    NOT NULL
) STRICT;

CREATE INDEX checkin_by_member ON checkin (guild_id, user_id, at);
CREATE INDEX checkin_by_time ON checkin (guild_id, at);

-- A member's study days: the local date, the zone it was counted in, and the real-time stretch
-- it covers (so the zone rule can compare days across zone changes), with its minutes.
CREATE TABLE study_day (
    guild_id   INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    study_date TEXT    NOT NULL,
    zone       TEXT    NOT NULL,
    starts_at  TEXT    NOT NULL,
    ends_at    TEXT    NOT NULL,
    minutes    INTEGER NOT NULL,
    PRIMARY KEY (guild_id, user_id, study_date)
) STRICT;

CREATE INDEX study_day_by_start ON study_day (guild_id, user_id, starts_at);

-- Each member's streak, carried forward one study day at a time (no history scan per
-- check-in). alive_until: when the current run ends without another study day.
CREATE TABLE streak (
    guild_id    INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    current     INTEGER NOT NULL,
    longest     INTEGER NOT NULL,
    freezes     INTEGER NOT NULL,
    run_days    INTEGER NOT NULL,
    last_date   TEXT    NOT NULL,
    last_zone   TEXT    NOT NULL,
    alive_until TEXT    NOT NULL,
    PRIMARY KEY (guild_id, user_id)
) STRICT;

CREATE INDEX streak_board ON streak (guild_id, alive_until, current);

ALTER TABLE member_settings ADD COLUMN rest_days INTEGER NOT NULL DEFAULT 0;
ALTER TABLE member_settings ADD COLUMN streak_private INTEGER NOT NULL DEFAULT 0;
