-- Schema 2: full-text search over learners (names, preferred name, current school, reference).
-- unicode61 with remove_diacritics 2 folds â ŵ ŷ ï to a w y i, so "llyr" finds Llŷr.
-- The row id is the learner's row id; the store keeps it in step in the same transaction.
CREATE VIRTUAL TABLE learner_search USING fts5(
    names, school, reference,
    tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO learner_search(rowid, names, school, reference)
SELECT l.rowid,
       l.legal_forename || ' ' || l.legal_surname || ' ' || coalesce(l.preferred_name, ''),
       coalesce((SELECT s.name FROM enrolments e JOIN schools s ON s.id = e.school_id
                 WHERE e.learner_id = l.id AND coalesce(e.deleted, 0) = 0
                 ORDER BY (e.end_date IS NULL) DESC, e.start_date DESC LIMIT 1), ''),
       l.reference
FROM learners l;
