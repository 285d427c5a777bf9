-- Schema 7: "the latest finalised review" (store.latest_finalised_sql: next review, tasks, packs)
-- answered from the summary index alone. Without the id in it, every learner's reviews were read
-- from the table, whose rows hold every section's text: seconds on a cold 7,500-learner store.
DROP INDEX reviews_summary;
CREATE INDEX reviews_summary ON reviews(learner_id, status, period_end, meeting_date, due_date, next_review_date,
                                        finalised_at, id);
