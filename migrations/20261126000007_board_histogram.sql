-- How many members hold each score on each board, so "you are #N of M" is a sum over the
-- distinct scores above yours instead of a count over every member. Kept in step with
-- board_score and streak by the store functions that change them.
CREATE TABLE board_histogram (
    guild_id     INTEGER NOT NULL,
    -- 'time', 'topics', or 'streak' (period 'all', period_start '': current streaks).
    metric       TEXT    NOT NULL,
    period       TEXT    NOT NULL,
    period_start TEXT    NOT NULL,
    score        INTEGER NOT NULL,
    members      INTEGER NOT NULL,
    PRIMARY KEY (guild_id, metric, period, period_start, score)
) STRICT;

-- Pages read best first, ties by user id: the indexes are in that order.
DROP INDEX board_score_rank;
CREATE INDEX board_score_rank ON board_score (guild_id, metric, period, period_start, score DESC, user_id);
DROP INDEX streak_board;
CREATE INDEX streak_board ON streak (guild_id, current DESC, user_id);
-- Finding streaks that have just ended.
CREATE INDEX streak_ending ON streak (alive_until) WHERE current > 0;

INSERT INTO board_histogram (guild_id, metric, period, period_start, score, members)
    SELECT guild_id, metric, period, period_start, score, COUNT(*)
    FROM board_score WHERE score > 0
    GROUP BY guild_id, metric, period, period_start, score;
INSERT INTO board_histogram (guild_id, metric, period, period_start, score, members)
    SELECT guild_id, 'streak', 'all', '', current, COUNT(*)
    FROM streak WHERE current > 0
    GROUP BY guild_id, current;
