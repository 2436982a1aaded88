-- A member's own notes on a roadmap topic, written through the /note form. One note per member
-- and topic; an empty note is the absence of a row.
CREATE TABLE topic_note (
    guild_id   INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    topic_slug TEXT    NOT NULL,
    note       TEXT    NOT NULL CHECK (length(note) BETWEEN 1 AND 1000),
    -- RFC 3339 instant in UTC.
    updated_at TEXT    NOT NULL,
    PRIMARY KEY (guild_id, user_id, topic_slug)
) STRICT;
