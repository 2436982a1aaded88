-- Challenge points join the leaderboards: board_score's metric may now be 'points' (points of
-- approved submissions, counted in the week and month of their approval). SQLite cannot change
-- a CHECK in place, so the table is rebuilt with the same rows.
CREATE TABLE board_score_next (
    guild_id     INTEGER NOT NULL,
    metric       TEXT    NOT NULL CHECK (metric IN ('time', 'topics', 'points')),
    period       TEXT    NOT NULL CHECK (period IN ('week', 'month', 'all')),
    period_start TEXT    NOT NULL,
    user_id      INTEGER NOT NULL,
    score        INTEGER NOT NULL,
    PRIMARY KEY (guild_id, metric, period, period_start, user_id)
) STRICT;
INSERT INTO board_score_next (guild_id, metric, period, period_start, user_id, score)
    SELECT guild_id, metric, period, period_start, user_id, score FROM board_score;
DROP TABLE board_score;
ALTER TABLE board_score_next RENAME TO board_score;
CREATE INDEX board_score_rank ON board_score (guild_id, metric, period, period_start, score DESC, user_id);

-- What an approval gave, and when, so a later rejection takes back exactly that from the same
-- weeks and months (a challenge's points may be edited after).
ALTER TABLE submission ADD COLUMN awarded INTEGER;
ALTER TABLE submission ADD COLUMN approved_at TEXT;

