-- Phase challenges and members' submissions.
CREATE TABLE challenge (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    phase_slug  TEXT    NOT NULL,
    title       TEXT    NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
    description TEXT    NOT NULL CHECK (length(description) BETWEEN 1 AND 2000),
    -- RFC 3339 instant in UTC.
    due_at      TEXT    NOT NULL,
    points      INTEGER NOT NULL CHECK (points BETWEEN 1 AND 1000),
    -- Where it was posted, and the post (once sent).
    channel_id  INTEGER NOT NULL,
    message_id  INTEGER,
    state       TEXT    NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed', 'cancelled')),
    created_by  INTEGER NOT NULL,
    created_at  TEXT    NOT NULL,
    closed_at   TEXT
) STRICT;

CREATE INDEX challenge_by_guild ON challenge (guild_id, due_at);
CREATE INDEX challenge_due ON challenge (due_at) WHERE state = 'open';

-- One submission per member and challenge: replaced until reviewed, then locked.
CREATE TABLE submission (
    challenge_id INTEGER NOT NULL REFERENCES challenge (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL,
    link         TEXT    NOT NULL CHECK (length(link) BETWEEN 1 AND 500),
    notes        TEXT    CHECK (length(notes) <= 1000),
    state        TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'rejected')),
    feedback     TEXT    CHECK (length(feedback) <= 1000),
    reviewed_by  INTEGER,
    reviewed_at  TEXT,
    submitted_at TEXT    NOT NULL,
    PRIMARY KEY (challenge_id, user_id)
) STRICT;

CREATE INDEX submission_pending ON submission (challenge_id, submitted_at) WHERE state = 'pending';
