-- Schema 9: PDG-CLA funding. Requests made in a PEP review (linked to its targets), the
-- coordinator's decision on the request itself, spend lines, and the authority's allocation
-- per financial year (and per school where funding is devolved). request_id and target_id are
-- checked by the model and the sync server, not by SQL: a learner's records are removed in
-- entity order when they leave a device's scope.
CREATE TABLE funding_requests (
    id TEXT PRIMARY KEY,
    review_id TEXT NOT NULL REFERENCES reviews(id),
    kind TEXT NOT NULL,
    provider TEXT,
    amount_pence INTEGER NOT NULL,
    start_date TEXT,
    end_date TEXT,
    purpose TEXT NOT NULL,
    purpose_lang TEXT,
    expected_impact TEXT,
    expected_impact_lang TEXT,
    status TEXT NOT NULL,
    requested_by TEXT,
    requested_by_role TEXT,
    requested_at TEXT,
    approved_pence INTEGER,
    decision_reason TEXT,
    decision_reason_lang TEXT,
    decided_by TEXT,
    decided_by_role TEXT,
    decided_at TEXT,
    deleted INTEGER
);
CREATE INDEX funding_requests_review_id ON funding_requests(review_id);
CREATE INDEX funding_requests_status ON funding_requests(status);

CREATE TABLE funding_targets (
    id TEXT PRIMARY KEY,
    review_id TEXT NOT NULL REFERENCES reviews(id),
    request_id TEXT NOT NULL,
    target_id TEXT NOT NULL,
    impact TEXT,
    impact_lang TEXT,
    impact_progress TEXT,
    impact_review_id TEXT,
    impact_recorded_on TEXT,
    deleted INTEGER
);
CREATE INDEX funding_targets_review_id ON funding_targets(review_id);
CREATE INDEX funding_targets_request_id ON funding_targets(request_id);
CREATE INDEX funding_targets_target_id ON funding_targets(target_id);

CREATE TABLE funding_spend (
    id TEXT PRIMARY KEY,
    review_id TEXT NOT NULL REFERENCES reviews(id),
    request_id TEXT NOT NULL,
    amount_pence INTEGER NOT NULL,
    spent_on TEXT NOT NULL,
    note TEXT,
    note_lang TEXT,
    over_approved INTEGER,
    recorded_by TEXT,
    deleted INTEGER
);
CREATE INDEX funding_spend_review_id ON funding_spend(review_id);
CREATE INDEX funding_spend_request_id ON funding_spend(request_id);

CREATE TABLE funding_allocations (
    id TEXT PRIMARY KEY,
    year INTEGER NOT NULL,
    school_id TEXT REFERENCES schools(id),
    amount_pence INTEGER NOT NULL,
    set_by TEXT,
    set_by_role TEXT,
    set_at TEXT,
    deleted INTEGER
);
CREATE INDEX funding_allocations_year ON funding_allocations(year, school_id);
