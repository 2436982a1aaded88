-- Study groups: members of a server who study together. A member is in at most one group per
-- server. A group may have a daily nudge (a reminder of kind 'nudge') posted in its channel.
CREATE TABLE study_group (
    id         INTEGER PRIMARY KEY,
    guild_id   INTEGER NOT NULL,
    -- As a moderator typed it, and folded for lookups (names are unique per server, any case).
    name       TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 40),
    name_key   TEXT    NOT NULL,
    channel_id INTEGER,
    created_by INTEGER NOT NULL,
    created_at TEXT    NOT NULL,
    UNIQUE (guild_id, name_key)
) STRICT;

CREATE TABLE group_member (
    guild_id   INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    group_id   INTEGER NOT NULL REFERENCES study_group (id) ON DELETE CASCADE,
    -- The member agreed to be pinged in the group's nudges (otherwise named without a ping).
    mention_ok INTEGER NOT NULL DEFAULT 0,
    joined_at  TEXT    NOT NULL,
    PRIMARY KEY (guild_id, user_id)
) STRICT;

CREATE INDEX group_member_by_group ON group_member (group_id);

ALTER TABLE reminder ADD COLUMN group_id INTEGER REFERENCES study_group (id) ON DELETE CASCADE;
CREATE UNIQUE INDEX reminder_per_group ON reminder (group_id) WHERE kind = 'nudge';
