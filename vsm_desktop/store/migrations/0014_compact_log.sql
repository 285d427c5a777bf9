-- Schema 14: a change log of about half the size (vsm_desktop/store/oplog.py encodes and decodes it).
-- * A creation keeps no copy of what its record still holds: its value is a delta over the record.
--   The triggers below keep every creation readable: before a record's field first changes, or the
--   record goes, the field's initial value goes into the creation's delta. A migration that adds a
--   column to a record table must recreate that table's two triggers (tests/test_oplog.py checks
--   them against the model).
-- * Stamps and ids are bytes (18 and 16 instead of 37 and 32 characters), sorted as their text;
--   the device is read from the stamp instead of a column of its own.
-- * The indexes by record and by learner no longer repeat the stamp.
-- The migration runner copies the log between the two parts (oplog.compact_log, with progress);
-- the store is vacuumed afterwards, so the file shrinks and keeps no freed pages.
PRAGMA secure_delete = ON;
CREATE TABLE ops_new (
    seq INTEGER PRIMARY KEY,
    hlc BLOB NOT NULL UNIQUE,        -- oplog.stamp_key: 18 bytes, sorted as the text stamp
    entity TEXT NOT NULL,
    record_id BLOB NOT NULL,         -- oplog.id_key: 16 bytes
    learner_id BLOB,
    field TEXT NOT NULL,
    value TEXT,              -- JSON; for over_record = 1, NULL or the delta over the record
    prev_hlc BLOB,
    author TEXT NOT NULL,
    server_seq INTEGER,
    held TEXT,
    over_record INTEGER      -- 1: a creation read together with its record (oplog.creation_value)
);
-- step: compact_log
DROP TRIGGER IF EXISTS ops_keep_schools_name;
DROP TRIGGER IF EXISTS ops_keep_schools_medium;
DROP TRIGGER IF EXISTS ops_keep_schools_kind;
DROP TRIGGER IF EXISTS ops_keep_schools_local_authority;
DROP TRIGGER IF EXISTS ops_keep_schools_delete;
DROP TRIGGER IF EXISTS ops_keep_learners_reference;
DROP TRIGGER IF EXISTS ops_keep_learners_legal_forename;
DROP TRIGGER IF EXISTS ops_keep_learners_legal_surname;
DROP TRIGGER IF EXISTS ops_keep_learners_preferred_name;
DROP TRIGGER IF EXISTS ops_keep_learners_date_of_birth;
DROP TRIGGER IF EXISTS ops_keep_learners_gender;
DROP TRIGGER IF EXISTS ops_keep_learners_ethnicity;
DROP TRIGGER IF EXISTS ops_keep_learners_upn;
DROP TRIGGER IF EXISTS ops_keep_learners_social_care_id;
DROP TRIGGER IF EXISTS ops_keep_learners_first_language;
DROP TRIGGER IF EXISTS ops_keep_learners_language_of_learning;
DROP TRIGGER IF EXISTS ops_keep_learners_preferred_language;
DROP TRIGGER IF EXISTS ops_keep_learners_communication_language;
DROP TRIGGER IF EXISTS ops_keep_learners_informed_preference;
DROP TRIGGER IF EXISTS ops_keep_learners_legal_status;
DROP TRIGGER IF EXISTS ops_keep_learners_date_looked_after;
DROP TRIGGER IF EXISTS ops_keep_learners_responsible_authority;
DROP TRIGGER IF EXISTS ops_keep_learners_parental_responsibility;
DROP TRIGGER IF EXISTS ops_keep_learners_parental_responsibility_lang;
DROP TRIGGER IF EXISTS ops_keep_learners_day_to_day_consents;
DROP TRIGGER IF EXISTS ops_keep_learners_day_to_day_consents_lang;
DROP TRIGGER IF EXISTS ops_keep_learners_aln_status;
DROP TRIGGER IF EXISTS ops_keep_learners_idp_holder;
DROP TRIGGER IF EXISTS ops_keep_learners_next_idp_review;
DROP TRIGGER IF EXISTS ops_keep_learners_delete;
DROP TRIGGER IF EXISTS ops_keep_contacts_learner_id;
DROP TRIGGER IF EXISTS ops_keep_contacts_role;
DROP TRIGGER IF EXISTS ops_keep_contacts_name;
DROP TRIGGER IF EXISTS ops_keep_contacts_organisation;
DROP TRIGGER IF EXISTS ops_keep_contacts_phone;
DROP TRIGGER IF EXISTS ops_keep_contacts_email;
DROP TRIGGER IF EXISTS ops_keep_contacts_deleted;
DROP TRIGGER IF EXISTS ops_keep_contacts_delete;
DROP TRIGGER IF EXISTS ops_keep_placements_learner_id;
DROP TRIGGER IF EXISTS ops_keep_placements_placement_type;
DROP TRIGGER IF EXISTS ops_keep_placements_placing_area;
DROP TRIGGER IF EXISTS ops_keep_placements_start_date;
DROP TRIGGER IF EXISTS ops_keep_placements_end_date;
DROP TRIGGER IF EXISTS ops_keep_placements_reason_for_move;
DROP TRIGGER IF EXISTS ops_keep_placements_reason_for_move_lang;
DROP TRIGGER IF EXISTS ops_keep_placements_deleted;
DROP TRIGGER IF EXISTS ops_keep_placements_delete;
DROP TRIGGER IF EXISTS ops_keep_enrolments_learner_id;
DROP TRIGGER IF EXISTS ops_keep_enrolments_school_id;
DROP TRIGGER IF EXISTS ops_keep_enrolments_start_date;
DROP TRIGGER IF EXISTS ops_keep_enrolments_end_date;
DROP TRIGGER IF EXISTS ops_keep_enrolments_reason_for_move;
DROP TRIGGER IF EXISTS ops_keep_enrolments_reason_for_move_lang;
DROP TRIGGER IF EXISTS ops_keep_enrolments_reduced_timetable;
DROP TRIGGER IF EXISTS ops_keep_enrolments_gap_in_education;
DROP TRIGGER IF EXISTS ops_keep_enrolments_gap_in_education_lang;
DROP TRIGGER IF EXISTS ops_keep_enrolments_deleted;
DROP TRIGGER IF EXISTS ops_keep_enrolments_delete;
DROP TRIGGER IF EXISTS ops_keep_reviews_learner_id;
DROP TRIGGER IF EXISTS ops_keep_reviews_review_type;
DROP TRIGGER IF EXISTS ops_keep_reviews_status;
DROP TRIGGER IF EXISTS ops_keep_reviews_amends_review_id;
DROP TRIGGER IF EXISTS ops_keep_reviews_amendment_reason;
DROP TRIGGER IF EXISTS ops_keep_reviews_amendment_reason_lang;
DROP TRIGGER IF EXISTS ops_keep_reviews_period_start;
DROP TRIGGER IF EXISTS ops_keep_reviews_period_end;
DROP TRIGGER IF EXISTS ops_keep_reviews_due_date;
DROP TRIGGER IF EXISTS ops_keep_reviews_meeting_date;
DROP TRIGGER IF EXISTS ops_keep_reviews_meeting_place;
DROP TRIGGER IF EXISTS ops_keep_reviews_meeting_language;
DROP TRIGGER IF EXISTS ops_keep_reviews_next_review_date;
DROP TRIGGER IF EXISTS ops_keep_reviews_finalised_at;
DROP TRIGGER IF EXISTS ops_keep_reviews_finalised_by;
DROP TRIGGER IF EXISTS ops_keep_reviews_current_arrangements;
DROP TRIGGER IF EXISTS ops_keep_reviews_current_arrangements_lang;
DROP TRIGGER IF EXISTS ops_keep_reviews_disruption_plan;
DROP TRIGGER IF EXISTS ops_keep_reviews_disruption_plan_lang;
DROP TRIGGER IF EXISTS ops_keep_reviews_attendance_pct;
DROP TRIGGER IF EXISTS ops_keep_reviews_authorised_absence_pct;
DROP TRIGGER IF EXISTS ops_keep_reviews_unauthorised_absence_pct;
DROP TRIGGER IF EXISTS ops_keep_reviews_reduced_timetable;
DROP TRIGGER IF EXISTS ops_keep_reviews_alternative_provision;
DROP TRIGGER IF EXISTS ops_keep_reviews_alternative_provision_lang;
DROP TRIGGER IF EXISTS ops_keep_reviews_aln_status;
DROP TRIGGER IF EXISTS ops_keep_reviews_idp_holder;
DROP TRIGGER IF EXISTS ops_keep_reviews_aln_provision;
DROP TRIGGER IF EXISTS ops_keep_reviews_aln_provision_lang;
DROP TRIGGER IF EXISTS ops_keep_reviews_next_idp_review;
DROP TRIGGER IF EXISTS ops_keep_reviews_progress_summary;
DROP TRIGGER IF EXISTS ops_keep_reviews_progress_summary_lang;
DROP TRIGGER IF EXISTS ops_keep_reviews_strengths;
DROP TRIGGER IF EXISTS ops_keep_reviews_strengths_lang;
DROP TRIGGER IF EXISTS ops_keep_reviews_sdq_score;
DROP TRIGGER IF EXISTS ops_keep_reviews_wellbeing_concern;
DROP TRIGGER IF EXISTS ops_keep_reviews_wellbeing_notes;
DROP TRIGGER IF EXISTS ops_keep_reviews_wellbeing_notes_lang;
DROP TRIGGER IF EXISTS ops_keep_reviews_referrals;
DROP TRIGGER IF EXISTS ops_keep_reviews_referrals_lang;
DROP TRIGGER IF EXISTS ops_keep_reviews_voice_good_at;
DROP TRIGGER IF EXISTS ops_keep_reviews_voice_good_at_lang;
DROP TRIGGER IF EXISTS ops_keep_reviews_voice_enjoy;
DROP TRIGGER IF EXISTS ops_keep_reviews_voice_enjoy_lang;
DROP TRIGGER IF EXISTS ops_keep_reviews_voice_worries;
DROP TRIGGER IF EXISTS ops_keep_reviews_voice_worries_lang;
DROP TRIGGER IF EXISTS ops_keep_reviews_voice_helps;
DROP TRIGGER IF EXISTS ops_keep_reviews_voice_helps_lang;
DROP TRIGGER IF EXISTS ops_keep_reviews_voice_future;
DROP TRIGGER IF EXISTS ops_keep_reviews_voice_future_lang;
DROP TRIGGER IF EXISTS ops_keep_reviews_voice_trusted_adult;
DROP TRIGGER IF EXISTS ops_keep_reviews_voice_trusted_adult_lang;
DROP TRIGGER IF EXISTS ops_keep_reviews_carer_views;
DROP TRIGGER IF EXISTS ops_keep_reviews_carer_views_lang;
DROP TRIGGER IF EXISTS ops_keep_reviews_carer_role;
DROP TRIGGER IF EXISTS ops_keep_reviews_carer_role_lang;
DROP TRIGGER IF EXISTS ops_keep_reviews_professional_views;
DROP TRIGGER IF EXISTS ops_keep_reviews_professional_views_lang;
DROP TRIGGER IF EXISTS ops_keep_reviews_leisure_interests;
DROP TRIGGER IF EXISTS ops_keep_reviews_leisure_interests_lang;
DROP TRIGGER IF EXISTS ops_keep_reviews_transition;
DROP TRIGGER IF EXISTS ops_keep_reviews_transition_lang;
DROP TRIGGER IF EXISTS ops_keep_reviews_neet_risk;
DROP TRIGGER IF EXISTS ops_keep_reviews_phase_override;
DROP TRIGGER IF EXISTS ops_keep_reviews_phase_override_reason;
DROP TRIGGER IF EXISTS ops_keep_reviews_phase_override_reason_lang;
DROP TRIGGER IF EXISTS ops_keep_reviews_ey_areas_of_learning;
DROP TRIGGER IF EXISTS ops_keep_reviews_ey_areas_of_learning_lang;
DROP TRIGGER IF EXISTS ops_keep_reviews_ey_communication;
DROP TRIGGER IF EXISTS ops_keep_reviews_ey_communication_lang;
DROP TRIGGER IF EXISTS ops_keep_reviews_ey_physical;
DROP TRIGGER IF EXISTS ops_keep_reviews_ey_physical_lang;
DROP TRIGGER IF EXISTS ops_keep_reviews_ey_personal_social;
DROP TRIGGER IF EXISTS ops_keep_reviews_ey_personal_social_lang;
DROP TRIGGER IF EXISTS ops_keep_reviews_ey_key_person;
DROP TRIGGER IF EXISTS ops_keep_reviews_ey_funded_hours;
DROP TRIGGER IF EXISTS ops_keep_reviews_ey_aln;
DROP TRIGGER IF EXISTS ops_keep_reviews_ey_aln_lang;
DROP TRIGGER IF EXISTS ops_keep_reviews_ey_health_visitor;
DROP TRIGGER IF EXISTS ops_keep_reviews_ey_health_visitor_lang;
DROP TRIGGER IF EXISTS ops_keep_reviews_course_provider;
DROP TRIGGER IF EXISTS ops_keep_reviews_course_title;
DROP TRIGGER IF EXISTS ops_keep_reviews_course_level;
DROP TRIGGER IF EXISTS ops_keep_reviews_course_start;
DROP TRIGGER IF EXISTS ops_keep_reviews_course_end;
DROP TRIGGER IF EXISTS ops_keep_reviews_course_attendance_pct;
DROP TRIGGER IF EXISTS ops_keep_reviews_careers_adviser;
DROP TRIGGER IF EXISTS ops_keep_reviews_careers_guidance_date;
DROP TRIGGER IF EXISTS ops_keep_reviews_personal_adviser;
DROP TRIGGER IF EXISTS ops_keep_reviews_pathway_plan;
DROP TRIGGER IF EXISTS ops_keep_reviews_bursary;
DROP TRIGGER IF EXISTS ops_keep_reviews_ema;
DROP TRIGGER IF EXISTS ops_keep_reviews_financial_support;
DROP TRIGGER IF EXISTS ops_keep_reviews_financial_support_lang;
DROP TRIGGER IF EXISTS ops_keep_reviews_aspiration;
DROP TRIGGER IF EXISTS ops_keep_reviews_aspiration_lang;
DROP TRIGGER IF EXISTS ops_keep_reviews_neet_actions;
DROP TRIGGER IF EXISTS ops_keep_reviews_neet_actions_lang;
DROP TRIGGER IF EXISTS ops_keep_reviews_transition_to;
DROP TRIGGER IF EXISTS ops_keep_reviews_transition_date;
DROP TRIGGER IF EXISTS ops_keep_reviews_ap_provider;
DROP TRIGGER IF EXISTS ops_keep_reviews_ap_days;
DROP TRIGGER IF EXISTS ops_keep_reviews_ap_start;
DROP TRIGGER IF EXISTS ops_keep_reviews_ap_end;
DROP TRIGGER IF EXISTS ops_keep_reviews_ap_purpose;
DROP TRIGGER IF EXISTS ops_keep_reviews_ap_purpose_lang;
DROP TRIGGER IF EXISTS ops_keep_reviews_rt_hours;
DROP TRIGGER IF EXISTS ops_keep_reviews_rt_reason;
DROP TRIGGER IF EXISTS ops_keep_reviews_rt_reason_lang;
DROP TRIGGER IF EXISTS ops_keep_reviews_rt_return_plan;
DROP TRIGGER IF EXISTS ops_keep_reviews_rt_return_plan_lang;
DROP TRIGGER IF EXISTS ops_keep_reviews_rt_review_date;
DROP TRIGGER IF EXISTS ops_keep_reviews_neet_since;
DROP TRIGGER IF EXISTS ops_keep_reviews_neet_support;
DROP TRIGGER IF EXISTS ops_keep_reviews_neet_support_lang;
DROP TRIGGER IF EXISTS ops_keep_reviews_delete;
DROP TRIGGER IF EXISTS ops_keep_targets_review_id;
DROP TRIGGER IF EXISTS ops_keep_targets_position;
DROP TRIGGER IF EXISTS ops_keep_targets_description;
DROP TRIGGER IF EXISTS ops_keep_targets_description_lang;
DROP TRIGGER IF EXISTS ops_keep_targets_support;
DROP TRIGGER IF EXISTS ops_keep_targets_support_lang;
DROP TRIGGER IF EXISTS ops_keep_targets_responsible;
DROP TRIGGER IF EXISTS ops_keep_targets_due_date;
DROP TRIGGER IF EXISTS ops_keep_targets_pdg_funded;
DROP TRIGGER IF EXISTS ops_keep_targets_carried_from_id;
DROP TRIGGER IF EXISTS ops_keep_targets_progress;
DROP TRIGGER IF EXISTS ops_keep_targets_deleted;
DROP TRIGGER IF EXISTS ops_keep_targets_delete;
DROP TRIGGER IF EXISTS ops_keep_actions_review_id;
DROP TRIGGER IF EXISTS ops_keep_actions_description;
DROP TRIGGER IF EXISTS ops_keep_actions_description_lang;
DROP TRIGGER IF EXISTS ops_keep_actions_owner;
DROP TRIGGER IF EXISTS ops_keep_actions_due_date;
DROP TRIGGER IF EXISTS ops_keep_actions_done;
DROP TRIGGER IF EXISTS ops_keep_actions_deleted;
DROP TRIGGER IF EXISTS ops_keep_actions_delete;
DROP TRIGGER IF EXISTS ops_keep_exclusions_review_id;
DROP TRIGGER IF EXISTS ops_keep_exclusions_kind;
DROP TRIGGER IF EXISTS ops_keep_exclusions_start_date;
DROP TRIGGER IF EXISTS ops_keep_exclusions_days;
DROP TRIGGER IF EXISTS ops_keep_exclusions_reason;
DROP TRIGGER IF EXISTS ops_keep_exclusions_reason_lang;
DROP TRIGGER IF EXISTS ops_keep_exclusions_deleted;
DROP TRIGGER IF EXISTS ops_keep_exclusions_delete;
DROP TRIGGER IF EXISTS ops_keep_attainments_review_id;
DROP TRIGGER IF EXISTS ops_keep_attainments_area;
DROP TRIGGER IF EXISTS ops_keep_attainments_subject;
DROP TRIGGER IF EXISTS ops_keep_attainments_judgement;
DROP TRIGGER IF EXISTS ops_keep_attainments_judgement_lang;
DROP TRIGGER IF EXISTS ops_keep_attainments_predicted_grade;
DROP TRIGGER IF EXISTS ops_keep_attainments_actual_grade;
DROP TRIGGER IF EXISTS ops_keep_attainments_deleted;
DROP TRIGGER IF EXISTS ops_keep_attainments_delete;
DROP TRIGGER IF EXISTS ops_keep_interventions_review_id;
DROP TRIGGER IF EXISTS ops_keep_interventions_kind;
DROP TRIGGER IF EXISTS ops_keep_interventions_provider;
DROP TRIGGER IF EXISTS ops_keep_interventions_start_date;
DROP TRIGGER IF EXISTS ops_keep_interventions_end_date;
DROP TRIGGER IF EXISTS ops_keep_interventions_cost_pence;
DROP TRIGGER IF EXISTS ops_keep_interventions_funding;
DROP TRIGGER IF EXISTS ops_keep_interventions_outcome;
DROP TRIGGER IF EXISTS ops_keep_interventions_outcome_lang;
DROP TRIGGER IF EXISTS ops_keep_interventions_deleted;
DROP TRIGGER IF EXISTS ops_keep_interventions_delete;
DROP TRIGGER IF EXISTS ops_keep_attendees_review_id;
DROP TRIGGER IF EXISTS ops_keep_attendees_name;
DROP TRIGGER IF EXISTS ops_keep_attendees_role;
DROP TRIGGER IF EXISTS ops_keep_attendees_attendance;
DROP TRIGGER IF EXISTS ops_keep_attendees_agreed;
DROP TRIGGER IF EXISTS ops_keep_attendees_signed_at;
DROP TRIGGER IF EXISTS ops_keep_attendees_signature_png;
DROP TRIGGER IF EXISTS ops_keep_attendees_deleted;
DROP TRIGGER IF EXISTS ops_keep_attendees_delete;
DROP TRIGGER IF EXISTS ops_keep_quality_ratings_review_id;
DROP TRIGGER IF EXISTS ops_keep_quality_ratings_rating;
DROP TRIGGER IF EXISTS ops_keep_quality_ratings_feedback;
DROP TRIGGER IF EXISTS ops_keep_quality_ratings_feedback_lang;
DROP TRIGGER IF EXISTS ops_keep_quality_ratings_rated_by;
DROP TRIGGER IF EXISTS ops_keep_quality_ratings_rated_at;
DROP TRIGGER IF EXISTS ops_keep_quality_ratings_deleted;
DROP TRIGGER IF EXISTS ops_keep_quality_ratings_delete;
DROP TRIGGER IF EXISTS ops_keep_qualifications_review_id;
DROP TRIGGER IF EXISTS ops_keep_qualifications_title;
DROP TRIGGER IF EXISTS ops_keep_qualifications_level;
DROP TRIGGER IF EXISTS ops_keep_qualifications_status;
DROP TRIGGER IF EXISTS ops_keep_qualifications_grade;
DROP TRIGGER IF EXISTS ops_keep_qualifications_awarded_on;
DROP TRIGGER IF EXISTS ops_keep_qualifications_deleted;
DROP TRIGGER IF EXISTS ops_keep_qualifications_delete;
DROP TRIGGER IF EXISTS ops_keep_review_sections_review_id;
DROP TRIGGER IF EXISTS ops_keep_review_sections_section;
DROP TRIGGER IF EXISTS ops_keep_review_sections_reason;
DROP TRIGGER IF EXISTS ops_keep_review_sections_reason_lang;
DROP TRIGGER IF EXISTS ops_keep_review_sections_deleted;
DROP TRIGGER IF EXISTS ops_keep_review_sections_delete;
DROP TRIGGER IF EXISTS ops_keep_funding_requests_review_id;
DROP TRIGGER IF EXISTS ops_keep_funding_requests_kind;
DROP TRIGGER IF EXISTS ops_keep_funding_requests_provider;
DROP TRIGGER IF EXISTS ops_keep_funding_requests_amount_pence;
DROP TRIGGER IF EXISTS ops_keep_funding_requests_start_date;
DROP TRIGGER IF EXISTS ops_keep_funding_requests_end_date;
DROP TRIGGER IF EXISTS ops_keep_funding_requests_purpose;
DROP TRIGGER IF EXISTS ops_keep_funding_requests_purpose_lang;
DROP TRIGGER IF EXISTS ops_keep_funding_requests_expected_impact;
DROP TRIGGER IF EXISTS ops_keep_funding_requests_expected_impact_lang;
DROP TRIGGER IF EXISTS ops_keep_funding_requests_status;
DROP TRIGGER IF EXISTS ops_keep_funding_requests_requested_by;
DROP TRIGGER IF EXISTS ops_keep_funding_requests_requested_by_role;
DROP TRIGGER IF EXISTS ops_keep_funding_requests_requested_at;
DROP TRIGGER IF EXISTS ops_keep_funding_requests_approved_pence;
DROP TRIGGER IF EXISTS ops_keep_funding_requests_decision_reason;
DROP TRIGGER IF EXISTS ops_keep_funding_requests_decision_reason_lang;
DROP TRIGGER IF EXISTS ops_keep_funding_requests_decided_by;
DROP TRIGGER IF EXISTS ops_keep_funding_requests_decided_by_role;
DROP TRIGGER IF EXISTS ops_keep_funding_requests_decided_at;
DROP TRIGGER IF EXISTS ops_keep_funding_requests_deleted;
DROP TRIGGER IF EXISTS ops_keep_funding_requests_delete;
DROP TRIGGER IF EXISTS ops_keep_funding_targets_review_id;
DROP TRIGGER IF EXISTS ops_keep_funding_targets_request_id;
DROP TRIGGER IF EXISTS ops_keep_funding_targets_target_id;
DROP TRIGGER IF EXISTS ops_keep_funding_targets_impact;
DROP TRIGGER IF EXISTS ops_keep_funding_targets_impact_lang;
DROP TRIGGER IF EXISTS ops_keep_funding_targets_impact_progress;
DROP TRIGGER IF EXISTS ops_keep_funding_targets_impact_review_id;
DROP TRIGGER IF EXISTS ops_keep_funding_targets_impact_recorded_on;
DROP TRIGGER IF EXISTS ops_keep_funding_targets_deleted;
DROP TRIGGER IF EXISTS ops_keep_funding_targets_delete;
DROP TRIGGER IF EXISTS ops_keep_funding_spend_review_id;
DROP TRIGGER IF EXISTS ops_keep_funding_spend_request_id;
DROP TRIGGER IF EXISTS ops_keep_funding_spend_amount_pence;
DROP TRIGGER IF EXISTS ops_keep_funding_spend_spent_on;
DROP TRIGGER IF EXISTS ops_keep_funding_spend_note;
DROP TRIGGER IF EXISTS ops_keep_funding_spend_note_lang;
DROP TRIGGER IF EXISTS ops_keep_funding_spend_over_approved;
DROP TRIGGER IF EXISTS ops_keep_funding_spend_recorded_by;
DROP TRIGGER IF EXISTS ops_keep_funding_spend_deleted;
DROP TRIGGER IF EXISTS ops_keep_funding_spend_delete;
DROP TRIGGER IF EXISTS ops_keep_funding_allocations_year;
DROP TRIGGER IF EXISTS ops_keep_funding_allocations_school_id;
DROP TRIGGER IF EXISTS ops_keep_funding_allocations_amount_pence;
DROP TRIGGER IF EXISTS ops_keep_funding_allocations_set_by;
DROP TRIGGER IF EXISTS ops_keep_funding_allocations_set_by_role;
DROP TRIGGER IF EXISTS ops_keep_funding_allocations_set_at;
DROP TRIGGER IF EXISTS ops_keep_funding_allocations_deleted;
DROP TRIGGER IF EXISTS ops_keep_funding_allocations_delete;
DROP TRIGGER IF EXISTS ops_keep_attachments_learner_id;
DROP TRIGGER IF EXISTS ops_keep_attachments_review_id;
DROP TRIGGER IF EXISTS ops_keep_attachments_section;
DROP TRIGGER IF EXISTS ops_keep_attachments_kind;
DROP TRIGGER IF EXISTS ops_keep_attachments_title;
DROP TRIGGER IF EXISTS ops_keep_attachments_title_lang;
DROP TRIGGER IF EXISTS ops_keep_attachments_added_on;
DROP TRIGGER IF EXISTS ops_keep_attachments_added_by;
DROP TRIGGER IF EXISTS ops_keep_attachments_added_by_role;
DROP TRIGGER IF EXISTS ops_keep_attachments_size;
DROP TRIGGER IF EXISTS ops_keep_attachments_sha256;
DROP TRIGGER IF EXISTS ops_keep_attachments_mime;
DROP TRIGGER IF EXISTS ops_keep_attachments_deleted;
DROP TRIGGER IF EXISTS ops_keep_attachments_delete;
DROP TABLE ops;
ALTER TABLE ops_new RENAME TO ops;
CREATE INDEX ops_record_field ON ops(record_id, field);   -- the few rows of a field give its latest stamp
CREATE INDEX ops_learner ON ops(learner_id);
CREATE INDEX ops_unsent ON ops(seq) WHERE server_seq IS NULL AND held IS NULL;
CREATE INDEX ops_unsent_learner ON ops(learner_id) WHERE server_seq IS NULL;
CREATE INDEX ops_held ON ops(held) WHERE held IS NOT NULL;

