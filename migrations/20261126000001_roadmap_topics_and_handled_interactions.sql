-- The topics of the roadmap this process serves, written at every start-up from
-- config/roadmap.toml. Progress rows of topics a server removed from its roadmap are kept (the
-- topic may come back) but must not count anywhere: every query that counts progress reads the
-- view below, so the rule lives here once instead of in each service, leaderboard or export.
CREATE TABLE roadmap_topic (
    slug       TEXT    NOT NULL PRIMARY KEY,
    phase_slug TEXT    NOT NULL,
    -- Roadmap order, 0-based, across all phases.
    position   INTEGER NOT NULL
) STRICT;

CREATE VIEW current_topic_progress AS
    SELECT p.guild_id, p.user_id, p.topic_slug, p.status, p.updated_at, p.completed_at,
           t.phase_slug, t.position
    FROM topic_progress p
    JOIN roadmap_topic t ON t.slug = p.topic_slug;

-- Interactions already handled, so that Discord delivering the same one twice (same id and
-- token) changes nothing the second time. Rows older than an interaction token's life are pruned.
CREATE TABLE handled_interaction (
    interaction_id INTEGER NOT NULL PRIMARY KEY,
    -- RFC 3339 instant in UTC.
    handled_at     TEXT    NOT NULL
) STRICT;

CREATE INDEX handled_interaction_age ON handled_interaction (handled_at);
