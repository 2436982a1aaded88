-- Servers the bot was removed from: their data is purged at purge_at unless the bot is added
-- back first (which deletes the row).
CREATE TABLE guild_departure (
    guild_id INTEGER NOT NULL PRIMARY KEY,
    -- RFC 3339 instants in UTC.
    left_at  TEXT    NOT NULL,
    purge_at TEXT    NOT NULL
) STRICT;

CREATE INDEX guild_departure_due ON guild_departure (purge_at);
