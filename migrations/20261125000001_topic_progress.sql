-- A member's status on one roadmap topic. A member is a user in a server: progress is kept per
-- guild. "Not started" is the absence of a row; a reset deletes the row.
CREATE TABLE topic_progress (
    guild_id     INTEGER NOT NULL,
    user_id      INTEGER NOT NULL,
    topic_slug   TEXT    NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('in_progress', 'done', 'skipped')),
    -- RFC 3339 instants in UTC.
    updated_at   TEXT    NOT NULL,
    -- When the topic was last marked done; kept for leaderboards by period.
    completed_at TEXT,
    PRIMARY KEY (guild_id, user_id, topic_slug)
) STRICT;

CREATE INDEX topic_progress_completed ON topic_progress (guild_id, completed_at)
    WHERE status = 'done';
