-- Schema 1: the PEP record, one table per entity of vsm_desktop/domain/model.py, and the change log.
-- Frozen once released: later changes go into new migration files.

CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE schools (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    medium TEXT,
    kind TEXT,
    local_authority TEXT
);

CREATE TABLE learners (
    id TEXT PRIMARY KEY,
    reference TEXT NOT NULL,
    legal_forename TEXT NOT NULL,
    legal_surname TEXT NOT NULL,
    preferred_name TEXT,
    date_of_birth TEXT NOT NULL,
    gender TEXT,
    ethnicity TEXT,
    upn TEXT,
    social_care_id TEXT,
    first_language TEXT,
    language_of_learning TEXT,
    preferred_language TEXT,
    communication_language TEXT,
    informed_preference TEXT,
    legal_status TEXT NOT NULL,
    date_looked_after TEXT,
    responsible_authority TEXT,
    parental_responsibility TEXT,
    parental_responsibility_lang TEXT,
    day_to_day_consents TEXT,
    day_to_day_consents_lang TEXT,
    aln_status TEXT,
    idp_holder TEXT,
    next_idp_review TEXT
);

CREATE TABLE contacts (
    id TEXT PRIMARY KEY,
    learner_id TEXT NOT NULL REFERENCES learners(id),
    role TEXT NOT NULL,
    name TEXT NOT NULL,
    organisation TEXT,
    phone TEXT,
    email TEXT,
    deleted INTEGER
);
CREATE INDEX contacts_learner_id ON contacts(learner_id);

CREATE TABLE placements (
    id TEXT PRIMARY KEY,
    learner_id TEXT NOT NULL REFERENCES learners(id),
    placement_type TEXT NOT NULL,
    placing_area TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT,
    reason_for_move TEXT,
    reason_for_move_lang TEXT,
    deleted INTEGER
);
CREATE INDEX placements_learner_id ON placements(learner_id);

CREATE TABLE enrolments (
    id TEXT PRIMARY KEY,
    learner_id TEXT NOT NULL REFERENCES learners(id),
    school_id TEXT NOT NULL REFERENCES schools(id),
    start_date TEXT NOT NULL,
    end_date TEXT,
    reason_for_move TEXT,
    reason_for_move_lang TEXT,
    reduced_timetable INTEGER,
    gap_in_education TEXT,
    gap_in_education_lang TEXT,
    deleted INTEGER
);
CREATE INDEX enrolments_learner_id ON enrolments(learner_id);
CREATE INDEX enrolments_school_id ON enrolments(school_id);

CREATE TABLE reviews (
    id TEXT PRIMARY KEY,
    learner_id TEXT NOT NULL REFERENCES learners(id),
    review_type TEXT NOT NULL,
    status TEXT NOT NULL,
    amends_review_id TEXT REFERENCES reviews(id),
    amendment_reason TEXT,
    amendment_reason_lang TEXT,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    due_date TEXT NOT NULL,
    meeting_date TEXT,
    meeting_place TEXT,
    meeting_language TEXT,
    next_review_date TEXT,
    finalised_at TEXT,
    finalised_by TEXT,
    current_arrangements TEXT,
    current_arrangements_lang TEXT,
    disruption_plan TEXT,
    disruption_plan_lang TEXT,
    attendance_pct REAL,
    authorised_absence_pct REAL,
    unauthorised_absence_pct REAL,
    reduced_timetable INTEGER,
    alternative_provision TEXT,
    alternative_provision_lang TEXT,
    aln_status TEXT,
    idp_holder TEXT,
    aln_provision TEXT,
    aln_provision_lang TEXT,
    next_idp_review TEXT,
    progress_summary TEXT,
    progress_summary_lang TEXT,
    strengths TEXT,
    strengths_lang TEXT,
    sdq_score INTEGER,
    wellbeing_concern INTEGER,
    wellbeing_notes TEXT,
    wellbeing_notes_lang TEXT,
    referrals TEXT,
    referrals_lang TEXT,
    voice_good_at TEXT,
    voice_good_at_lang TEXT,
    voice_enjoy TEXT,
    voice_enjoy_lang TEXT,
    voice_worries TEXT,
    voice_worries_lang TEXT,
    voice_helps TEXT,
    voice_helps_lang TEXT,
    voice_future TEXT,
    voice_future_lang TEXT,
    voice_trusted_adult TEXT,
    voice_trusted_adult_lang TEXT,
    carer_views TEXT,
    carer_views_lang TEXT,
    carer_role TEXT,
    carer_role_lang TEXT,
    professional_views TEXT,
    professional_views_lang TEXT,
    leisure_interests TEXT,
    leisure_interests_lang TEXT,
    transition TEXT,
    transition_lang TEXT,
    neet_risk INTEGER
);
CREATE INDEX reviews_learner_id ON reviews(learner_id);
CREATE INDEX reviews_amends_review_id ON reviews(amends_review_id);

