-- Daily reminders (a member's DM) and, later, study-group nudges (a channel post). The database
-- is the dispatcher's queue: next_due says when each is due next.
CREATE TABLE reminder (
    id              INTEGER PRIMARY KEY,
    guild_id        INTEGER NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('member', 'nudge')),
    -- The member, for a member's reminder.
    user_id         INTEGER,
    -- Where it is posted: the member's DM channel once known, or the nudge's channel.
    channel_id      INTEGER,
    -- HH:MM local time on the chosen weekdays (a bit per weekday, Monday first), in zone.
    local_time      TEXT    NOT NULL,
    days            INTEGER NOT NULL CHECK (days BETWEEN 1 AND 127),
    zone            TEXT    NOT NULL,
    skip_if_studied INTEGER NOT NULL DEFAULT 1,
    -- A local date: nothing is sent before it.
    paused_until    TEXT,
    enabled         INTEGER NOT NULL DEFAULT 1,
    -- Why it was turned off by the bot (closed DMs, a deleted channel), and whether the member
    -- (or a moderator) has been told.
    disabled_reason TEXT,
    disabled_told   INTEGER NOT NULL DEFAULT 0,
    -- The next occurrence: its local date (the once-a-day key) and instant.
    next_date       TEXT,
    next_due        TEXT,
    created_at      TEXT    NOT NULL
) STRICT;

CREATE UNIQUE INDEX reminder_per_member ON reminder (guild_id, user_id) WHERE kind = 'member';
CREATE INDEX reminder_due ON reminder (next_due) WHERE enabled = 1;

-- Every occurrence the dispatcher handled, claimed under (reminder, local date) before anything
-- is sent: a restart or crash at any point never sends one twice.
CREATE TABLE reminder_occurrence (
    reminder_id INTEGER NOT NULL REFERENCES reminder (id) ON DELETE CASCADE,
    local_date  TEXT    NOT NULL,
    due_at      TEXT    NOT NULL,
    -- claimed: being sent (or the outcome was lost in a crash: never repeated);
    -- sent / late: delivered (late: after downtime, within the grace);
    -- skipped: the member had already studied; missed: too late after downtime;
    -- failed: Discord kept failing; dead: the target is gone (the reminder was disabled).
    state       TEXT    NOT NULL CHECK (state IN ('claimed', 'sent', 'late', 'skipped', 'missed', 'failed', 'dead')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    detail      TEXT,
    handled_at  TEXT    NOT NULL,
    PRIMARY KEY (reminder_id, local_date)
) STRICT;

CREATE INDEX reminder_occurrence_by_time ON reminder_occurrence (handled_at);
