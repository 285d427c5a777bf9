-- Schema 6: the learner list read from indexes alone, so a cold start decrypts few pages.
-- The review summary gains finalised_at, which orders an amendment after the review it amends
-- (same period); the current school and the learners' own columns get covering indexes too.
DROP INDEX reviews_summary;
CREATE INDEX reviews_summary ON reviews(learner_id, status, period_end, meeting_date, due_date, next_review_date,
                                        finalised_at);
CREATE INDEX enrolments_current ON enrolments(learner_id, deleted, end_date, start_date, school_id);
CREATE INDEX learners_list ON learners(id, reference, legal_forename, legal_surname, preferred_name, date_of_birth,
                                       legal_status, date_looked_after);