CREATE TABLE targets (
    id TEXT PRIMARY KEY,
    review_id TEXT NOT NULL REFERENCES reviews(id),
    position INTEGER,
    description TEXT NOT NULL,
    description_lang TEXT,
    support TEXT,
    support_lang TEXT,
    responsible TEXT,
    due_date TEXT,
    pdg_funded INTEGER,
    carried_from_id TEXT REFERENCES targets(id),
    progress TEXT,
    deleted INTEGER
);
CREATE INDEX targets_review_id ON targets(review_id);
CREATE INDEX targets_carried_from_id ON targets(carried_from_id);

CREATE TABLE actions (
    id TEXT PRIMARY KEY,
    review_id TEXT NOT NULL REFERENCES reviews(id),
    description TEXT NOT NULL,
    description_lang TEXT,
    owner TEXT,
    due_date TEXT,
    done INTEGER,
    deleted INTEGER
);
CREATE INDEX actions_review_id ON actions(review_id);

CREATE TABLE exclusions (
    id TEXT PRIMARY KEY,
    review_id TEXT NOT NULL REFERENCES reviews(id),
    kind TEXT NOT NULL,
    start_date TEXT NOT NULL,
    days REAL,
    reason TEXT,
    reason_lang TEXT,
    deleted INTEGER
);
CREATE INDEX exclusions_review_id ON exclusions(review_id);

CREATE TABLE attainments (
    id TEXT PRIMARY KEY,
    review_id TEXT NOT NULL REFERENCES reviews(id),
    area TEXT NOT NULL,
    subject TEXT,
    judgement TEXT,
    judgement_lang TEXT,
    predicted_grade TEXT,
    actual_grade TEXT,
    deleted INTEGER
);
CREATE INDEX attainments_review_id ON attainments(review_id);

CREATE TABLE interventions (
    id TEXT PRIMARY KEY,
    review_id TEXT NOT NULL REFERENCES reviews(id),
    kind TEXT NOT NULL,
    provider TEXT,
    start_date TEXT,
    end_date TEXT,
    cost_pence INTEGER,
    funding TEXT,
    outcome TEXT,
    outcome_lang TEXT,
    deleted INTEGER
);
CREATE INDEX interventions_review_id ON interventions(review_id);

CREATE TABLE attendees (
    id TEXT PRIMARY KEY,
    review_id TEXT NOT NULL REFERENCES reviews(id),
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    attendance TEXT NOT NULL,
    agreed INTEGER,
    signed_at TEXT,
    signature_png TEXT,
    deleted INTEGER
);
CREATE INDEX attendees_review_id ON attendees(review_id);

CREATE TABLE quality_ratings (
    id TEXT PRIMARY KEY,
    review_id TEXT NOT NULL REFERENCES reviews(id),
    rating TEXT NOT NULL,
    feedback TEXT,
    feedback_lang TEXT,
    rated_by TEXT,
    rated_at TEXT,
    deleted INTEGER
);
CREATE INDEX quality_ratings_review_id ON quality_ratings(review_id);

-- The change log: one row per change to a syncable field, written in the same transaction
-- as the change. field '*' is a record's creation, with every initial value in `value`.
CREATE TABLE ops (
    seq INTEGER PRIMARY KEY,
    hlc TEXT NOT NULL UNIQUE,
    entity TEXT NOT NULL,
    record_id TEXT NOT NULL,
    learner_id TEXT,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    prev_hlc TEXT,
    device_id TEXT NOT NULL,
    author TEXT NOT NULL,
    server_seq INTEGER
);
CREATE INDEX ops_record_field ON ops(record_id, field, hlc);
CREATE INDEX ops_learner ON ops(learner_id, hlc);
CREATE INDEX ops_unsent ON ops(seq) WHERE server_seq IS NULL;
CREATE UNIQUE INDEX learners_reference ON learners(reference);