-- triggers (python -m vsm_desktop.store.oplog)
CREATE TRIGGER ops_keep_schools_name BEFORE UPDATE OF name ON schools
WHEN OLD.name IS NOT NEW.name
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.name', OLD.name)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_schools_medium BEFORE UPDATE OF medium ON schools
WHEN OLD.medium IS NOT NEW.medium
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.medium', OLD.medium)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_schools_kind BEFORE UPDATE OF kind ON schools
WHEN OLD.kind IS NOT NEW.kind
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.kind', OLD.kind)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_schools_local_authority BEFORE UPDATE OF local_authority ON schools
WHEN OLD.local_authority IS NOT NEW.local_authority
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.local_authority', OLD.local_authority)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_schools_delete BEFORE DELETE ON schools
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'),
        '$.name', OLD.name,
        '$.medium', OLD.medium,
        '$.kind', OLD.kind,
        '$.local_authority', OLD.local_authority)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_learners_reference BEFORE UPDATE OF reference ON learners
WHEN OLD.reference IS NOT NEW.reference
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.reference', OLD.reference)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_learners_legal_forename BEFORE UPDATE OF legal_forename ON learners
WHEN OLD.legal_forename IS NOT NEW.legal_forename
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.legal_forename', OLD.legal_forename)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_learners_legal_surname BEFORE UPDATE OF legal_surname ON learners
WHEN OLD.legal_surname IS NOT NEW.legal_surname
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.legal_surname', OLD.legal_surname)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_learners_preferred_name BEFORE UPDATE OF preferred_name ON learners
WHEN OLD.preferred_name IS NOT NEW.preferred_name
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.preferred_name', OLD.preferred_name)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_learners_date_of_birth BEFORE UPDATE OF date_of_birth ON learners
WHEN OLD.date_of_birth IS NOT NEW.date_of_birth
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.date_of_birth', OLD.date_of_birth)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_learners_gender BEFORE UPDATE OF gender ON learners
WHEN OLD.gender IS NOT NEW.gender
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.gender', OLD.gender)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_learners_ethnicity BEFORE UPDATE OF ethnicity ON learners
WHEN OLD.ethnicity IS NOT NEW.ethnicity
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.ethnicity', OLD.ethnicity)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_learners_upn BEFORE UPDATE OF upn ON learners
WHEN OLD.upn IS NOT NEW.upn
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.upn', OLD.upn)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_learners_social_care_id BEFORE UPDATE OF social_care_id ON learners
WHEN OLD.social_care_id IS NOT NEW.social_care_id
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.social_care_id', OLD.social_care_id)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_learners_first_language BEFORE UPDATE OF first_language ON learners
WHEN OLD.first_language IS NOT NEW.first_language
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.first_language', OLD.first_language)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_learners_language_of_learning BEFORE UPDATE OF language_of_learning ON learners
WHEN OLD.language_of_learning IS NOT NEW.language_of_learning
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.language_of_learning', OLD.language_of_learning)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_learners_preferred_language BEFORE UPDATE OF preferred_language ON learners
WHEN OLD.preferred_language IS NOT NEW.preferred_language
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.preferred_language', OLD.preferred_language)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_learners_communication_language BEFORE UPDATE OF communication_language ON learners
WHEN OLD.communication_language IS NOT NEW.communication_language
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.communication_language', OLD.communication_language)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_learners_informed_preference BEFORE UPDATE OF informed_preference ON learners
WHEN OLD.informed_preference IS NOT NEW.informed_preference
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.informed_preference', OLD.informed_preference)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_learners_legal_status BEFORE UPDATE OF legal_status ON learners
WHEN OLD.legal_status IS NOT NEW.legal_status
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.legal_status', OLD.legal_status)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_learners_date_looked_after BEFORE UPDATE OF date_looked_after ON learners
WHEN OLD.date_looked_after IS NOT NEW.date_looked_after
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.date_looked_after', OLD.date_looked_after)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_learners_responsible_authority BEFORE UPDATE OF responsible_authority ON learners
WHEN OLD.responsible_authority IS NOT NEW.responsible_authority
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.responsible_authority', OLD.responsible_authority)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_learners_parental_responsibility BEFORE UPDATE OF parental_responsibility ON learners
WHEN OLD.parental_responsibility IS NOT NEW.parental_responsibility
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.parental_responsibility', OLD.parental_responsibility)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_learners_parental_responsibility_lang BEFORE UPDATE OF parental_responsibility_lang ON learners
WHEN OLD.parental_responsibility_lang IS NOT NEW.parental_responsibility_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.parental_responsibility_lang', OLD.parental_responsibility_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_learners_day_to_day_consents BEFORE UPDATE OF day_to_day_consents ON learners
WHEN OLD.day_to_day_consents IS NOT NEW.day_to_day_consents
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.day_to_day_consents', OLD.day_to_day_consents)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_learners_day_to_day_consents_lang BEFORE UPDATE OF day_to_day_consents_lang ON learners
WHEN OLD.day_to_day_consents_lang IS NOT NEW.day_to_day_consents_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.day_to_day_consents_lang', OLD.day_to_day_consents_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_learners_aln_status BEFORE UPDATE OF aln_status ON learners
WHEN OLD.aln_status IS NOT NEW.aln_status
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.aln_status', OLD.aln_status)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_learners_idp_holder BEFORE UPDATE OF idp_holder ON learners
WHEN OLD.idp_holder IS NOT NEW.idp_holder
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.idp_holder', OLD.idp_holder)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_learners_next_idp_review BEFORE UPDATE OF next_idp_review ON learners
WHEN OLD.next_idp_review IS NOT NEW.next_idp_review
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.next_idp_review', OLD.next_idp_review)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_learners_delete BEFORE DELETE ON learners
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'),
        '$.reference', OLD.reference,
        '$.legal_forename', OLD.legal_forename,
        '$.legal_surname', OLD.legal_surname,
        '$.preferred_name', OLD.preferred_name,
        '$.date_of_birth', OLD.date_of_birth,
        '$.gender', OLD.gender,
        '$.ethnicity', OLD.ethnicity,
        '$.upn', OLD.upn,
        '$.social_care_id', OLD.social_care_id,
        '$.first_language', OLD.first_language,
        '$.language_of_learning', OLD.language_of_learning,
        '$.preferred_language', OLD.preferred_language,
        '$.communication_language', OLD.communication_language,
        '$.informed_preference', OLD.informed_preference,
        '$.legal_status', OLD.legal_status,
        '$.date_looked_after', OLD.date_looked_after,
        '$.responsible_authority', OLD.responsible_authority,
        '$.parental_responsibility', OLD.parental_responsibility,
        '$.parental_responsibility_lang', OLD.parental_responsibility_lang,
        '$.day_to_day_consents', OLD.day_to_day_consents,
        '$.day_to_day_consents_lang', OLD.day_to_day_consents_lang,
        '$.aln_status', OLD.aln_status,
        '$.idp_holder', OLD.idp_holder,
        '$.next_idp_review', OLD.next_idp_review)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_contacts_learner_id BEFORE UPDATE OF learner_id ON contacts
