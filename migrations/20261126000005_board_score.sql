-- Leaderboard scores kept up to date as study and progress are recorded, so a page is an index
-- range and not a scan of every check-in. One row per server, metric, period and member.
--   metric: 'time' (minutes studied) or 'topics' (topics done; current roadmap only).
--   period: 'week' or 'month' (starting at the server's local midnight, Monday or the 1st),
--           or 'all' (period_start is then the empty string).
-- Current streaks are ranked from the streak table, which already holds them.
CREATE TABLE board_score (
    guild_id     INTEGER NOT NULL,
    metric       TEXT    NOT NULL CHECK (metric IN ('time', 'topics')),
    period       TEXT    NOT NULL CHECK (period IN ('week', 'month', 'all')),
    period_start TEXT    NOT NULL,
    user_id      INTEGER NOT NULL,
    score        INTEGER NOT NULL,
    PRIMARY KEY (guild_id, metric, period, period_start, user_id)
) STRICT;

CREATE INDEX board_score_rank ON board_score (guild_id, metric, period, period_start, score, user_id);

DROP INDEX streak_board;
CREATE INDEX streak_board ON streak (guild_id, current, user_id);
