-- Schema 14: the dashboard reads one period's rows, not every year's (reports/cohort.py, dashboard.py).
-- The review summary of 0012 is stored by period first (then learner), as its interventions
-- already are: a school year's figures read that year's pages only, and each learner's reviews
-- still come in period order. The same columns in the same order, so the triggers of 0012 and
-- `check --repair` keep it as before. Two small partial indexes: the reviews due after their
-- period ends (how far back a period's due reviews reach) and the red ratings.
CREATE TEMP TABLE summary_reviews_copy AS SELECT * FROM main.summary_reviews;
DROP TABLE main.summary_reviews;
CREATE TABLE main.summary_reviews (
    learner_id TEXT NOT NULL, period_end TEXT NOT NULL, period_start TEXT NOT NULL, review_id TEXT NOT NULL,
    status TEXT, review_type TEXT, due_date TEXT, meeting_date TEXT, attendance_pct REAL,
    reduced_timetable INTEGER, wellbeing_concern INTEGER, amended INTEGER, rating TEXT, rated_at TEXT,
    PRIMARY KEY (period_end, period_start, learner_id, review_id)
) WITHOUT ROWID;
INSERT INTO main.summary_reviews SELECT * FROM temp.summary_reviews_copy;
DROP TABLE temp.summary_reviews_copy;
CREATE UNIQUE INDEX main.summary_reviews_id ON summary_reviews(review_id);
-- The few amended reviews, whose interventions give way to the amendment's.
CREATE INDEX main.summary_reviews_amended ON summary_reviews(review_id) WHERE amended;
-- Reviews due after their period ends: the earliest period a period's due reviews belong to.
CREATE INDEX main.summary_reviews_late_due ON summary_reviews(due_date) WHERE due_date > period_end;
-- The reviews rated red (not amended), by period.
CREATE INDEX main.summary_reviews_red ON summary_reviews(period_end, meeting_date, rated_at, rating, amended)
    WHERE rating = 'red' AND NOT amended;
-- Enrolments on a reduced timetable, without reading the enrolments.
CREATE INDEX IF NOT EXISTS main.enrolments_reduced ON enrolments(start_date, end_date, deleted, learner_id)
    WHERE reduced_timetable = 1;