WHEN OLD.learner_id IS NOT NEW.learner_id
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.learner_id', OLD.learner_id)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_contacts_role BEFORE UPDATE OF role ON contacts
WHEN OLD.role IS NOT NEW.role
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.role', OLD.role)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_contacts_name BEFORE UPDATE OF name ON contacts
WHEN OLD.name IS NOT NEW.name
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.name', OLD.name)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_contacts_organisation BEFORE UPDATE OF organisation ON contacts
WHEN OLD.organisation IS NOT NEW.organisation
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.organisation', OLD.organisation)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_contacts_phone BEFORE UPDATE OF phone ON contacts
WHEN OLD.phone IS NOT NEW.phone
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.phone', OLD.phone)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_contacts_email BEFORE UPDATE OF email ON contacts
WHEN OLD.email IS NOT NEW.email
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.email', OLD.email)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_contacts_deleted BEFORE UPDATE OF deleted ON contacts
WHEN OLD.deleted IS NOT NEW.deleted
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.deleted', CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_contacts_delete BEFORE DELETE ON contacts
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'),
        '$.learner_id', OLD.learner_id,
        '$.role', OLD.role,
        '$.name', OLD.name,
        '$.organisation', OLD.organisation,
        '$.phone', OLD.phone,
        '$.email', OLD.email,
        '$.deleted', CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_placements_learner_id BEFORE UPDATE OF learner_id ON placements
WHEN OLD.learner_id IS NOT NEW.learner_id
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.learner_id', OLD.learner_id)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_placements_placement_type BEFORE UPDATE OF placement_type ON placements
WHEN OLD.placement_type IS NOT NEW.placement_type
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.placement_type', OLD.placement_type)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_placements_placing_area BEFORE UPDATE OF placing_area ON placements
WHEN OLD.placing_area IS NOT NEW.placing_area
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.placing_area', OLD.placing_area)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_placements_start_date BEFORE UPDATE OF start_date ON placements
WHEN OLD.start_date IS NOT NEW.start_date
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.start_date', OLD.start_date)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_placements_end_date BEFORE UPDATE OF end_date ON placements
WHEN OLD.end_date IS NOT NEW.end_date
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.end_date', OLD.end_date)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_placements_reason_for_move BEFORE UPDATE OF reason_for_move ON placements
WHEN OLD.reason_for_move IS NOT NEW.reason_for_move
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.reason_for_move', OLD.reason_for_move)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_placements_reason_for_move_lang BEFORE UPDATE OF reason_for_move_lang ON placements
WHEN OLD.reason_for_move_lang IS NOT NEW.reason_for_move_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.reason_for_move_lang', OLD.reason_for_move_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_placements_deleted BEFORE UPDATE OF deleted ON placements
WHEN OLD.deleted IS NOT NEW.deleted
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.deleted', CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_placements_delete BEFORE DELETE ON placements
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'),
        '$.learner_id', OLD.learner_id,
        '$.placement_type', OLD.placement_type,
        '$.placing_area', OLD.placing_area,
        '$.start_date', OLD.start_date,
        '$.end_date', OLD.end_date,
        '$.reason_for_move', OLD.reason_for_move,
        '$.reason_for_move_lang', OLD.reason_for_move_lang,
        '$.deleted', CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_enrolments_learner_id BEFORE UPDATE OF learner_id ON enrolments
