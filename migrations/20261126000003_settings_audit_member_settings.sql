-- A server's settings, changed by its moderators. A missing row or a NULL means the default.
CREATE TABLE guild_settings (
    guild_id          INTEGER NOT NULL PRIMARY KEY,
    -- IANA zone name, e.g. Europe/Berlin: the server's day for week and month boards, and the
    -- zone of members who did not choose one.
    timezone          TEXT,
    -- Members with this role are moderators, besides those with Manage Server.
    moderator_role_id INTEGER,
    -- Minutes a /checkin records when the member gives none.
    checkin_minutes   INTEGER CHECK (checkin_minutes BETWEEN 1 AND 720),
    -- RFC 3339 instant in UTC.
    updated_at        TEXT    NOT NULL
) STRICT;

-- What moderators (and, later, members deleting their data) did, kept per server.
CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY,
    guild_id INTEGER NOT NULL,
    actor_id INTEGER NOT NULL,
    -- A short code, e.g. settings.timezone.
    action   TEXT    NOT NULL,
    -- What changed, in words (old → new), for /settings show and later logs.
    detail   TEXT    NOT NULL,
    at       TEXT    NOT NULL
) STRICT;

CREATE INDEX audit_log_by_guild ON audit_log (guild_id, at);

-- A member's own choices in one server.
CREATE TABLE member_settings (
    guild_id       INTEGER NOT NULL,
    user_id        INTEGER NOT NULL,
    timezone       TEXT,
    PRIMARY KEY (guild_id, user_id)
) STRICT;
