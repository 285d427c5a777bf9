-- Schema 12: summary rows for the coordinator's dashboard and the monitoring report
-- (reports/cohort.py). One row per learner (what the next PEP's due date needs, the latest school
-- and placement), one per review (its dates and figures, whether it was amended, its latest
-- quality rating) and one per intervention (with its review's period and learner), so that the
-- figures read a few narrow rows instead of grouping every review, rating, intervention and
-- enrolment of the store each time. Derived, never exported or synced. Phases are not here: they
-- are worked out from the date of birth when asked.
--
-- Each `*_source` view is the one definition of a summary row. Triggers on the record tables
-- rewrite the rows an insert, update or delete touches, in the same transaction, whichever path
-- writes (editor, sync, import, demo); `check` compares the tables with their views and
-- `check --repair` rebuilds them. Nothing that depends on today's date is stored: overdue and
-- due soon are worked out when the figures are asked for.

CREATE VIEW summary_learners_source AS
SELECT l.id AS learner_id, l.reference, l.upn, l.date_of_birth, l.legal_status, l.language_of_learning,
       l.date_looked_after, l.idp_holder, l.next_idp_review,
       (SELECT min(r.due_date) FROM reviews r WHERE r.learner_id = l.id AND r.status = 'draft') AS draft_due,
       (SELECT max(r.meeting_date) FROM reviews r WHERE r.learner_id = l.id AND r.status = 'finalised') AS last_meeting,
       (SELECT min(r.meeting_date) FROM reviews r WHERE r.learner_id = l.id AND r.status = 'finalised'
          AND r.review_type = 'initial') AS first_meeting,
       -- The latest finalised review that no finalised amendment replaced (its next review date).
       (SELECT f.next_review_date FROM reviews f WHERE f.learner_id = l.id AND f.status = 'finalised'
          AND NOT EXISTS (SELECT 1 FROM reviews a WHERE a.amends_review_id = f.id AND a.status = 'finalised')
          ORDER BY f.period_end DESC, f.period_start, f.id LIMIT 1) AS next_review,
       -- The latest school and placement started (a period that ends before they start reads the records).
       (SELECT e.school_id FROM enrolments e WHERE e.learner_id = l.id AND coalesce(e.deleted, 0) = 0
          AND EXISTS (SELECT 1 FROM schools s WHERE s.id = e.school_id)
          ORDER BY e.start_date DESC, e.id LIMIT 1) AS school_id,
       (SELECT max(e.start_date) FROM enrolments e WHERE e.learner_id = l.id AND coalesce(e.deleted, 0) = 0
          AND EXISTS (SELECT 1 FROM schools s WHERE s.id = e.school_id)) AS school_start,
       (SELECT p.placing_area FROM placements p WHERE p.learner_id = l.id AND coalesce(p.deleted, 0) = 0
          ORDER BY p.start_date DESC, p.id LIMIT 1) AS placing_area,
       (SELECT max(p.start_date) FROM placements p WHERE p.learner_id = l.id AND coalesce(p.deleted, 0) = 0)
          AS placement_start
FROM learners l;

CREATE VIEW summary_reviews_source AS
SELECT r.learner_id, r.period_end, r.period_start, r.id AS review_id, r.status, r.review_type, r.due_date,
       r.meeting_date, r.attendance_pct, r.reduced_timetable, r.wellbeing_concern,
       EXISTS (SELECT 1 FROM reviews a WHERE a.amends_review_id = r.id) AS amended,
       -- The latest live quality rating (ties: as the index orders them, the last one).
       (SELECT q.rating FROM quality_ratings q WHERE q.review_id = r.id AND coalesce(q.deleted, 0) = 0
          ORDER BY coalesce(q.rated_at, '') DESC, q.deleted IS NULL, q.rating DESC LIMIT 1) AS rating,
       (SELECT q.rated_at FROM quality_ratings q WHERE q.review_id = r.id AND coalesce(q.deleted, 0) = 0
          ORDER BY coalesce(q.rated_at, '') DESC, q.deleted IS NULL, q.rating DESC LIMIT 1) AS rated_at
FROM reviews r;

CREATE TABLE summary_learners (
    learner_id TEXT PRIMARY KEY,
    reference TEXT, upn TEXT, date_of_birth TEXT, legal_status TEXT, language_of_learning TEXT,
    date_looked_after TEXT, idp_holder TEXT, next_idp_review TEXT,
    draft_due TEXT, last_meeting TEXT, first_meeting TEXT, next_review TEXT,
    school_id TEXT, school_start TEXT, placing_area TEXT, placement_start TEXT
);

-- The whole authority's learners in order of reference, without reading the table (dashboard).
CREATE INDEX summary_learners_reference ON summary_learners(reference, learner_id, date_looked_after, draft_due,
    next_review, last_meeting, first_meeting, school_id, school_start);

-- Stored in the order the figures read them (a learner's reviews by period).
CREATE TABLE summary_reviews (
    learner_id TEXT NOT NULL, period_end TEXT NOT NULL, period_start TEXT NOT NULL, review_id TEXT NOT NULL,
    status TEXT, review_type TEXT, due_date TEXT, meeting_date TEXT, attendance_pct REAL,
    reduced_timetable INTEGER, wellbeing_concern INTEGER, amended INTEGER, rating TEXT, rated_at TEXT,
    PRIMARY KEY (learner_id, period_end, period_start, review_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX summary_reviews_id ON summary_reviews(review_id);
-- The few amended reviews, whose interventions give way to the amendment's.
CREATE INDEX summary_reviews_amended ON summary_reviews(review_id) WHERE amended;

-- Read by the review's summary row (a review row holds every section's text).
CREATE VIEW summary_interventions_source AS
SELECT r.period_end, r.period_start, r.learner_id, r.review_id, i.id AS intervention_id, i.kind, i.cost_pence, i.funding
FROM interventions i JOIN summary_reviews r ON r.review_id = i.review_id
WHERE coalesce(i.deleted, 0) = 0;

CREATE TABLE summary_interventions (
    period_end TEXT NOT NULL, period_start TEXT NOT NULL, learner_id TEXT NOT NULL, review_id TEXT NOT NULL,
    intervention_id TEXT NOT NULL, kind TEXT, cost_pence INTEGER, funding TEXT,
    PRIMARY KEY (period_end, period_start, learner_id, review_id, intervention_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX summary_interventions_id ON summary_interventions(intervention_id);
CREATE INDEX summary_interventions_review ON summary_interventions(review_id);
-- The figures group a period's interventions by learner and kind from this index alone.
CREATE INDEX summary_interventions_learner ON summary_interventions(learner_id, kind, funding, period_end,
    period_start, review_id, cost_pence);

INSERT INTO summary_learners SELECT * FROM summary_learners_source;
INSERT INTO summary_reviews SELECT * FROM summary_reviews_source;
INSERT INTO summary_interventions SELECT * FROM summary_interventions_source;

-- Learners.
CREATE TRIGGER summary_learners_insert AFTER INSERT ON learners BEGIN
    INSERT OR REPLACE INTO summary_learners SELECT * FROM summary_learners_source WHERE learner_id = NEW.id;
END;
CREATE TRIGGER summary_learners_update AFTER UPDATE OF id, reference, upn, date_of_birth, legal_status,
        language_of_learning, date_looked_after, idp_holder, next_idp_review ON learners BEGIN
    DELETE FROM summary_learners WHERE learner_id = OLD.id;
    INSERT OR REPLACE INTO summary_learners SELECT * FROM summary_learners_source WHERE learner_id = NEW.id;
END;
CREATE TRIGGER summary_learners_delete AFTER DELETE ON learners BEGIN
    DELETE FROM summary_learners WHERE learner_id = OLD.id;
END;

-- Reviews: the review's own row (from NEW: a review row holds every section's text), its
-- interventions' rows, the row of the review it amends, and the learner's row (only the columns
-- that the change can move).
CREATE TRIGGER summary_reviews_insert AFTER INSERT ON reviews BEGIN
    INSERT OR REPLACE INTO summary_reviews
        SELECT NEW.learner_id, NEW.period_end, NEW.period_start, NEW.id, NEW.status, NEW.review_type, NEW.due_date,
               NEW.meeting_date, NEW.attendance_pct, NEW.reduced_timetable, NEW.wellbeing_concern, s.amended, s.rating,
               s.rated_at
        FROM summary_reviews_source s WHERE s.review_id = NEW.id;
    INSERT OR REPLACE INTO summary_interventions SELECT * FROM summary_interventions_source WHERE review_id = NEW.id;
    UPDATE summary_reviews SET amended = 1 WHERE review_id = NEW.amends_review_id;
    UPDATE summary_learners SET (draft_due, last_meeting, first_meeting, next_review)
        = (SELECT draft_due, last_meeting, first_meeting, next_review FROM summary_learners_source s
           WHERE s.learner_id = summary_learners.learner_id)
        WHERE learner_id = NEW.learner_id;
END;
CREATE TRIGGER summary_reviews_update AFTER UPDATE OF id, learner_id, review_type, status, amends_review_id,
        period_start, period_end, due_date, meeting_date, attendance_pct, reduced_timetable, wellbeing_concern
        ON reviews BEGIN
    DELETE FROM summary_reviews WHERE review_id = OLD.id;
    INSERT OR REPLACE INTO summary_reviews
        SELECT NEW.learner_id, NEW.period_end, NEW.period_start, NEW.id, NEW.status, NEW.review_type, NEW.due_date,
               NEW.meeting_date, NEW.attendance_pct, NEW.reduced_timetable, NEW.wellbeing_concern, s.amended, s.rating,
               s.rated_at
        FROM summary_reviews_source s WHERE s.review_id = NEW.id;
    DELETE FROM summary_interventions WHERE review_id IN (OLD.id, NEW.id)
        AND (OLD.id IS NOT NEW.id OR OLD.learner_id IS NOT NEW.learner_id OR OLD.period_start IS NOT NEW.period_start
             OR OLD.period_end IS NOT NEW.period_end);
    INSERT OR REPLACE INTO summary_interventions SELECT * FROM summary_interventions_source WHERE review_id = NEW.id
        AND (OLD.id IS NOT NEW.id OR OLD.learner_id IS NOT NEW.learner_id OR OLD.period_start IS NOT NEW.period_start
             OR OLD.period_end IS NOT NEW.period_end);
    UPDATE summary_reviews
        SET amended = EXISTS (SELECT 1 FROM reviews a WHERE a.amends_review_id = summary_reviews.review_id)
        WHERE review_id IN (OLD.amends_review_id, NEW.amends_review_id);
END;
CREATE TRIGGER summary_reviews_learner AFTER UPDATE OF id, learner_id, review_type, status, amends_review_id,
        period_start, period_end, due_date, meeting_date, next_review_date ON reviews BEGIN
    UPDATE summary_learners SET (draft_due, last_meeting, first_meeting, next_review)
        = (SELECT draft_due, last_meeting, first_meeting, next_review FROM summary_learners_source s
           WHERE s.learner_id = summary_learners.learner_id)
        WHERE learner_id IN (OLD.learner_id, NEW.learner_id);
END;
CREATE TRIGGER summary_reviews_delete AFTER DELETE ON reviews BEGIN
    DELETE FROM summary_reviews WHERE review_id = OLD.id;
    DELETE FROM summary_interventions WHERE review_id = OLD.id;
    UPDATE summary_reviews
        SET amended = EXISTS (SELECT 1 FROM reviews a WHERE a.amends_review_id = summary_reviews.review_id)
        WHERE review_id = OLD.amends_review_id;
    UPDATE summary_learners SET (draft_due, last_meeting, first_meeting, next_review)
        = (SELECT draft_due, last_meeting, first_meeting, next_review FROM summary_learners_source s
           WHERE s.learner_id = summary_learners.learner_id)
        WHERE learner_id = OLD.learner_id;
END;

-- Quality ratings: the rated review's latest rating.
CREATE TRIGGER summary_ratings_insert AFTER INSERT ON quality_ratings BEGIN
    UPDATE summary_reviews SET (rating, rated_at)
        = (SELECT rating, rated_at FROM summary_reviews_source s WHERE s.review_id = summary_reviews.review_id)
        WHERE review_id = NEW.review_id;
END;
CREATE TRIGGER summary_ratings_update AFTER UPDATE OF review_id, rating, rated_at, deleted ON quality_ratings BEGIN
    UPDATE summary_reviews SET (rating, rated_at)
        = (SELECT rating, rated_at FROM summary_reviews_source s WHERE s.review_id = summary_reviews.review_id)
        WHERE review_id IN (OLD.review_id, NEW.review_id);
END;
CREATE TRIGGER summary_ratings_delete AFTER DELETE ON quality_ratings BEGIN
    UPDATE summary_reviews SET (rating, rated_at)
        = (SELECT rating, rated_at FROM summary_reviews_source s WHERE s.review_id = summary_reviews.review_id)
        WHERE review_id = OLD.review_id;
END;

-- Interventions.
CREATE TRIGGER summary_interventions_insert AFTER INSERT ON interventions BEGIN
    INSERT OR REPLACE INTO summary_interventions SELECT * FROM summary_interventions_source
        WHERE intervention_id = NEW.id;
END;
CREATE TRIGGER summary_interventions_update AFTER UPDATE OF id, review_id, kind, cost_pence, funding, deleted
        ON interventions BEGIN
    DELETE FROM summary_interventions WHERE intervention_id IN (OLD.id, NEW.id);
    INSERT OR REPLACE INTO summary_interventions SELECT * FROM summary_interventions_source
        WHERE intervention_id = NEW.id;
END;
CREATE TRIGGER summary_interventions_delete AFTER DELETE ON interventions BEGIN
    DELETE FROM summary_interventions WHERE intervention_id = OLD.id;
END;

-- Enrolments, placements and schools: the learner's latest school and placement.
CREATE TRIGGER summary_enrolments_insert AFTER INSERT ON enrolments BEGIN
    UPDATE summary_learners SET (school_id, school_start)
        = (SELECT school_id, school_start FROM summary_learners_source s
           WHERE s.learner_id = summary_learners.learner_id)
        WHERE learner_id = NEW.learner_id;
END;
CREATE TRIGGER summary_enrolments_update AFTER UPDATE OF learner_id, school_id, start_date, deleted ON enrolments BEGIN
    UPDATE summary_learners SET (school_id, school_start)
        = (SELECT school_id, school_start FROM summary_learners_source s
           WHERE s.learner_id = summary_learners.learner_id)
        WHERE learner_id IN (OLD.learner_id, NEW.learner_id);
END;
CREATE TRIGGER summary_enrolments_delete AFTER DELETE ON enrolments BEGIN
    UPDATE summary_learners SET (school_id, school_start)
        = (SELECT school_id, school_start FROM summary_learners_source s
           WHERE s.learner_id = summary_learners.learner_id)
        WHERE learner_id = OLD.learner_id;
END;
CREATE TRIGGER summary_placements_insert AFTER INSERT ON placements BEGIN
    UPDATE summary_learners SET (placing_area, placement_start)
        = (SELECT placing_area, placement_start FROM summary_learners_source s
           WHERE s.learner_id = summary_learners.learner_id)
        WHERE learner_id = NEW.learner_id;
END;
CREATE TRIGGER summary_placements_update AFTER UPDATE OF learner_id, placing_area, start_date, deleted
        ON placements BEGIN
    UPDATE summary_learners SET (placing_area, placement_start)
        = (SELECT placing_area, placement_start FROM summary_learners_source s
           WHERE s.learner_id = summary_learners.learner_id)
        WHERE learner_id IN (OLD.learner_id, NEW.learner_id);
END;
CREATE TRIGGER summary_placements_delete AFTER DELETE ON placements BEGIN
    UPDATE summary_learners SET (placing_area, placement_start)
        = (SELECT placing_area, placement_start FROM summary_learners_source s
           WHERE s.learner_id = summary_learners.learner_id)
        WHERE learner_id = OLD.learner_id;
END;
CREATE TRIGGER summary_schools_insert AFTER INSERT ON schools BEGIN
    UPDATE summary_learners SET (school_id, school_start)
        = (SELECT school_id, school_start FROM summary_learners_source s
           WHERE s.learner_id = summary_learners.learner_id)
        WHERE learner_id IN (SELECT e.learner_id FROM enrolments e WHERE e.school_id = NEW.id);
END;
CREATE TRIGGER summary_schools_delete AFTER DELETE ON schools BEGIN
    UPDATE summary_learners SET (school_id, school_start)
        = (SELECT school_id, school_start FROM summary_learners_source s
           WHERE s.learner_id = summary_learners.learner_id)
        WHERE learner_id IN (SELECT learner_id FROM enrolments WHERE school_id = OLD.id);
END;