WHEN OLD.learner_id IS NOT NEW.learner_id
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.learner_id', OLD.learner_id)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_enrolments_school_id BEFORE UPDATE OF school_id ON enrolments
WHEN OLD.school_id IS NOT NEW.school_id
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.school_id', OLD.school_id)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_enrolments_start_date BEFORE UPDATE OF start_date ON enrolments
WHEN OLD.start_date IS NOT NEW.start_date
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.start_date', OLD.start_date)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_enrolments_end_date BEFORE UPDATE OF end_date ON enrolments
WHEN OLD.end_date IS NOT NEW.end_date
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.end_date', OLD.end_date)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_enrolments_reason_for_move BEFORE UPDATE OF reason_for_move ON enrolments
WHEN OLD.reason_for_move IS NOT NEW.reason_for_move
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.reason_for_move', OLD.reason_for_move)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_enrolments_reason_for_move_lang BEFORE UPDATE OF reason_for_move_lang ON enrolments
WHEN OLD.reason_for_move_lang IS NOT NEW.reason_for_move_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.reason_for_move_lang', OLD.reason_for_move_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_enrolments_reduced_timetable BEFORE UPDATE OF reduced_timetable ON enrolments
WHEN OLD.reduced_timetable IS NOT NEW.reduced_timetable
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.reduced_timetable', CASE WHEN OLD.reduced_timetable IS NULL THEN NULL WHEN OLD.reduced_timetable THEN json('true') ELSE json('false') END)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_enrolments_gap_in_education BEFORE UPDATE OF gap_in_education ON enrolments
WHEN OLD.gap_in_education IS NOT NEW.gap_in_education
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.gap_in_education', OLD.gap_in_education)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_enrolments_gap_in_education_lang BEFORE UPDATE OF gap_in_education_lang ON enrolments
WHEN OLD.gap_in_education_lang IS NOT NEW.gap_in_education_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.gap_in_education_lang', OLD.gap_in_education_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_enrolments_deleted BEFORE UPDATE OF deleted ON enrolments
WHEN OLD.deleted IS NOT NEW.deleted
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.deleted', CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_enrolments_delete BEFORE DELETE ON enrolments
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'),
        '$.learner_id', OLD.learner_id,
        '$.school_id', OLD.school_id,
        '$.start_date', OLD.start_date,
        '$.end_date', OLD.end_date,
        '$.reason_for_move', OLD.reason_for_move,
        '$.reason_for_move_lang', OLD.reason_for_move_lang,
        '$.reduced_timetable', CASE WHEN OLD.reduced_timetable IS NULL THEN NULL WHEN OLD.reduced_timetable THEN json('true') ELSE json('false') END,
        '$.gap_in_education', OLD.gap_in_education,
        '$.gap_in_education_lang', OLD.gap_in_education_lang,
        '$.deleted', CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_learner_id BEFORE UPDATE OF learner_id ON reviews
