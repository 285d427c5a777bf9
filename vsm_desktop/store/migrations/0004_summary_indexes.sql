-- Schema 4: covering indexes for the learner list. A review row holds every section's text,
-- so reading status and dates from the table itself scans most of the file; these indexes
-- answer the list's questions (last meeting, next due, draft, quality rating) on their own.
CREATE INDEX reviews_summary ON reviews(learner_id, status, period_end, meeting_date, due_date, next_review_date);
CREATE INDEX reviews_period ON reviews(id, learner_id, period_end);
CREATE INDEX quality_ratings_summary ON quality_ratings(review_id, deleted, rated_at, rating);
-- "Unsynced changes" per learner from the index alone: a cold start must not read the change log.
CREATE INDEX ops_unsent_learner ON ops(learner_id) WHERE server_seq IS NULL;
