-- Schema 16: one index of the change log by learner instead of two. The partial index of a
-- learner's unsent operations held every row of a store not yet synced (a demo authority's whole
-- log, 16 MB at 7,500 learners); the learner index with the server's sequence after the learner
-- answers the same questions: the learner's history (learner_id = ?), and whether a learner has
-- unsent changes (learner_id = ? AND server_seq IS NULL: one seek, NULL sorts first).
-- tests/test_store.py checks the plans of the change log's queries.
DROP INDEX ops_unsent_learner;
DROP INDEX ops_learner;
CREATE INDEX ops_learner ON ops(learner_id, server_seq);