WHEN OLD.learner_id IS NOT NEW.learner_id
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.learner_id', OLD.learner_id)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_review_type BEFORE UPDATE OF review_type ON reviews
WHEN OLD.review_type IS NOT NEW.review_type
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.review_type', OLD.review_type)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_status BEFORE UPDATE OF status ON reviews
WHEN OLD.status IS NOT NEW.status
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.status', OLD.status)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_amends_review_id BEFORE UPDATE OF amends_review_id ON reviews
WHEN OLD.amends_review_id IS NOT NEW.amends_review_id
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.amends_review_id', OLD.amends_review_id)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_amendment_reason BEFORE UPDATE OF amendment_reason ON reviews
WHEN OLD.amendment_reason IS NOT NEW.amendment_reason
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.amendment_reason', OLD.amendment_reason)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_amendment_reason_lang BEFORE UPDATE OF amendment_reason_lang ON reviews
WHEN OLD.amendment_reason_lang IS NOT NEW.amendment_reason_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.amendment_reason_lang', OLD.amendment_reason_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_period_start BEFORE UPDATE OF period_start ON reviews
WHEN OLD.period_start IS NOT NEW.period_start
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.period_start', OLD.period_start)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_period_end BEFORE UPDATE OF period_end ON reviews
WHEN OLD.period_end IS NOT NEW.period_end
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.period_end', OLD.period_end)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_due_date BEFORE UPDATE OF due_date ON reviews
WHEN OLD.due_date IS NOT NEW.due_date
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.due_date', OLD.due_date)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_meeting_date BEFORE UPDATE OF meeting_date ON reviews
WHEN OLD.meeting_date IS NOT NEW.meeting_date
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.meeting_date', OLD.meeting_date)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_meeting_place BEFORE UPDATE OF meeting_place ON reviews
WHEN OLD.meeting_place IS NOT NEW.meeting_place
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.meeting_place', OLD.meeting_place)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_meeting_language BEFORE UPDATE OF meeting_language ON reviews
WHEN OLD.meeting_language IS NOT NEW.meeting_language
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.meeting_language', OLD.meeting_language)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_next_review_date BEFORE UPDATE OF next_review_date ON reviews
WHEN OLD.next_review_date IS NOT NEW.next_review_date
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.next_review_date', OLD.next_review_date)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_finalised_at BEFORE UPDATE OF finalised_at ON reviews
WHEN OLD.finalised_at IS NOT NEW.finalised_at
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.finalised_at', OLD.finalised_at)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_finalised_by BEFORE UPDATE OF finalised_by ON reviews
WHEN OLD.finalised_by IS NOT NEW.finalised_by
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.finalised_by', OLD.finalised_by)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_current_arrangements BEFORE UPDATE OF current_arrangements ON reviews
WHEN OLD.current_arrangements IS NOT NEW.current_arrangements
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.current_arrangements', OLD.current_arrangements)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_current_arrangements_lang BEFORE UPDATE OF current_arrangements_lang ON reviews
WHEN OLD.current_arrangements_lang IS NOT NEW.current_arrangements_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.current_arrangements_lang', OLD.current_arrangements_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_disruption_plan BEFORE UPDATE OF disruption_plan ON reviews
WHEN OLD.disruption_plan IS NOT NEW.disruption_plan
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.disruption_plan', OLD.disruption_plan)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_disruption_plan_lang BEFORE UPDATE OF disruption_plan_lang ON reviews
WHEN OLD.disruption_plan_lang IS NOT NEW.disruption_plan_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.disruption_plan_lang', OLD.disruption_plan_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_attendance_pct BEFORE UPDATE OF attendance_pct ON reviews
WHEN OLD.attendance_pct IS NOT NEW.attendance_pct
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.attendance_pct', OLD.attendance_pct)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_authorised_absence_pct BEFORE UPDATE OF authorised_absence_pct ON reviews
WHEN OLD.authorised_absence_pct IS NOT NEW.authorised_absence_pct
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.authorised_absence_pct', OLD.authorised_absence_pct)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_unauthorised_absence_pct BEFORE UPDATE OF unauthorised_absence_pct ON reviews
WHEN OLD.unauthorised_absence_pct IS NOT NEW.unauthorised_absence_pct
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.unauthorised_absence_pct', OLD.unauthorised_absence_pct)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_reduced_timetable BEFORE UPDATE OF reduced_timetable ON reviews
WHEN OLD.reduced_timetable IS NOT NEW.reduced_timetable
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.reduced_timetable', CASE WHEN OLD.reduced_timetable IS NULL THEN NULL WHEN OLD.reduced_timetable THEN json('true') ELSE json('false') END)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_alternative_provision BEFORE UPDATE OF alternative_provision ON reviews
WHEN OLD.alternative_provision IS NOT NEW.alternative_provision
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.alternative_provision', OLD.alternative_provision)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_alternative_provision_lang BEFORE UPDATE OF alternative_provision_lang ON reviews
WHEN OLD.alternative_provision_lang IS NOT NEW.alternative_provision_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.alternative_provision_lang', OLD.alternative_provision_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_aln_status BEFORE UPDATE OF aln_status ON reviews
WHEN OLD.aln_status IS NOT NEW.aln_status
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.aln_status', OLD.aln_status)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_idp_holder BEFORE UPDATE OF idp_holder ON reviews
WHEN OLD.idp_holder IS NOT NEW.idp_holder
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.idp_holder', OLD.idp_holder)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_aln_provision BEFORE UPDATE OF aln_provision ON reviews
WHEN OLD.aln_provision IS NOT NEW.aln_provision
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.aln_provision', OLD.aln_provision)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_aln_provision_lang BEFORE UPDATE OF aln_provision_lang ON reviews
WHEN OLD.aln_provision_lang IS NOT NEW.aln_provision_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.aln_provision_lang', OLD.aln_provision_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_next_idp_review BEFORE UPDATE OF next_idp_review ON reviews
WHEN OLD.next_idp_review IS NOT NEW.next_idp_review
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.next_idp_review', OLD.next_idp_review)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_progress_summary BEFORE UPDATE OF progress_summary ON reviews
WHEN OLD.progress_summary IS NOT NEW.progress_summary
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.progress_summary', OLD.progress_summary)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_progress_summary_lang BEFORE UPDATE OF progress_summary_lang ON reviews
WHEN OLD.progress_summary_lang IS NOT NEW.progress_summary_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.progress_summary_lang', OLD.progress_summary_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_strengths BEFORE UPDATE OF strengths ON reviews
WHEN OLD.strengths IS NOT NEW.strengths
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.strengths', OLD.strengths)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_strengths_lang BEFORE UPDATE OF strengths_lang ON reviews
WHEN OLD.strengths_lang IS NOT NEW.strengths_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.strengths_lang', OLD.strengths_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_sdq_score BEFORE UPDATE OF sdq_score ON reviews
WHEN OLD.sdq_score IS NOT NEW.sdq_score
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.sdq_score', OLD.sdq_score)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_wellbeing_concern BEFORE UPDATE OF wellbeing_concern ON reviews
WHEN OLD.wellbeing_concern IS NOT NEW.wellbeing_concern
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.wellbeing_concern', CASE WHEN OLD.wellbeing_concern IS NULL THEN NULL WHEN OLD.wellbeing_concern THEN json('true') ELSE json('false') END)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_wellbeing_notes BEFORE UPDATE OF wellbeing_notes ON reviews
WHEN OLD.wellbeing_notes IS NOT NEW.wellbeing_notes
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.wellbeing_notes', OLD.wellbeing_notes)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_wellbeing_notes_lang BEFORE UPDATE OF wellbeing_notes_lang ON reviews
WHEN OLD.wellbeing_notes_lang IS NOT NEW.wellbeing_notes_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.wellbeing_notes_lang', OLD.wellbeing_notes_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_referrals BEFORE UPDATE OF referrals ON reviews
WHEN OLD.referrals IS NOT NEW.referrals
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.referrals', OLD.referrals)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_referrals_lang BEFORE UPDATE OF referrals_lang ON reviews
WHEN OLD.referrals_lang IS NOT NEW.referrals_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.referrals_lang', OLD.referrals_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_voice_good_at BEFORE UPDATE OF voice_good_at ON reviews
WHEN OLD.voice_good_at IS NOT NEW.voice_good_at
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.voice_good_at', OLD.voice_good_at)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_voice_good_at_lang BEFORE UPDATE OF voice_good_at_lang ON reviews
WHEN OLD.voice_good_at_lang IS NOT NEW.voice_good_at_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.voice_good_at_lang', OLD.voice_good_at_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_voice_enjoy BEFORE UPDATE OF voice_enjoy ON reviews
WHEN OLD.voice_enjoy IS NOT NEW.voice_enjoy
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.voice_enjoy', OLD.voice_enjoy)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_voice_enjoy_lang BEFORE UPDATE OF voice_enjoy_lang ON reviews
WHEN OLD.voice_enjoy_lang IS NOT NEW.voice_enjoy_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.voice_enjoy_lang', OLD.voice_enjoy_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_voice_worries BEFORE UPDATE OF voice_worries ON reviews
WHEN OLD.voice_worries IS NOT NEW.voice_worries
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.voice_worries', OLD.voice_worries)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_voice_worries_lang BEFORE UPDATE OF voice_worries_lang ON reviews
WHEN OLD.voice_worries_lang IS NOT NEW.voice_worries_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.voice_worries_lang', OLD.voice_worries_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_voice_helps BEFORE UPDATE OF voice_helps ON reviews
WHEN OLD.voice_helps IS NOT NEW.voice_helps
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.voice_helps', OLD.voice_helps)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_voice_helps_lang BEFORE UPDATE OF voice_helps_lang ON reviews
WHEN OLD.voice_helps_lang IS NOT NEW.voice_helps_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.voice_helps_lang', OLD.voice_helps_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_voice_future BEFORE UPDATE OF voice_future ON reviews
WHEN OLD.voice_future IS NOT NEW.voice_future
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.voice_future', OLD.voice_future)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_voice_future_lang BEFORE UPDATE OF voice_future_lang ON reviews
WHEN OLD.voice_future_lang IS NOT NEW.voice_future_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.voice_future_lang', OLD.voice_future_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_voice_trusted_adult BEFORE UPDATE OF voice_trusted_adult ON reviews
WHEN OLD.voice_trusted_adult IS NOT NEW.voice_trusted_adult
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.voice_trusted_adult', OLD.voice_trusted_adult)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_voice_trusted_adult_lang BEFORE UPDATE OF voice_trusted_adult_lang ON reviews
WHEN OLD.voice_trusted_adult_lang IS NOT NEW.voice_trusted_adult_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.voice_trusted_adult_lang', OLD.voice_trusted_adult_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_carer_views BEFORE UPDATE OF carer_views ON reviews
WHEN OLD.carer_views IS NOT NEW.carer_views
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.carer_views', OLD.carer_views)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_carer_views_lang BEFORE UPDATE OF carer_views_lang ON reviews
WHEN OLD.carer_views_lang IS NOT NEW.carer_views_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.carer_views_lang', OLD.carer_views_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_carer_role BEFORE UPDATE OF carer_role ON reviews
WHEN OLD.carer_role IS NOT NEW.carer_role
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.carer_role', OLD.carer_role)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_carer_role_lang BEFORE UPDATE OF carer_role_lang ON reviews
WHEN OLD.carer_role_lang IS NOT NEW.carer_role_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.carer_role_lang', OLD.carer_role_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_professional_views BEFORE UPDATE OF professional_views ON reviews
WHEN OLD.professional_views IS NOT NEW.professional_views
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.professional_views', OLD.professional_views)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_professional_views_lang BEFORE UPDATE OF professional_views_lang ON reviews
WHEN OLD.professional_views_lang IS NOT NEW.professional_views_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.professional_views_lang', OLD.professional_views_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_leisure_interests BEFORE UPDATE OF leisure_interests ON reviews
WHEN OLD.leisure_interests IS NOT NEW.leisure_interests
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.leisure_interests', OLD.leisure_interests)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_leisure_interests_lang BEFORE UPDATE OF leisure_interests_lang ON reviews
WHEN OLD.leisure_interests_lang IS NOT NEW.leisure_interests_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.leisure_interests_lang', OLD.leisure_interests_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_transition BEFORE UPDATE OF transition ON reviews
WHEN OLD.transition IS NOT NEW.transition
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.transition', OLD.transition)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_transition_lang BEFORE UPDATE OF transition_lang ON reviews
WHEN OLD.transition_lang IS NOT NEW.transition_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.transition_lang', OLD.transition_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_neet_risk BEFORE UPDATE OF neet_risk ON reviews
WHEN OLD.neet_risk IS NOT NEW.neet_risk
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.neet_risk', CASE WHEN OLD.neet_risk IS NULL THEN NULL WHEN OLD.neet_risk THEN json('true') ELSE json('false') END)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_phase_override BEFORE UPDATE OF phase_override ON reviews
WHEN OLD.phase_override IS NOT NEW.phase_override
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.phase_override', OLD.phase_override)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_phase_override_reason BEFORE UPDATE OF phase_override_reason ON reviews
WHEN OLD.phase_override_reason IS NOT NEW.phase_override_reason
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.phase_override_reason', OLD.phase_override_reason)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_phase_override_reason_lang BEFORE UPDATE OF phase_override_reason_lang ON reviews
WHEN OLD.phase_override_reason_lang IS NOT NEW.phase_override_reason_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.phase_override_reason_lang', OLD.phase_override_reason_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_ey_areas_of_learning BEFORE UPDATE OF ey_areas_of_learning ON reviews
WHEN OLD.ey_areas_of_learning IS NOT NEW.ey_areas_of_learning
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.ey_areas_of_learning', OLD.ey_areas_of_learning)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_ey_areas_of_learning_lang BEFORE UPDATE OF ey_areas_of_learning_lang ON reviews
WHEN OLD.ey_areas_of_learning_lang IS NOT NEW.ey_areas_of_learning_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.ey_areas_of_learning_lang', OLD.ey_areas_of_learning_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_ey_communication BEFORE UPDATE OF ey_communication ON reviews
WHEN OLD.ey_communication IS NOT NEW.ey_communication
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.ey_communication', OLD.ey_communication)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_ey_communication_lang BEFORE UPDATE OF ey_communication_lang ON reviews
WHEN OLD.ey_communication_lang IS NOT NEW.ey_communication_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.ey_communication_lang', OLD.ey_communication_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_ey_physical BEFORE UPDATE OF ey_physical ON reviews
WHEN OLD.ey_physical IS NOT NEW.ey_physical
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.ey_physical', OLD.ey_physical)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_ey_physical_lang BEFORE UPDATE OF ey_physical_lang ON reviews
WHEN OLD.ey_physical_lang IS NOT NEW.ey_physical_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.ey_physical_lang', OLD.ey_physical_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_ey_personal_social BEFORE UPDATE OF ey_personal_social ON reviews
WHEN OLD.ey_personal_social IS NOT NEW.ey_personal_social
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.ey_personal_social', OLD.ey_personal_social)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_ey_personal_social_lang BEFORE UPDATE OF ey_personal_social_lang ON reviews
WHEN OLD.ey_personal_social_lang IS NOT NEW.ey_personal_social_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.ey_personal_social_lang', OLD.ey_personal_social_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_ey_key_person BEFORE UPDATE OF ey_key_person ON reviews
WHEN OLD.ey_key_person IS NOT NEW.ey_key_person
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.ey_key_person', OLD.ey_key_person)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_ey_funded_hours BEFORE UPDATE OF ey_funded_hours ON reviews
WHEN OLD.ey_funded_hours IS NOT NEW.ey_funded_hours
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.ey_funded_hours', OLD.ey_funded_hours)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_ey_aln BEFORE UPDATE OF ey_aln ON reviews
WHEN OLD.ey_aln IS NOT NEW.ey_aln
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.ey_aln', OLD.ey_aln)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_ey_aln_lang BEFORE UPDATE OF ey_aln_lang ON reviews
WHEN OLD.ey_aln_lang IS NOT NEW.ey_aln_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.ey_aln_lang', OLD.ey_aln_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_ey_health_visitor BEFORE UPDATE OF ey_health_visitor ON reviews
WHEN OLD.ey_health_visitor IS NOT NEW.ey_health_visitor
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.ey_health_visitor', OLD.ey_health_visitor)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_ey_health_visitor_lang BEFORE UPDATE OF ey_health_visitor_lang ON reviews
WHEN OLD.ey_health_visitor_lang IS NOT NEW.ey_health_visitor_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.ey_health_visitor_lang', OLD.ey_health_visitor_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_course_provider BEFORE UPDATE OF course_provider ON reviews
WHEN OLD.course_provider IS NOT NEW.course_provider
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.course_provider', OLD.course_provider)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_course_title BEFORE UPDATE OF course_title ON reviews
WHEN OLD.course_title IS NOT NEW.course_title
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.course_title', OLD.course_title)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_course_level BEFORE UPDATE OF course_level ON reviews
WHEN OLD.course_level IS NOT NEW.course_level
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.course_level', OLD.course_level)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_course_start BEFORE UPDATE OF course_start ON reviews
WHEN OLD.course_start IS NOT NEW.course_start
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.course_start', OLD.course_start)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_course_end BEFORE UPDATE OF course_end ON reviews
WHEN OLD.course_end IS NOT NEW.course_end
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.course_end', OLD.course_end)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_course_attendance_pct BEFORE UPDATE OF course_attendance_pct ON reviews
WHEN OLD.course_attendance_pct IS NOT NEW.course_attendance_pct
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.course_attendance_pct', OLD.course_attendance_pct)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_careers_adviser BEFORE UPDATE OF careers_adviser ON reviews
WHEN OLD.careers_adviser IS NOT NEW.careers_adviser
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.careers_adviser', OLD.careers_adviser)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_careers_guidance_date BEFORE UPDATE OF careers_guidance_date ON reviews
WHEN OLD.careers_guidance_date IS NOT NEW.careers_guidance_date
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.careers_guidance_date', OLD.careers_guidance_date)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_personal_adviser BEFORE UPDATE OF personal_adviser ON reviews
WHEN OLD.personal_adviser IS NOT NEW.personal_adviser
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.personal_adviser', OLD.personal_adviser)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_pathway_plan BEFORE UPDATE OF pathway_plan ON reviews
WHEN OLD.pathway_plan IS NOT NEW.pathway_plan
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.pathway_plan', OLD.pathway_plan)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_bursary BEFORE UPDATE OF bursary ON reviews
WHEN OLD.bursary IS NOT NEW.bursary
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.bursary', CASE WHEN OLD.bursary IS NULL THEN NULL WHEN OLD.bursary THEN json('true') ELSE json('false') END)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_ema BEFORE UPDATE OF ema ON reviews
WHEN OLD.ema IS NOT NEW.ema
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.ema', CASE WHEN OLD.ema IS NULL THEN NULL WHEN OLD.ema THEN json('true') ELSE json('false') END)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_financial_support BEFORE UPDATE OF financial_support ON reviews
WHEN OLD.financial_support IS NOT NEW.financial_support
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.financial_support', OLD.financial_support)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_financial_support_lang BEFORE UPDATE OF financial_support_lang ON reviews
WHEN OLD.financial_support_lang IS NOT NEW.financial_support_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.financial_support_lang', OLD.financial_support_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_aspiration BEFORE UPDATE OF aspiration ON reviews
WHEN OLD.aspiration IS NOT NEW.aspiration
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.aspiration', OLD.aspiration)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_aspiration_lang BEFORE UPDATE OF aspiration_lang ON reviews
WHEN OLD.aspiration_lang IS NOT NEW.aspiration_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.aspiration_lang', OLD.aspiration_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_neet_actions BEFORE UPDATE OF neet_actions ON reviews
WHEN OLD.neet_actions IS NOT NEW.neet_actions
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.neet_actions', OLD.neet_actions)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_neet_actions_lang BEFORE UPDATE OF neet_actions_lang ON reviews
WHEN OLD.neet_actions_lang IS NOT NEW.neet_actions_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.neet_actions_lang', OLD.neet_actions_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_transition_to BEFORE UPDATE OF transition_to ON reviews
WHEN OLD.transition_to IS NOT NEW.transition_to
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.transition_to', OLD.transition_to)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_transition_date BEFORE UPDATE OF transition_date ON reviews
WHEN OLD.transition_date IS NOT NEW.transition_date
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.transition_date', OLD.transition_date)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_ap_provider BEFORE UPDATE OF ap_provider ON reviews
WHEN OLD.ap_provider IS NOT NEW.ap_provider
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.ap_provider', OLD.ap_provider)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_ap_days BEFORE UPDATE OF ap_days ON reviews
WHEN OLD.ap_days IS NOT NEW.ap_days
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.ap_days', OLD.ap_days)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_ap_start BEFORE UPDATE OF ap_start ON reviews
WHEN OLD.ap_start IS NOT NEW.ap_start
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.ap_start', OLD.ap_start)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_ap_end BEFORE UPDATE OF ap_end ON reviews
WHEN OLD.ap_end IS NOT NEW.ap_end
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.ap_end', OLD.ap_end)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_ap_purpose BEFORE UPDATE OF ap_purpose ON reviews
WHEN OLD.ap_purpose IS NOT NEW.ap_purpose
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.ap_purpose', OLD.ap_purpose)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_ap_purpose_lang BEFORE UPDATE OF ap_purpose_lang ON reviews
WHEN OLD.ap_purpose_lang IS NOT NEW.ap_purpose_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.ap_purpose_lang', OLD.ap_purpose_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_rt_hours BEFORE UPDATE OF rt_hours ON reviews
WHEN OLD.rt_hours IS NOT NEW.rt_hours
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.rt_hours', OLD.rt_hours)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_rt_reason BEFORE UPDATE OF rt_reason ON reviews
WHEN OLD.rt_reason IS NOT NEW.rt_reason
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.rt_reason', OLD.rt_reason)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_rt_reason_lang BEFORE UPDATE OF rt_reason_lang ON reviews
WHEN OLD.rt_reason_lang IS NOT NEW.rt_reason_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.rt_reason_lang', OLD.rt_reason_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_rt_return_plan BEFORE UPDATE OF rt_return_plan ON reviews
WHEN OLD.rt_return_plan IS NOT NEW.rt_return_plan
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.rt_return_plan', OLD.rt_return_plan)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_rt_return_plan_lang BEFORE UPDATE OF rt_return_plan_lang ON reviews
WHEN OLD.rt_return_plan_lang IS NOT NEW.rt_return_plan_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.rt_return_plan_lang', OLD.rt_return_plan_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_rt_review_date BEFORE UPDATE OF rt_review_date ON reviews
WHEN OLD.rt_review_date IS NOT NEW.rt_review_date
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.rt_review_date', OLD.rt_review_date)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_neet_since BEFORE UPDATE OF neet_since ON reviews
WHEN OLD.neet_since IS NOT NEW.neet_since
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.neet_since', OLD.neet_since)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_neet_support BEFORE UPDATE OF neet_support ON reviews
WHEN OLD.neet_support IS NOT NEW.neet_support
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.neet_support', OLD.neet_support)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_neet_support_lang BEFORE UPDATE OF neet_support_lang ON reviews
WHEN OLD.neet_support_lang IS NOT NEW.neet_support_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.neet_support_lang', OLD.neet_support_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_reviews_delete BEFORE DELETE ON reviews
BEGIN
    UPDATE ops SET value = json_insert(json_insert(json_insert(coalesce(value, '{}'),
        '$.learner_id', OLD.learner_id,
        '$.review_type', OLD.review_type,
        '$.status', OLD.status,
        '$.amends_review_id', OLD.amends_review_id,
        '$.amendment_reason', OLD.amendment_reason,
        '$.amendment_reason_lang', OLD.amendment_reason_lang,
        '$.period_start', OLD.period_start,
        '$.period_end', OLD.period_end,
        '$.due_date', OLD.due_date,
        '$.meeting_date', OLD.meeting_date,
        '$.meeting_place', OLD.meeting_place,
        '$.meeting_language', OLD.meeting_language,
        '$.next_review_date', OLD.next_review_date,
        '$.finalised_at', OLD.finalised_at,
        '$.finalised_by', OLD.finalised_by,
        '$.current_arrangements', OLD.current_arrangements,
        '$.current_arrangements_lang', OLD.current_arrangements_lang,
        '$.disruption_plan', OLD.disruption_plan,
        '$.disruption_plan_lang', OLD.disruption_plan_lang,
        '$.attendance_pct', OLD.attendance_pct,
        '$.authorised_absence_pct', OLD.authorised_absence_pct,
        '$.unauthorised_absence_pct', OLD.unauthorised_absence_pct,
        '$.reduced_timetable', CASE WHEN OLD.reduced_timetable IS NULL THEN NULL WHEN OLD.reduced_timetable THEN json('true') ELSE json('false') END,
        '$.alternative_provision', OLD.alternative_provision,
        '$.alternative_provision_lang', OLD.alternative_provision_lang,
        '$.aln_status', OLD.aln_status,
        '$.idp_holder', OLD.idp_holder,
        '$.aln_provision', OLD.aln_provision,
        '$.aln_provision_lang', OLD.aln_provision_lang,
        '$.next_idp_review', OLD.next_idp_review,
        '$.progress_summary', OLD.progress_summary,
        '$.progress_summary_lang', OLD.progress_summary_lang,
        '$.strengths', OLD.strengths,
        '$.strengths_lang', OLD.strengths_lang,
        '$.sdq_score', OLD.sdq_score,
        '$.wellbeing_concern', CASE WHEN OLD.wellbeing_concern IS NULL THEN NULL WHEN OLD.wellbeing_concern THEN json('true') ELSE json('false') END,
        '$.wellbeing_notes', OLD.wellbeing_notes,
        '$.wellbeing_notes_lang', OLD.wellbeing_notes_lang,
        '$.referrals', OLD.referrals,
        '$.referrals_lang', OLD.referrals_lang),
        '$.voice_good_at', OLD.voice_good_at,
        '$.voice_good_at_lang', OLD.voice_good_at_lang,
        '$.voice_enjoy', OLD.voice_enjoy,
        '$.voice_enjoy_lang', OLD.voice_enjoy_lang,
        '$.voice_worries', OLD.voice_worries,
        '$.voice_worries_lang', OLD.voice_worries_lang,
        '$.voice_helps', OLD.voice_helps,
        '$.voice_helps_lang', OLD.voice_helps_lang,
        '$.voice_future', OLD.voice_future,
        '$.voice_future_lang', OLD.voice_future_lang,
        '$.voice_trusted_adult', OLD.voice_trusted_adult,
        '$.voice_trusted_adult_lang', OLD.voice_trusted_adult_lang,
        '$.carer_views', OLD.carer_views,
        '$.carer_views_lang', OLD.carer_views_lang,
        '$.carer_role', OLD.carer_role,
        '$.carer_role_lang', OLD.carer_role_lang,
        '$.professional_views', OLD.professional_views,
        '$.professional_views_lang', OLD.professional_views_lang,
        '$.leisure_interests', OLD.leisure_interests,
        '$.leisure_interests_lang', OLD.leisure_interests_lang,
        '$.transition', OLD.transition,
        '$.transition_lang', OLD.transition_lang,
        '$.neet_risk', CASE WHEN OLD.neet_risk IS NULL THEN NULL WHEN OLD.neet_risk THEN json('true') ELSE json('false') END,
        '$.phase_override', OLD.phase_override,
        '$.phase_override_reason', OLD.phase_override_reason,
        '$.phase_override_reason_lang', OLD.phase_override_reason_lang,
        '$.ey_areas_of_learning', OLD.ey_areas_of_learning,
        '$.ey_areas_of_learning_lang', OLD.ey_areas_of_learning_lang,
        '$.ey_communication', OLD.ey_communication,
        '$.ey_communication_lang', OLD.ey_communication_lang,
        '$.ey_physical', OLD.ey_physical,
        '$.ey_physical_lang', OLD.ey_physical_lang,
        '$.ey_personal_social', OLD.ey_personal_social,
        '$.ey_personal_social_lang', OLD.ey_personal_social_lang,
        '$.ey_key_person', OLD.ey_key_person,
        '$.ey_funded_hours', OLD.ey_funded_hours,
        '$.ey_aln', OLD.ey_aln,
        '$.ey_aln_lang', OLD.ey_aln_lang,
        '$.ey_health_visitor', OLD.ey_health_visitor,
        '$.ey_health_visitor_lang', OLD.ey_health_visitor_lang),
        '$.course_provider', OLD.course_provider,
        '$.course_title', OLD.course_title,
        '$.course_level', OLD.course_level,
        '$.course_start', OLD.course_start,
        '$.course_end', OLD.course_end,
        '$.course_attendance_pct', OLD.course_attendance_pct,
        '$.careers_adviser', OLD.careers_adviser,
        '$.careers_guidance_date', OLD.careers_guidance_date,
        '$.personal_adviser', OLD.personal_adviser,
        '$.pathway_plan', OLD.pathway_plan,
        '$.bursary', CASE WHEN OLD.bursary IS NULL THEN NULL WHEN OLD.bursary THEN json('true') ELSE json('false') END,
        '$.ema', CASE WHEN OLD.ema IS NULL THEN NULL WHEN OLD.ema THEN json('true') ELSE json('false') END,
        '$.financial_support', OLD.financial_support,
        '$.financial_support_lang', OLD.financial_support_lang,
        '$.aspiration', OLD.aspiration,
        '$.aspiration_lang', OLD.aspiration_lang,
        '$.neet_actions', OLD.neet_actions,
        '$.neet_actions_lang', OLD.neet_actions_lang,
        '$.transition_to', OLD.transition_to,
        '$.transition_date', OLD.transition_date,
        '$.ap_provider', OLD.ap_provider,
        '$.ap_days', OLD.ap_days,
        '$.ap_start', OLD.ap_start,
        '$.ap_end', OLD.ap_end,
        '$.ap_purpose', OLD.ap_purpose,
        '$.ap_purpose_lang', OLD.ap_purpose_lang,
        '$.rt_hours', OLD.rt_hours,
        '$.rt_reason', OLD.rt_reason,
        '$.rt_reason_lang', OLD.rt_reason_lang,
        '$.rt_return_plan', OLD.rt_return_plan,
        '$.rt_return_plan_lang', OLD.rt_return_plan_lang,
        '$.rt_review_date', OLD.rt_review_date,
        '$.neet_since', OLD.neet_since,
        '$.neet_support', OLD.neet_support,
        '$.neet_support_lang', OLD.neet_support_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_targets_review_id BEFORE UPDATE OF review_id ON targets
WHEN OLD.review_id IS NOT NEW.review_id
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.review_id', OLD.review_id)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_targets_position BEFORE UPDATE OF position ON targets
WHEN OLD.position IS NOT NEW.position
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.position', OLD.position)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_targets_description BEFORE UPDATE OF description ON targets
WHEN OLD.description IS NOT NEW.description
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.description', OLD.description)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_targets_description_lang BEFORE UPDATE OF description_lang ON targets
WHEN OLD.description_lang IS NOT NEW.description_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.description_lang', OLD.description_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_targets_support BEFORE UPDATE OF support ON targets
WHEN OLD.support IS NOT NEW.support
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.support', OLD.support)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_targets_support_lang BEFORE UPDATE OF support_lang ON targets
WHEN OLD.support_lang IS NOT NEW.support_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.support_lang', OLD.support_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_targets_responsible BEFORE UPDATE OF responsible ON targets
WHEN OLD.responsible IS NOT NEW.responsible
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.responsible', OLD.responsible)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_targets_due_date BEFORE UPDATE OF due_date ON targets
WHEN OLD.due_date IS NOT NEW.due_date
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.due_date', OLD.due_date)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_targets_pdg_funded BEFORE UPDATE OF pdg_funded ON targets
WHEN OLD.pdg_funded IS NOT NEW.pdg_funded
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.pdg_funded', CASE WHEN OLD.pdg_funded IS NULL THEN NULL WHEN OLD.pdg_funded THEN json('true') ELSE json('false') END)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_targets_carried_from_id BEFORE UPDATE OF carried_from_id ON targets
WHEN OLD.carried_from_id IS NOT NEW.carried_from_id
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.carried_from_id', OLD.carried_from_id)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_targets_progress BEFORE UPDATE OF progress ON targets
WHEN OLD.progress IS NOT NEW.progress
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.progress', OLD.progress)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_targets_deleted BEFORE UPDATE OF deleted ON targets
WHEN OLD.deleted IS NOT NEW.deleted
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.deleted', CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_targets_delete BEFORE DELETE ON targets
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'),
        '$.review_id', OLD.review_id,
        '$.position', OLD.position,
        '$.description', OLD.description,
        '$.description_lang', OLD.description_lang,
        '$.support', OLD.support,
        '$.support_lang', OLD.support_lang,
        '$.responsible', OLD.responsible,
        '$.due_date', OLD.due_date,
        '$.pdg_funded', CASE WHEN OLD.pdg_funded IS NULL THEN NULL WHEN OLD.pdg_funded THEN json('true') ELSE json('false') END,
        '$.carried_from_id', OLD.carried_from_id,
        '$.progress', OLD.progress,
        '$.deleted', CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_actions_review_id BEFORE UPDATE OF review_id ON actions
WHEN OLD.review_id IS NOT NEW.review_id
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.review_id', OLD.review_id)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_actions_description BEFORE UPDATE OF description ON actions
WHEN OLD.description IS NOT NEW.description
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.description', OLD.description)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_actions_description_lang BEFORE UPDATE OF description_lang ON actions
WHEN OLD.description_lang IS NOT NEW.description_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.description_lang', OLD.description_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_actions_owner BEFORE UPDATE OF owner ON actions
WHEN OLD.owner IS NOT NEW.owner
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.owner', OLD.owner)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_actions_due_date BEFORE UPDATE OF due_date ON actions
WHEN OLD.due_date IS NOT NEW.due_date
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.due_date', OLD.due_date)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_actions_done BEFORE UPDATE OF done ON actions
WHEN OLD.done IS NOT NEW.done
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.done', CASE WHEN OLD.done IS NULL THEN NULL WHEN OLD.done THEN json('true') ELSE json('false') END)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_actions_deleted BEFORE UPDATE OF deleted ON actions
WHEN OLD.deleted IS NOT NEW.deleted
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.deleted', CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_actions_delete BEFORE DELETE ON actions
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'),
        '$.review_id', OLD.review_id,
        '$.description', OLD.description,
        '$.description_lang', OLD.description_lang,
        '$.owner', OLD.owner,
        '$.due_date', OLD.due_date,
        '$.done', CASE WHEN OLD.done IS NULL THEN NULL WHEN OLD.done THEN json('true') ELSE json('false') END,
        '$.deleted', CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_exclusions_review_id BEFORE UPDATE OF review_id ON exclusions
WHEN OLD.review_id IS NOT NEW.review_id
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.review_id', OLD.review_id)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_exclusions_kind BEFORE UPDATE OF kind ON exclusions
WHEN OLD.kind IS NOT NEW.kind
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.kind', OLD.kind)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_exclusions_start_date BEFORE UPDATE OF start_date ON exclusions
WHEN OLD.start_date IS NOT NEW.start_date
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.start_date', OLD.start_date)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_exclusions_days BEFORE UPDATE OF days ON exclusions
WHEN OLD.days IS NOT NEW.days
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.days', OLD.days)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_exclusions_reason BEFORE UPDATE OF reason ON exclusions
WHEN OLD.reason IS NOT NEW.reason
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.reason', OLD.reason)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_exclusions_reason_lang BEFORE UPDATE OF reason_lang ON exclusions
WHEN OLD.reason_lang IS NOT NEW.reason_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.reason_lang', OLD.reason_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_exclusions_deleted BEFORE UPDATE OF deleted ON exclusions
WHEN OLD.deleted IS NOT NEW.deleted
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.deleted', CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_exclusions_delete BEFORE DELETE ON exclusions
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'),
        '$.review_id', OLD.review_id,
        '$.kind', OLD.kind,
        '$.start_date', OLD.start_date,
        '$.days', OLD.days,
        '$.reason', OLD.reason,
        '$.reason_lang', OLD.reason_lang,
        '$.deleted', CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_attainments_review_id BEFORE UPDATE OF review_id ON attainments
WHEN OLD.review_id IS NOT NEW.review_id
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.review_id', OLD.review_id)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_attainments_area BEFORE UPDATE OF area ON attainments
WHEN OLD.area IS NOT NEW.area
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.area', OLD.area)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_attainments_subject BEFORE UPDATE OF subject ON attainments
WHEN OLD.subject IS NOT NEW.subject
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.subject', OLD.subject)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_attainments_judgement BEFORE UPDATE OF judgement ON attainments
WHEN OLD.judgement IS NOT NEW.judgement
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.judgement', OLD.judgement)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_attainments_judgement_lang BEFORE UPDATE OF judgement_lang ON attainments
WHEN OLD.judgement_lang IS NOT NEW.judgement_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.judgement_lang', OLD.judgement_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_attainments_predicted_grade BEFORE UPDATE OF predicted_grade ON attainments
WHEN OLD.predicted_grade IS NOT NEW.predicted_grade
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.predicted_grade', OLD.predicted_grade)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_attainments_actual_grade BEFORE UPDATE OF actual_grade ON attainments
WHEN OLD.actual_grade IS NOT NEW.actual_grade
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.actual_grade', OLD.actual_grade)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_attainments_deleted BEFORE UPDATE OF deleted ON attainments
WHEN OLD.deleted IS NOT NEW.deleted
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.deleted', CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_attainments_delete BEFORE DELETE ON attainments
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'),
        '$.review_id', OLD.review_id,
        '$.area', OLD.area,
        '$.subject', OLD.subject,
        '$.judgement', OLD.judgement,
        '$.judgement_lang', OLD.judgement_lang,
        '$.predicted_grade', OLD.predicted_grade,
        '$.actual_grade', OLD.actual_grade,
        '$.deleted', CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_interventions_review_id BEFORE UPDATE OF review_id ON interventions
WHEN OLD.review_id IS NOT NEW.review_id
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.review_id', OLD.review_id)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_interventions_kind BEFORE UPDATE OF kind ON interventions
WHEN OLD.kind IS NOT NEW.kind
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.kind', OLD.kind)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_interventions_provider BEFORE UPDATE OF provider ON interventions
WHEN OLD.provider IS NOT NEW.provider
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.provider', OLD.provider)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_interventions_start_date BEFORE UPDATE OF start_date ON interventions
WHEN OLD.start_date IS NOT NEW.start_date
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.start_date', OLD.start_date)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_interventions_end_date BEFORE UPDATE OF end_date ON interventions
WHEN OLD.end_date IS NOT NEW.end_date
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.end_date', OLD.end_date)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_interventions_cost_pence BEFORE UPDATE OF cost_pence ON interventions
WHEN OLD.cost_pence IS NOT NEW.cost_pence
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.cost_pence', OLD.cost_pence)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_interventions_funding BEFORE UPDATE OF funding ON interventions
WHEN OLD.funding IS NOT NEW.funding
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.funding', OLD.funding)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_interventions_outcome BEFORE UPDATE OF outcome ON interventions
WHEN OLD.outcome IS NOT NEW.outcome
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.outcome', OLD.outcome)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_interventions_outcome_lang BEFORE UPDATE OF outcome_lang ON interventions
WHEN OLD.outcome_lang IS NOT NEW.outcome_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.outcome_lang', OLD.outcome_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_interventions_deleted BEFORE UPDATE OF deleted ON interventions
WHEN OLD.deleted IS NOT NEW.deleted
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.deleted', CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_interventions_delete BEFORE DELETE ON interventions
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'),
        '$.review_id', OLD.review_id,
        '$.kind', OLD.kind,
        '$.provider', OLD.provider,
        '$.start_date', OLD.start_date,
        '$.end_date', OLD.end_date,
        '$.cost_pence', OLD.cost_pence,
        '$.funding', OLD.funding,
        '$.outcome', OLD.outcome,
        '$.outcome_lang', OLD.outcome_lang,
        '$.deleted', CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_attendees_review_id BEFORE UPDATE OF review_id ON attendees
WHEN OLD.review_id IS NOT NEW.review_id
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.review_id', OLD.review_id)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_attendees_name BEFORE UPDATE OF name ON attendees
WHEN OLD.name IS NOT NEW.name
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.name', OLD.name)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_attendees_role BEFORE UPDATE OF role ON attendees
WHEN OLD.role IS NOT NEW.role
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.role', OLD.role)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_attendees_attendance BEFORE UPDATE OF attendance ON attendees
WHEN OLD.attendance IS NOT NEW.attendance
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.attendance', OLD.attendance)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_attendees_agreed BEFORE UPDATE OF agreed ON attendees
WHEN OLD.agreed IS NOT NEW.agreed
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.agreed', CASE WHEN OLD.agreed IS NULL THEN NULL WHEN OLD.agreed THEN json('true') ELSE json('false') END)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_attendees_signed_at BEFORE UPDATE OF signed_at ON attendees
WHEN OLD.signed_at IS NOT NEW.signed_at
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.signed_at', OLD.signed_at)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_attendees_signature_png BEFORE UPDATE OF signature_png ON attendees
WHEN OLD.signature_png IS NOT NEW.signature_png
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.signature_png', OLD.signature_png)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_attendees_deleted BEFORE UPDATE OF deleted ON attendees
WHEN OLD.deleted IS NOT NEW.deleted
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.deleted', CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_attendees_delete BEFORE DELETE ON attendees
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'),
        '$.review_id', OLD.review_id,
        '$.name', OLD.name,
        '$.role', OLD.role,
        '$.attendance', OLD.attendance,
        '$.agreed', CASE WHEN OLD.agreed IS NULL THEN NULL WHEN OLD.agreed THEN json('true') ELSE json('false') END,
        '$.signed_at', OLD.signed_at,
        '$.signature_png', OLD.signature_png,
        '$.deleted', CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_quality_ratings_review_id BEFORE UPDATE OF review_id ON quality_ratings
WHEN OLD.review_id IS NOT NEW.review_id
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.review_id', OLD.review_id)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_quality_ratings_rating BEFORE UPDATE OF rating ON quality_ratings
WHEN OLD.rating IS NOT NEW.rating
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.rating', OLD.rating)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_quality_ratings_feedback BEFORE UPDATE OF feedback ON quality_ratings
WHEN OLD.feedback IS NOT NEW.feedback
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.feedback', OLD.feedback)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_quality_ratings_feedback_lang BEFORE UPDATE OF feedback_lang ON quality_ratings
WHEN OLD.feedback_lang IS NOT NEW.feedback_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.feedback_lang', OLD.feedback_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_quality_ratings_rated_by BEFORE UPDATE OF rated_by ON quality_ratings
WHEN OLD.rated_by IS NOT NEW.rated_by
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.rated_by', OLD.rated_by)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_quality_ratings_rated_at BEFORE UPDATE OF rated_at ON quality_ratings
WHEN OLD.rated_at IS NOT NEW.rated_at
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.rated_at', OLD.rated_at)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_quality_ratings_deleted BEFORE UPDATE OF deleted ON quality_ratings
WHEN OLD.deleted IS NOT NEW.deleted
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.deleted', CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_quality_ratings_delete BEFORE DELETE ON quality_ratings
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'),
        '$.review_id', OLD.review_id,
        '$.rating', OLD.rating,
        '$.feedback', OLD.feedback,
        '$.feedback_lang', OLD.feedback_lang,
        '$.rated_by', OLD.rated_by,
        '$.rated_at', OLD.rated_at,
        '$.deleted', CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_qualifications_review_id BEFORE UPDATE OF review_id ON qualifications
WHEN OLD.review_id IS NOT NEW.review_id
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.review_id', OLD.review_id)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_qualifications_title BEFORE UPDATE OF title ON qualifications
WHEN OLD.title IS NOT NEW.title
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.title', OLD.title)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_qualifications_level BEFORE UPDATE OF level ON qualifications
WHEN OLD.level IS NOT NEW.level
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.level', OLD.level)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_qualifications_status BEFORE UPDATE OF status ON qualifications
WHEN OLD.status IS NOT NEW.status
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.status', OLD.status)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_qualifications_grade BEFORE UPDATE OF grade ON qualifications
WHEN OLD.grade IS NOT NEW.grade
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.grade', OLD.grade)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_qualifications_awarded_on BEFORE UPDATE OF awarded_on ON qualifications
WHEN OLD.awarded_on IS NOT NEW.awarded_on
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.awarded_on', OLD.awarded_on)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_qualifications_deleted BEFORE UPDATE OF deleted ON qualifications
WHEN OLD.deleted IS NOT NEW.deleted
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.deleted', CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_qualifications_delete BEFORE DELETE ON qualifications
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'),
        '$.review_id', OLD.review_id,
        '$.title', OLD.title,
        '$.level', OLD.level,
        '$.status', OLD.status,
        '$.grade', OLD.grade,
        '$.awarded_on', OLD.awarded_on,
        '$.deleted', CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_review_sections_review_id BEFORE UPDATE OF review_id ON review_sections
WHEN OLD.review_id IS NOT NEW.review_id
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.review_id', OLD.review_id)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_review_sections_section BEFORE UPDATE OF section ON review_sections
WHEN OLD.section IS NOT NEW.section
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.section', OLD.section)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_review_sections_reason BEFORE UPDATE OF reason ON review_sections
WHEN OLD.reason IS NOT NEW.reason
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.reason', OLD.reason)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_review_sections_reason_lang BEFORE UPDATE OF reason_lang ON review_sections
WHEN OLD.reason_lang IS NOT NEW.reason_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.reason_lang', OLD.reason_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_review_sections_deleted BEFORE UPDATE OF deleted ON review_sections
WHEN OLD.deleted IS NOT NEW.deleted
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.deleted', CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_review_sections_delete BEFORE DELETE ON review_sections
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'),
        '$.review_id', OLD.review_id,
        '$.section', OLD.section,
        '$.reason', OLD.reason,
        '$.reason_lang', OLD.reason_lang,
        '$.deleted', CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_requests_review_id BEFORE UPDATE OF review_id ON funding_requests
WHEN OLD.review_id IS NOT NEW.review_id
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.review_id', OLD.review_id)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_requests_kind BEFORE UPDATE OF kind ON funding_requests
WHEN OLD.kind IS NOT NEW.kind
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.kind', OLD.kind)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_requests_provider BEFORE UPDATE OF provider ON funding_requests
WHEN OLD.provider IS NOT NEW.provider
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.provider', OLD.provider)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_requests_amount_pence BEFORE UPDATE OF amount_pence ON funding_requests
WHEN OLD.amount_pence IS NOT NEW.amount_pence
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.amount_pence', OLD.amount_pence)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_requests_start_date BEFORE UPDATE OF start_date ON funding_requests
WHEN OLD.start_date IS NOT NEW.start_date
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.start_date', OLD.start_date)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_requests_end_date BEFORE UPDATE OF end_date ON funding_requests
WHEN OLD.end_date IS NOT NEW.end_date
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.end_date', OLD.end_date)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_requests_purpose BEFORE UPDATE OF purpose ON funding_requests
WHEN OLD.purpose IS NOT NEW.purpose
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.purpose', OLD.purpose)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_requests_purpose_lang BEFORE UPDATE OF purpose_lang ON funding_requests
WHEN OLD.purpose_lang IS NOT NEW.purpose_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.purpose_lang', OLD.purpose_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_requests_expected_impact BEFORE UPDATE OF expected_impact ON funding_requests
WHEN OLD.expected_impact IS NOT NEW.expected_impact
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.expected_impact', OLD.expected_impact)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_requests_expected_impact_lang BEFORE UPDATE OF expected_impact_lang ON funding_requests
WHEN OLD.expected_impact_lang IS NOT NEW.expected_impact_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.expected_impact_lang', OLD.expected_impact_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_requests_status BEFORE UPDATE OF status ON funding_requests
WHEN OLD.status IS NOT NEW.status
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.status', OLD.status)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_requests_requested_by BEFORE UPDATE OF requested_by ON funding_requests
WHEN OLD.requested_by IS NOT NEW.requested_by
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.requested_by', OLD.requested_by)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_requests_requested_by_role BEFORE UPDATE OF requested_by_role ON funding_requests
WHEN OLD.requested_by_role IS NOT NEW.requested_by_role
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.requested_by_role', OLD.requested_by_role)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_requests_requested_at BEFORE UPDATE OF requested_at ON funding_requests
WHEN OLD.requested_at IS NOT NEW.requested_at
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.requested_at', OLD.requested_at)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_requests_approved_pence BEFORE UPDATE OF approved_pence ON funding_requests
WHEN OLD.approved_pence IS NOT NEW.approved_pence
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.approved_pence', OLD.approved_pence)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_requests_decision_reason BEFORE UPDATE OF decision_reason ON funding_requests
WHEN OLD.decision_reason IS NOT NEW.decision_reason
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.decision_reason', OLD.decision_reason)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_requests_decision_reason_lang BEFORE UPDATE OF decision_reason_lang ON funding_requests
WHEN OLD.decision_reason_lang IS NOT NEW.decision_reason_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.decision_reason_lang', OLD.decision_reason_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_requests_decided_by BEFORE UPDATE OF decided_by ON funding_requests
WHEN OLD.decided_by IS NOT NEW.decided_by
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.decided_by', OLD.decided_by)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_requests_decided_by_role BEFORE UPDATE OF decided_by_role ON funding_requests
WHEN OLD.decided_by_role IS NOT NEW.decided_by_role
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.decided_by_role', OLD.decided_by_role)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_requests_decided_at BEFORE UPDATE OF decided_at ON funding_requests
WHEN OLD.decided_at IS NOT NEW.decided_at
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.decided_at', OLD.decided_at)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_requests_deleted BEFORE UPDATE OF deleted ON funding_requests
WHEN OLD.deleted IS NOT NEW.deleted
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.deleted', CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_requests_delete BEFORE DELETE ON funding_requests
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'),
        '$.review_id', OLD.review_id,
        '$.kind', OLD.kind,
        '$.provider', OLD.provider,
        '$.amount_pence', OLD.amount_pence,
        '$.start_date', OLD.start_date,
        '$.end_date', OLD.end_date,
        '$.purpose', OLD.purpose,
        '$.purpose_lang', OLD.purpose_lang,
        '$.expected_impact', OLD.expected_impact,
        '$.expected_impact_lang', OLD.expected_impact_lang,
        '$.status', OLD.status,
        '$.requested_by', OLD.requested_by,
        '$.requested_by_role', OLD.requested_by_role,
        '$.requested_at', OLD.requested_at,
        '$.approved_pence', OLD.approved_pence,
        '$.decision_reason', OLD.decision_reason,
        '$.decision_reason_lang', OLD.decision_reason_lang,
        '$.decided_by', OLD.decided_by,
        '$.decided_by_role', OLD.decided_by_role,
        '$.decided_at', OLD.decided_at,
        '$.deleted', CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_targets_review_id BEFORE UPDATE OF review_id ON funding_targets
WHEN OLD.review_id IS NOT NEW.review_id
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.review_id', OLD.review_id)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_targets_request_id BEFORE UPDATE OF request_id ON funding_targets
WHEN OLD.request_id IS NOT NEW.request_id
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.request_id', OLD.request_id)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_targets_target_id BEFORE UPDATE OF target_id ON funding_targets
WHEN OLD.target_id IS NOT NEW.target_id
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.target_id', OLD.target_id)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_targets_impact BEFORE UPDATE OF impact ON funding_targets
WHEN OLD.impact IS NOT NEW.impact
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.impact', OLD.impact)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_targets_impact_lang BEFORE UPDATE OF impact_lang ON funding_targets
WHEN OLD.impact_lang IS NOT NEW.impact_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.impact_lang', OLD.impact_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_targets_impact_progress BEFORE UPDATE OF impact_progress ON funding_targets
WHEN OLD.impact_progress IS NOT NEW.impact_progress
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.impact_progress', OLD.impact_progress)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_targets_impact_review_id BEFORE UPDATE OF impact_review_id ON funding_targets
WHEN OLD.impact_review_id IS NOT NEW.impact_review_id
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.impact_review_id', OLD.impact_review_id)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_targets_impact_recorded_on BEFORE UPDATE OF impact_recorded_on ON funding_targets
WHEN OLD.impact_recorded_on IS NOT NEW.impact_recorded_on
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.impact_recorded_on', OLD.impact_recorded_on)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_targets_deleted BEFORE UPDATE OF deleted ON funding_targets
WHEN OLD.deleted IS NOT NEW.deleted
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.deleted', CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_targets_delete BEFORE DELETE ON funding_targets
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'),
        '$.review_id', OLD.review_id,
        '$.request_id', OLD.request_id,
        '$.target_id', OLD.target_id,
        '$.impact', OLD.impact,
        '$.impact_lang', OLD.impact_lang,
        '$.impact_progress', OLD.impact_progress,
        '$.impact_review_id', OLD.impact_review_id,
        '$.impact_recorded_on', OLD.impact_recorded_on,
        '$.deleted', CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_spend_review_id BEFORE UPDATE OF review_id ON funding_spend
WHEN OLD.review_id IS NOT NEW.review_id
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.review_id', OLD.review_id)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_spend_request_id BEFORE UPDATE OF request_id ON funding_spend
WHEN OLD.request_id IS NOT NEW.request_id
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.request_id', OLD.request_id)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_spend_amount_pence BEFORE UPDATE OF amount_pence ON funding_spend
WHEN OLD.amount_pence IS NOT NEW.amount_pence
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.amount_pence', OLD.amount_pence)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_spend_spent_on BEFORE UPDATE OF spent_on ON funding_spend
WHEN OLD.spent_on IS NOT NEW.spent_on
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.spent_on', OLD.spent_on)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_spend_note BEFORE UPDATE OF note ON funding_spend
WHEN OLD.note IS NOT NEW.note
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.note', OLD.note)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_spend_note_lang BEFORE UPDATE OF note_lang ON funding_spend
WHEN OLD.note_lang IS NOT NEW.note_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.note_lang', OLD.note_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_spend_over_approved BEFORE UPDATE OF over_approved ON funding_spend
WHEN OLD.over_approved IS NOT NEW.over_approved
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.over_approved', CASE WHEN OLD.over_approved IS NULL THEN NULL WHEN OLD.over_approved THEN json('true') ELSE json('false') END)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_spend_recorded_by BEFORE UPDATE OF recorded_by ON funding_spend
WHEN OLD.recorded_by IS NOT NEW.recorded_by
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.recorded_by', OLD.recorded_by)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_spend_deleted BEFORE UPDATE OF deleted ON funding_spend
WHEN OLD.deleted IS NOT NEW.deleted
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.deleted', CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_spend_delete BEFORE DELETE ON funding_spend
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'),
        '$.review_id', OLD.review_id,
        '$.request_id', OLD.request_id,
        '$.amount_pence', OLD.amount_pence,
        '$.spent_on', OLD.spent_on,
        '$.note', OLD.note,
        '$.note_lang', OLD.note_lang,
        '$.over_approved', CASE WHEN OLD.over_approved IS NULL THEN NULL WHEN OLD.over_approved THEN json('true') ELSE json('false') END,
        '$.recorded_by', OLD.recorded_by,
        '$.deleted', CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_allocations_year BEFORE UPDATE OF year ON funding_allocations
WHEN OLD.year IS NOT NEW.year
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.year', OLD.year)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_allocations_school_id BEFORE UPDATE OF school_id ON funding_allocations
WHEN OLD.school_id IS NOT NEW.school_id
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.school_id', OLD.school_id)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_allocations_amount_pence BEFORE UPDATE OF amount_pence ON funding_allocations
WHEN OLD.amount_pence IS NOT NEW.amount_pence
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.amount_pence', OLD.amount_pence)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_allocations_set_by BEFORE UPDATE OF set_by ON funding_allocations
WHEN OLD.set_by IS NOT NEW.set_by
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.set_by', OLD.set_by)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_allocations_set_by_role BEFORE UPDATE OF set_by_role ON funding_allocations
WHEN OLD.set_by_role IS NOT NEW.set_by_role
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.set_by_role', OLD.set_by_role)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_allocations_set_at BEFORE UPDATE OF set_at ON funding_allocations
WHEN OLD.set_at IS NOT NEW.set_at
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.set_at', OLD.set_at)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_allocations_deleted BEFORE UPDATE OF deleted ON funding_allocations
WHEN OLD.deleted IS NOT NEW.deleted
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.deleted', CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_funding_allocations_delete BEFORE DELETE ON funding_allocations
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'),
        '$.year', OLD.year,
        '$.school_id', OLD.school_id,
        '$.amount_pence', OLD.amount_pence,
        '$.set_by', OLD.set_by,
        '$.set_by_role', OLD.set_by_role,
        '$.set_at', OLD.set_at,
        '$.deleted', CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_attachments_learner_id BEFORE UPDATE OF learner_id ON attachments
WHEN OLD.learner_id IS NOT NEW.learner_id
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.learner_id', OLD.learner_id)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_attachments_review_id BEFORE UPDATE OF review_id ON attachments
WHEN OLD.review_id IS NOT NEW.review_id
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.review_id', OLD.review_id)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_attachments_section BEFORE UPDATE OF section ON attachments
WHEN OLD.section IS NOT NEW.section
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.section', OLD.section)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_attachments_kind BEFORE UPDATE OF kind ON attachments
WHEN OLD.kind IS NOT NEW.kind
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.kind', OLD.kind)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_attachments_title BEFORE UPDATE OF title ON attachments
WHEN OLD.title IS NOT NEW.title
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.title', OLD.title)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_attachments_title_lang BEFORE UPDATE OF title_lang ON attachments
WHEN OLD.title_lang IS NOT NEW.title_lang
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.title_lang', OLD.title_lang)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_attachments_added_on BEFORE UPDATE OF added_on ON attachments
WHEN OLD.added_on IS NOT NEW.added_on
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.added_on', OLD.added_on)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_attachments_added_by BEFORE UPDATE OF added_by ON attachments
WHEN OLD.added_by IS NOT NEW.added_by
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.added_by', OLD.added_by)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_attachments_added_by_role BEFORE UPDATE OF added_by_role ON attachments
WHEN OLD.added_by_role IS NOT NEW.added_by_role
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.added_by_role', OLD.added_by_role)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_attachments_size BEFORE UPDATE OF size ON attachments
WHEN OLD.size IS NOT NEW.size
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.size', OLD.size)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_attachments_sha256 BEFORE UPDATE OF sha256 ON attachments
WHEN OLD.sha256 IS NOT NEW.sha256
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.sha256', OLD.sha256)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_attachments_mime BEFORE UPDATE OF mime ON attachments
WHEN OLD.mime IS NOT NEW.mime
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.mime', OLD.mime)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_attachments_deleted BEFORE UPDATE OF deleted ON attachments
WHEN OLD.deleted IS NOT NEW.deleted
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'), '$.deleted', CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
CREATE TRIGGER ops_keep_attachments_delete BEFORE DELETE ON attachments
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'),
        '$.learner_id', OLD.learner_id,
        '$.review_id', OLD.review_id,
        '$.section', OLD.section,
        '$.kind', OLD.kind,
        '$.title', OLD.title,
        '$.title_lang', OLD.title_lang,
        '$.added_on', OLD.added_on,
        '$.added_by', OLD.added_by,
        '$.added_by_role', OLD.added_by_role,
        '$.size', OLD.size,
        '$.sha256', OLD.sha256,
        '$.mime', OLD.mime,
        '$.deleted', CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;
END;
