-- Schema 9: attachments. The record (who, what, which hash) is a record like any other and syncs
-- through the change log; the content is kept apart, once per SHA-256, in chunks of at most
-- 1 MiB so that nothing ever reads or writes a whole file at once. A blob is complete when all
-- its chunks are here (a sync may have fetched only some of them: it resumes from the next).
CREATE TABLE attachments (
    id TEXT PRIMARY KEY,
    learner_id TEXT NOT NULL REFERENCES learners(id),
    review_id TEXT REFERENCES reviews(id),
    section TEXT,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    title_lang TEXT,
    added_on TEXT NOT NULL,
    added_by TEXT,
    added_by_role TEXT,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    mime TEXT,
    deleted INTEGER
);
CREATE INDEX attachments_learner_id ON attachments(learner_id);
CREATE INDEX attachments_sha256 ON attachments(sha256);

CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    complete INTEGER NOT NULL DEFAULT 0,
    missing INTEGER NOT NULL DEFAULT 0,     -- the server no longer has it
    uploaded INTEGER NOT NULL DEFAULT 0     -- the sync server has it all
);
CREATE TABLE blob_chunks (
    sha256 TEXT NOT NULL,
    seq INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (sha256, seq)
);
