-- Schema 3: sync with the central server (vsm_desktop/sync).
-- Scalar sync state (server URL, device token, cursor, certificates) lives in `meta`.

-- An operation kept in the log but not part of the record's value: why, or NULL for an ordinary
-- one. 'finalised': it reached the server after its review was finalised; 'stale_finalise': a
-- finalisation that had not seen changes made elsewhere; 'rejected:<reason>': the server refused
-- it. Every replica's value of a field is the value of its latest operation that is not held.
ALTER TABLE ops ADD COLUMN held TEXT;

-- Stamps of the conflict losers an operation resolves (a person chose a value).
CREATE TABLE op_resolves (
    hlc TEXT NOT NULL,
    loser_hlc TEXT NOT NULL,
    PRIMARY KEY (hlc, loser_hlc)
);

-- Values that lost and are kept for a person to resolve. Nothing is silently dropped.
--   kind 'field'     two edits of one field that did not see each other, with different values
--   kind 'deleted'   an edit and a deletion of the same record that did not see each other
--   kind 'finalised' a change to a review that had been finalised elsewhere (held)
--   kind 'stale_finalise' this device's finalisation, refused because the review changed elsewhere
--   kind 'rejected'  a change the server refused (reason in `reason`)
-- loser_hlc/winner_hlc are stamps in `ops`; loser_value is the JSON of the value that lost
-- (for a held creation, the object of its initial values).
CREATE TABLE conflicts (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    entity TEXT NOT NULL,
    record_id TEXT NOT NULL,
    learner_id TEXT,
    field TEXT NOT NULL,
    loser_hlc TEXT NOT NULL,
    loser_value TEXT NOT NULL,
    loser_author TEXT NOT NULL,
    winner_hlc TEXT,
    reason TEXT,
    detected_at TEXT NOT NULL,
    resolved_at TEXT,
    resolved_by_hlc TEXT,
    UNIQUE (kind, record_id, field, loser_hlc)
);
CREATE INDEX conflicts_open ON conflicts(resolved_at, learner_id);
CREATE INDEX conflicts_record ON conflicts(record_id, field);
CREATE INDEX ops_held ON ops(held) WHERE held IS NOT NULL;
DROP INDEX ops_unsent;
CREATE INDEX ops_unsent ON ops(seq) WHERE server_seq IS NULL AND held IS NULL;

-- Rebuild the search index (as 0002 built it), so that a store whose index drifted, for example
-- rows written by another tool, starts its sync life with an index in step with its learners.
DELETE FROM learner_search;
INSERT INTO learner_search(rowid, names, school, reference)
SELECT l.rowid,
       l.legal_forename || ' ' || l.legal_surname || ' ' || coalesce(l.preferred_name, ''),
       coalesce((SELECT s.name FROM enrolments e JOIN schools s ON s.id = e.school_id
                 WHERE e.learner_id = l.id AND coalesce(e.deleted, 0) = 0
                 ORDER BY (e.end_date IS NULL) DESC, e.start_date DESC LIMIT 1), ''),
       l.reference
FROM learners l;
