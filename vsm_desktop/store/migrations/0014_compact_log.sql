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
DROP TRIGGER IF EXISTS ops_keep_schools_update;
DROP TRIGGER IF EXISTS ops_keep_schools_delete;
DROP TRIGGER IF EXISTS ops_keep_learners_update;
DROP TRIGGER IF EXISTS ops_keep_learners_delete;
DROP TRIGGER IF EXISTS ops_keep_contacts_update;
DROP TRIGGER IF EXISTS ops_keep_contacts_delete;
DROP TRIGGER IF EXISTS ops_keep_placements_update;
DROP TRIGGER IF EXISTS ops_keep_placements_delete;
DROP TRIGGER IF EXISTS ops_keep_enrolments_update;
DROP TRIGGER IF EXISTS ops_keep_enrolments_delete;
DROP TRIGGER IF EXISTS ops_keep_reviews_update;
DROP TRIGGER IF EXISTS ops_keep_reviews_delete;
DROP TRIGGER IF EXISTS ops_keep_targets_update;
DROP TRIGGER IF EXISTS ops_keep_targets_delete;
DROP TRIGGER IF EXISTS ops_keep_actions_update;
DROP TRIGGER IF EXISTS ops_keep_actions_delete;
DROP TRIGGER IF EXISTS ops_keep_exclusions_update;
DROP TRIGGER IF EXISTS ops_keep_exclusions_delete;
DROP TRIGGER IF EXISTS ops_keep_attainments_update;
DROP TRIGGER IF EXISTS ops_keep_attainments_delete;
DROP TRIGGER IF EXISTS ops_keep_interventions_update;
DROP TRIGGER IF EXISTS ops_keep_interventions_delete;
DROP TRIGGER IF EXISTS ops_keep_attendees_update;
DROP TRIGGER IF EXISTS ops_keep_attendees_delete;
DROP TRIGGER IF EXISTS ops_keep_quality_ratings_update;
DROP TRIGGER IF EXISTS ops_keep_quality_ratings_delete;
DROP TRIGGER IF EXISTS ops_keep_qualifications_update;
DROP TRIGGER IF EXISTS ops_keep_qualifications_delete;
DROP TRIGGER IF EXISTS ops_keep_review_sections_update;
DROP TRIGGER IF EXISTS ops_keep_review_sections_delete;
DROP TRIGGER IF EXISTS ops_keep_funding_requests_update;
DROP TRIGGER IF EXISTS ops_keep_funding_requests_delete;
DROP TRIGGER IF EXISTS ops_keep_funding_targets_update;
DROP TRIGGER IF EXISTS ops_keep_funding_targets_delete;
DROP TRIGGER IF EXISTS ops_keep_funding_spend_update;
DROP TRIGGER IF EXISTS ops_keep_funding_spend_delete;
DROP TRIGGER IF EXISTS ops_keep_funding_allocations_update;
DROP TRIGGER IF EXISTS ops_keep_funding_allocations_delete;
DROP TRIGGER IF EXISTS ops_keep_attachments_update;
DROP TRIGGER IF EXISTS ops_keep_attachments_delete;
DROP TABLE ops;
ALTER TABLE ops_new RENAME TO ops;
CREATE INDEX ops_record_field ON ops(record_id, field);   -- the few rows of a field give its latest stamp
CREATE INDEX ops_learner ON ops(learner_id);
CREATE INDEX ops_unsent ON ops(seq) WHERE server_seq IS NULL AND held IS NULL;
CREATE INDEX ops_unsent_learner ON ops(learner_id) WHERE server_seq IS NULL;
CREATE INDEX ops_held ON ops(held) WHERE held IS NOT NULL;

-- triggers (python -m vsm_desktop.store.oplog)
CREATE TRIGGER ops_keep_schools_update BEFORE UPDATE ON schools
WHEN OLD.name IS NOT NEW.name OR OLD.medium IS NOT NEW.medium OR OLD.kind IS NOT NEW.kind OR OLD.local_authority IS NOT NEW.local_authority
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'),
        CASE WHEN OLD.name IS NOT NEW.name THEN '$.name' ELSE '$._' END, OLD.name,
        CASE WHEN OLD.medium IS NOT NEW.medium THEN '$.medium' ELSE '$._' END, OLD.medium,
        CASE WHEN OLD.kind IS NOT NEW.kind THEN '$.kind' ELSE '$._' END, OLD.kind,
        CASE WHEN OLD.local_authority IS NOT NEW.local_authority THEN '$.local_authority' ELSE '$._' END, OLD.local_authority)
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

CREATE TRIGGER ops_keep_learners_update BEFORE UPDATE ON learners
WHEN OLD.reference IS NOT NEW.reference OR OLD.legal_forename IS NOT NEW.legal_forename OR OLD.legal_surname IS NOT NEW.legal_surname OR OLD.preferred_name IS NOT NEW.preferred_name OR OLD.date_of_birth IS NOT NEW.date_of_birth OR OLD.gender IS NOT NEW.gender OR OLD.ethnicity IS NOT NEW.ethnicity OR OLD.upn IS NOT NEW.upn OR OLD.social_care_id IS NOT NEW.social_care_id OR OLD.first_language IS NOT NEW.first_language OR OLD.language_of_learning IS NOT NEW.language_of_learning OR OLD.preferred_language IS NOT NEW.preferred_language OR OLD.communication_language IS NOT NEW.communication_language OR OLD.informed_preference IS NOT NEW.informed_preference OR OLD.legal_status IS NOT NEW.legal_status OR OLD.date_looked_after IS NOT NEW.date_looked_after OR OLD.responsible_authority IS NOT NEW.responsible_authority OR OLD.parental_responsibility IS NOT NEW.parental_responsibility OR OLD.parental_responsibility_lang IS NOT NEW.parental_responsibility_lang OR OLD.day_to_day_consents IS NOT NEW.day_to_day_consents OR OLD.day_to_day_consents_lang IS NOT NEW.day_to_day_consents_lang OR OLD.aln_status IS NOT NEW.aln_status OR OLD.idp_holder IS NOT NEW.idp_holder OR OLD.next_idp_review IS NOT NEW.next_idp_review
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'),
        CASE WHEN OLD.reference IS NOT NEW.reference THEN '$.reference' ELSE '$._' END, OLD.reference,
        CASE WHEN OLD.legal_forename IS NOT NEW.legal_forename THEN '$.legal_forename' ELSE '$._' END, OLD.legal_forename,
        CASE WHEN OLD.legal_surname IS NOT NEW.legal_surname THEN '$.legal_surname' ELSE '$._' END, OLD.legal_surname,
        CASE WHEN OLD.preferred_name IS NOT NEW.preferred_name THEN '$.preferred_name' ELSE '$._' END, OLD.preferred_name,
        CASE WHEN OLD.date_of_birth IS NOT NEW.date_of_birth THEN '$.date_of_birth' ELSE '$._' END, OLD.date_of_birth,
        CASE WHEN OLD.gender IS NOT NEW.gender THEN '$.gender' ELSE '$._' END, OLD.gender,
        CASE WHEN OLD.ethnicity IS NOT NEW.ethnicity THEN '$.ethnicity' ELSE '$._' END, OLD.ethnicity,
        CASE WHEN OLD.upn IS NOT NEW.upn THEN '$.upn' ELSE '$._' END, OLD.upn,
        CASE WHEN OLD.social_care_id IS NOT NEW.social_care_id THEN '$.social_care_id' ELSE '$._' END, OLD.social_care_id,
        CASE WHEN OLD.first_language IS NOT NEW.first_language THEN '$.first_language' ELSE '$._' END, OLD.first_language,
        CASE WHEN OLD.language_of_learning IS NOT NEW.language_of_learning THEN '$.language_of_learning' ELSE '$._' END, OLD.language_of_learning,
        CASE WHEN OLD.preferred_language IS NOT NEW.preferred_language THEN '$.preferred_language' ELSE '$._' END, OLD.preferred_language,
        CASE WHEN OLD.communication_language IS NOT NEW.communication_language THEN '$.communication_language' ELSE '$._' END, OLD.communication_language,
        CASE WHEN OLD.informed_preference IS NOT NEW.informed_preference THEN '$.informed_preference' ELSE '$._' END, OLD.informed_preference,
        CASE WHEN OLD.legal_status IS NOT NEW.legal_status THEN '$.legal_status' ELSE '$._' END, OLD.legal_status,
        CASE WHEN OLD.date_looked_after IS NOT NEW.date_looked_after THEN '$.date_looked_after' ELSE '$._' END, OLD.date_looked_after,
        CASE WHEN OLD.responsible_authority IS NOT NEW.responsible_authority THEN '$.responsible_authority' ELSE '$._' END, OLD.responsible_authority,
        CASE WHEN OLD.parental_responsibility IS NOT NEW.parental_responsibility THEN '$.parental_responsibility' ELSE '$._' END, OLD.parental_responsibility,
        CASE WHEN OLD.parental_responsibility_lang IS NOT NEW.parental_responsibility_lang THEN '$.parental_responsibility_lang' ELSE '$._' END, OLD.parental_responsibility_lang,
        CASE WHEN OLD.day_to_day_consents IS NOT NEW.day_to_day_consents THEN '$.day_to_day_consents' ELSE '$._' END, OLD.day_to_day_consents,
        CASE WHEN OLD.day_to_day_consents_lang IS NOT NEW.day_to_day_consents_lang THEN '$.day_to_day_consents_lang' ELSE '$._' END, OLD.day_to_day_consents_lang,
        CASE WHEN OLD.aln_status IS NOT NEW.aln_status THEN '$.aln_status' ELSE '$._' END, OLD.aln_status,
        CASE WHEN OLD.idp_holder IS NOT NEW.idp_holder THEN '$.idp_holder' ELSE '$._' END, OLD.idp_holder,
        CASE WHEN OLD.next_idp_review IS NOT NEW.next_idp_review THEN '$.next_idp_review' ELSE '$._' END, OLD.next_idp_review)
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

CREATE TRIGGER ops_keep_contacts_update BEFORE UPDATE ON contacts
WHEN OLD.learner_id IS NOT NEW.learner_id OR OLD.role IS NOT NEW.role OR OLD.name IS NOT NEW.name OR OLD.organisation IS NOT NEW.organisation OR OLD.phone IS NOT NEW.phone OR OLD.email IS NOT NEW.email OR OLD.deleted IS NOT NEW.deleted
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'),
        CASE WHEN OLD.learner_id IS NOT NEW.learner_id THEN '$.learner_id' ELSE '$._' END, OLD.learner_id,
        CASE WHEN OLD.role IS NOT NEW.role THEN '$.role' ELSE '$._' END, OLD.role,
        CASE WHEN OLD.name IS NOT NEW.name THEN '$.name' ELSE '$._' END, OLD.name,
        CASE WHEN OLD.organisation IS NOT NEW.organisation THEN '$.organisation' ELSE '$._' END, OLD.organisation,
        CASE WHEN OLD.phone IS NOT NEW.phone THEN '$.phone' ELSE '$._' END, OLD.phone,
        CASE WHEN OLD.email IS NOT NEW.email THEN '$.email' ELSE '$._' END, OLD.email,
        CASE WHEN OLD.deleted IS NOT NEW.deleted THEN '$.deleted' ELSE '$._' END, CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
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

CREATE TRIGGER ops_keep_placements_update BEFORE UPDATE ON placements
WHEN OLD.learner_id IS NOT NEW.learner_id OR OLD.placement_type IS NOT NEW.placement_type OR OLD.placing_area IS NOT NEW.placing_area OR OLD.start_date IS NOT NEW.start_date OR OLD.end_date IS NOT NEW.end_date OR OLD.reason_for_move IS NOT NEW.reason_for_move OR OLD.reason_for_move_lang IS NOT NEW.reason_for_move_lang OR OLD.deleted IS NOT NEW.deleted
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'),
        CASE WHEN OLD.learner_id IS NOT NEW.learner_id THEN '$.learner_id' ELSE '$._' END, OLD.learner_id,
        CASE WHEN OLD.placement_type IS NOT NEW.placement_type THEN '$.placement_type' ELSE '$._' END, OLD.placement_type,
        CASE WHEN OLD.placing_area IS NOT NEW.placing_area THEN '$.placing_area' ELSE '$._' END, OLD.placing_area,
        CASE WHEN OLD.start_date IS NOT NEW.start_date THEN '$.start_date' ELSE '$._' END, OLD.start_date,
        CASE WHEN OLD.end_date IS NOT NEW.end_date THEN '$.end_date' ELSE '$._' END, OLD.end_date,
        CASE WHEN OLD.reason_for_move IS NOT NEW.reason_for_move THEN '$.reason_for_move' ELSE '$._' END, OLD.reason_for_move,
        CASE WHEN OLD.reason_for_move_lang IS NOT NEW.reason_for_move_lang THEN '$.reason_for_move_lang' ELSE '$._' END, OLD.reason_for_move_lang,
        CASE WHEN OLD.deleted IS NOT NEW.deleted THEN '$.deleted' ELSE '$._' END, CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
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

CREATE TRIGGER ops_keep_enrolments_update BEFORE UPDATE ON enrolments
WHEN OLD.learner_id IS NOT NEW.learner_id OR OLD.school_id IS NOT NEW.school_id OR OLD.start_date IS NOT NEW.start_date OR OLD.end_date IS NOT NEW.end_date OR OLD.reason_for_move IS NOT NEW.reason_for_move OR OLD.reason_for_move_lang IS NOT NEW.reason_for_move_lang OR OLD.reduced_timetable IS NOT NEW.reduced_timetable OR OLD.gap_in_education IS NOT NEW.gap_in_education OR OLD.gap_in_education_lang IS NOT NEW.gap_in_education_lang OR OLD.deleted IS NOT NEW.deleted
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'),
        CASE WHEN OLD.learner_id IS NOT NEW.learner_id THEN '$.learner_id' ELSE '$._' END, OLD.learner_id,
        CASE WHEN OLD.school_id IS NOT NEW.school_id THEN '$.school_id' ELSE '$._' END, OLD.school_id,
        CASE WHEN OLD.start_date IS NOT NEW.start_date THEN '$.start_date' ELSE '$._' END, OLD.start_date,
        CASE WHEN OLD.end_date IS NOT NEW.end_date THEN '$.end_date' ELSE '$._' END, OLD.end_date,
        CASE WHEN OLD.reason_for_move IS NOT NEW.reason_for_move THEN '$.reason_for_move' ELSE '$._' END, OLD.reason_for_move,
        CASE WHEN OLD.reason_for_move_lang IS NOT NEW.reason_for_move_lang THEN '$.reason_for_move_lang' ELSE '$._' END, OLD.reason_for_move_lang,
        CASE WHEN OLD.reduced_timetable IS NOT NEW.reduced_timetable THEN '$.reduced_timetable' ELSE '$._' END, CASE WHEN OLD.reduced_timetable IS NULL THEN NULL WHEN OLD.reduced_timetable THEN json('true') ELSE json('false') END,
        CASE WHEN OLD.gap_in_education IS NOT NEW.gap_in_education THEN '$.gap_in_education' ELSE '$._' END, OLD.gap_in_education,
        CASE WHEN OLD.gap_in_education_lang IS NOT NEW.gap_in_education_lang THEN '$.gap_in_education_lang' ELSE '$._' END, OLD.gap_in_education_lang,
        CASE WHEN OLD.deleted IS NOT NEW.deleted THEN '$.deleted' ELSE '$._' END, CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
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

CREATE TRIGGER ops_keep_reviews_update BEFORE UPDATE ON reviews
WHEN OLD.learner_id IS NOT NEW.learner_id OR OLD.review_type IS NOT NEW.review_type OR OLD.status IS NOT NEW.status OR OLD.amends_review_id IS NOT NEW.amends_review_id OR OLD.amendment_reason IS NOT NEW.amendment_reason OR OLD.amendment_reason_lang IS NOT NEW.amendment_reason_lang OR OLD.period_start IS NOT NEW.period_start OR OLD.period_end IS NOT NEW.period_end OR OLD.due_date IS NOT NEW.due_date OR OLD.meeting_date IS NOT NEW.meeting_date OR OLD.meeting_place IS NOT NEW.meeting_place OR OLD.meeting_language IS NOT NEW.meeting_language OR OLD.next_review_date IS NOT NEW.next_review_date OR OLD.finalised_at IS NOT NEW.finalised_at OR OLD.finalised_by IS NOT NEW.finalised_by OR OLD.current_arrangements IS NOT NEW.current_arrangements OR OLD.current_arrangements_lang IS NOT NEW.current_arrangements_lang OR OLD.disruption_plan IS NOT NEW.disruption_plan OR OLD.disruption_plan_lang IS NOT NEW.disruption_plan_lang OR OLD.attendance_pct IS NOT NEW.attendance_pct OR OLD.authorised_absence_pct IS NOT NEW.authorised_absence_pct OR OLD.unauthorised_absence_pct IS NOT NEW.unauthorised_absence_pct OR OLD.reduced_timetable IS NOT NEW.reduced_timetable OR OLD.alternative_provision IS NOT NEW.alternative_provision OR OLD.alternative_provision_lang IS NOT NEW.alternative_provision_lang OR OLD.aln_status IS NOT NEW.aln_status OR OLD.idp_holder IS NOT NEW.idp_holder OR OLD.aln_provision IS NOT NEW.aln_provision OR OLD.aln_provision_lang IS NOT NEW.aln_provision_lang OR OLD.next_idp_review IS NOT NEW.next_idp_review OR OLD.progress_summary IS NOT NEW.progress_summary OR OLD.progress_summary_lang IS NOT NEW.progress_summary_lang OR OLD.strengths IS NOT NEW.strengths OR OLD.strengths_lang IS NOT NEW.strengths_lang OR OLD.sdq_score IS NOT NEW.sdq_score OR OLD.wellbeing_concern IS NOT NEW.wellbeing_concern OR OLD.wellbeing_notes IS NOT NEW.wellbeing_notes OR OLD.wellbeing_notes_lang IS NOT NEW.wellbeing_notes_lang OR OLD.referrals IS NOT NEW.referrals OR OLD.referrals_lang IS NOT NEW.referrals_lang OR OLD.voice_good_at IS NOT NEW.voice_good_at OR OLD.voice_good_at_lang IS NOT NEW.voice_good_at_lang OR OLD.voice_enjoy IS NOT NEW.voice_enjoy OR OLD.voice_enjoy_lang IS NOT NEW.voice_enjoy_lang OR OLD.voice_worries IS NOT NEW.voice_worries OR OLD.voice_worries_lang IS NOT NEW.voice_worries_lang OR OLD.voice_helps IS NOT NEW.voice_helps OR OLD.voice_helps_lang IS NOT NEW.voice_helps_lang OR OLD.voice_future IS NOT NEW.voice_future OR OLD.voice_future_lang IS NOT NEW.voice_future_lang OR OLD.voice_trusted_adult IS NOT NEW.voice_trusted_adult OR OLD.voice_trusted_adult_lang IS NOT NEW.voice_trusted_adult_lang OR OLD.carer_views IS NOT NEW.carer_views OR OLD.carer_views_lang IS NOT NEW.carer_views_lang OR OLD.carer_role IS NOT NEW.carer_role OR OLD.carer_role_lang IS NOT NEW.carer_role_lang OR OLD.professional_views IS NOT NEW.professional_views OR OLD.professional_views_lang IS NOT NEW.professional_views_lang OR OLD.leisure_interests IS NOT NEW.leisure_interests OR OLD.leisure_interests_lang IS NOT NEW.leisure_interests_lang OR OLD.transition IS NOT NEW.transition OR OLD.transition_lang IS NOT NEW.transition_lang OR OLD.neet_risk IS NOT NEW.neet_risk OR OLD.phase_override IS NOT NEW.phase_override OR OLD.phase_override_reason IS NOT NEW.phase_override_reason OR OLD.phase_override_reason_lang IS NOT NEW.phase_override_reason_lang OR OLD.ey_areas_of_learning IS NOT NEW.ey_areas_of_learning OR OLD.ey_areas_of_learning_lang IS NOT NEW.ey_areas_of_learning_lang OR OLD.ey_communication IS NOT NEW.ey_communication OR OLD.ey_communication_lang IS NOT NEW.ey_communication_lang OR OLD.ey_physical IS NOT NEW.ey_physical OR OLD.ey_physical_lang IS NOT NEW.ey_physical_lang OR OLD.ey_personal_social IS NOT NEW.ey_personal_social OR OLD.ey_personal_social_lang IS NOT NEW.ey_personal_social_lang OR OLD.ey_key_person IS NOT NEW.ey_key_person OR OLD.ey_funded_hours IS NOT NEW.ey_funded_hours OR OLD.ey_aln IS NOT NEW.ey_aln OR OLD.ey_aln_lang IS NOT NEW.ey_aln_lang OR OLD.ey_health_visitor IS NOT NEW.ey_health_visitor OR OLD.ey_health_visitor_lang IS NOT NEW.ey_health_visitor_lang OR OLD.course_provider IS NOT NEW.course_provider OR OLD.course_title IS NOT NEW.course_title OR OLD.course_level IS NOT NEW.course_level OR OLD.course_start IS NOT NEW.course_start OR OLD.course_end IS NOT NEW.course_end OR OLD.course_attendance_pct IS NOT NEW.course_attendance_pct OR OLD.careers_adviser IS NOT NEW.careers_adviser OR OLD.careers_guidance_date IS NOT NEW.careers_guidance_date OR OLD.personal_adviser IS NOT NEW.personal_adviser OR OLD.pathway_plan IS NOT NEW.pathway_plan OR OLD.bursary IS NOT NEW.bursary OR OLD.ema IS NOT NEW.ema OR OLD.financial_support IS NOT NEW.financial_support OR OLD.financial_support_lang IS NOT NEW.financial_support_lang OR OLD.aspiration IS NOT NEW.aspiration OR OLD.aspiration_lang IS NOT NEW.aspiration_lang OR OLD.neet_actions IS NOT NEW.neet_actions OR OLD.neet_actions_lang IS NOT NEW.neet_actions_lang OR OLD.transition_to IS NOT NEW.transition_to OR OLD.transition_date IS NOT NEW.transition_date OR OLD.ap_provider IS NOT NEW.ap_provider OR OLD.ap_days IS NOT NEW.ap_days OR OLD.ap_start IS NOT NEW.ap_start OR OLD.ap_end IS NOT NEW.ap_end OR OLD.ap_purpose IS NOT NEW.ap_purpose OR OLD.ap_purpose_lang IS NOT NEW.ap_purpose_lang OR OLD.rt_hours IS NOT NEW.rt_hours OR OLD.rt_reason IS NOT NEW.rt_reason OR OLD.rt_reason_lang IS NOT NEW.rt_reason_lang OR OLD.rt_return_plan IS NOT NEW.rt_return_plan OR OLD.rt_return_plan_lang IS NOT NEW.rt_return_plan_lang OR OLD.rt_review_date IS NOT NEW.rt_review_date OR OLD.neet_since IS NOT NEW.neet_since OR OLD.neet_support IS NOT NEW.neet_support OR OLD.neet_support_lang IS NOT NEW.neet_support_lang
BEGIN
    UPDATE ops SET value = json_insert(json_insert(json_insert(coalesce(value, '{}'),
        CASE WHEN OLD.learner_id IS NOT NEW.learner_id THEN '$.learner_id' ELSE '$._' END, OLD.learner_id,
        CASE WHEN OLD.review_type IS NOT NEW.review_type THEN '$.review_type' ELSE '$._' END, OLD.review_type,
        CASE WHEN OLD.status IS NOT NEW.status THEN '$.status' ELSE '$._' END, OLD.status,
        CASE WHEN OLD.amends_review_id IS NOT NEW.amends_review_id THEN '$.amends_review_id' ELSE '$._' END, OLD.amends_review_id,
        CASE WHEN OLD.amendment_reason IS NOT NEW.amendment_reason THEN '$.amendment_reason' ELSE '$._' END, OLD.amendment_reason,
        CASE WHEN OLD.amendment_reason_lang IS NOT NEW.amendment_reason_lang THEN '$.amendment_reason_lang' ELSE '$._' END, OLD.amendment_reason_lang,
        CASE WHEN OLD.period_start IS NOT NEW.period_start THEN '$.period_start' ELSE '$._' END, OLD.period_start,
        CASE WHEN OLD.period_end IS NOT NEW.period_end THEN '$.period_end' ELSE '$._' END, OLD.period_end,
        CASE WHEN OLD.due_date IS NOT NEW.due_date THEN '$.due_date' ELSE '$._' END, OLD.due_date,
        CASE WHEN OLD.meeting_date IS NOT NEW.meeting_date THEN '$.meeting_date' ELSE '$._' END, OLD.meeting_date,
        CASE WHEN OLD.meeting_place IS NOT NEW.meeting_place THEN '$.meeting_place' ELSE '$._' END, OLD.meeting_place,
        CASE WHEN OLD.meeting_language IS NOT NEW.meeting_language THEN '$.meeting_language' ELSE '$._' END, OLD.meeting_language,
        CASE WHEN OLD.next_review_date IS NOT NEW.next_review_date THEN '$.next_review_date' ELSE '$._' END, OLD.next_review_date,
        CASE WHEN OLD.finalised_at IS NOT NEW.finalised_at THEN '$.finalised_at' ELSE '$._' END, OLD.finalised_at,
        CASE WHEN OLD.finalised_by IS NOT NEW.finalised_by THEN '$.finalised_by' ELSE '$._' END, OLD.finalised_by,
        CASE WHEN OLD.current_arrangements IS NOT NEW.current_arrangements THEN '$.current_arrangements' ELSE '$._' END, OLD.current_arrangements,
        CASE WHEN OLD.current_arrangements_lang IS NOT NEW.current_arrangements_lang THEN '$.current_arrangements_lang' ELSE '$._' END, OLD.current_arrangements_lang,
        CASE WHEN OLD.disruption_plan IS NOT NEW.disruption_plan THEN '$.disruption_plan' ELSE '$._' END, OLD.disruption_plan,
        CASE WHEN OLD.disruption_plan_lang IS NOT NEW.disruption_plan_lang THEN '$.disruption_plan_lang' ELSE '$._' END, OLD.disruption_plan_lang,
        CASE WHEN OLD.attendance_pct IS NOT NEW.attendance_pct THEN '$.attendance_pct' ELSE '$._' END, OLD.attendance_pct,
        CASE WHEN OLD.authorised_absence_pct IS NOT NEW.authorised_absence_pct THEN '$.authorised_absence_pct' ELSE '$._' END, OLD.authorised_absence_pct,
        CASE WHEN OLD.unauthorised_absence_pct IS NOT NEW.unauthorised_absence_pct THEN '$.unauthorised_absence_pct' ELSE '$._' END, OLD.unauthorised_absence_pct,
        CASE WHEN OLD.reduced_timetable IS NOT NEW.reduced_timetable THEN '$.reduced_timetable' ELSE '$._' END, CASE WHEN OLD.reduced_timetable IS NULL THEN NULL WHEN OLD.reduced_timetable THEN json('true') ELSE json('false') END,
        CASE WHEN OLD.alternative_provision IS NOT NEW.alternative_provision THEN '$.alternative_provision' ELSE '$._' END, OLD.alternative_provision,
        CASE WHEN OLD.alternative_provision_lang IS NOT NEW.alternative_provision_lang THEN '$.alternative_provision_lang' ELSE '$._' END, OLD.alternative_provision_lang,
        CASE WHEN OLD.aln_status IS NOT NEW.aln_status THEN '$.aln_status' ELSE '$._' END, OLD.aln_status,
        CASE WHEN OLD.idp_holder IS NOT NEW.idp_holder THEN '$.idp_holder' ELSE '$._' END, OLD.idp_holder,
        CASE WHEN OLD.aln_provision IS NOT NEW.aln_provision THEN '$.aln_provision' ELSE '$._' END, OLD.aln_provision,
        CASE WHEN OLD.aln_provision_lang IS NOT NEW.aln_provision_lang THEN '$.aln_provision_lang' ELSE '$._' END, OLD.aln_provision_lang,
        CASE WHEN OLD.next_idp_review IS NOT NEW.next_idp_review THEN '$.next_idp_review' ELSE '$._' END, OLD.next_idp_review,
        CASE WHEN OLD.progress_summary IS NOT NEW.progress_summary THEN '$.progress_summary' ELSE '$._' END, OLD.progress_summary,
        CASE WHEN OLD.progress_summary_lang IS NOT NEW.progress_summary_lang THEN '$.progress_summary_lang' ELSE '$._' END, OLD.progress_summary_lang,
        CASE WHEN OLD.strengths IS NOT NEW.strengths THEN '$.strengths' ELSE '$._' END, OLD.strengths,
        CASE WHEN OLD.strengths_lang IS NOT NEW.strengths_lang THEN '$.strengths_lang' ELSE '$._' END, OLD.strengths_lang,
        CASE WHEN OLD.sdq_score IS NOT NEW.sdq_score THEN '$.sdq_score' ELSE '$._' END, OLD.sdq_score,
        CASE WHEN OLD.wellbeing_concern IS NOT NEW.wellbeing_concern THEN '$.wellbeing_concern' ELSE '$._' END, CASE WHEN OLD.wellbeing_concern IS NULL THEN NULL WHEN OLD.wellbeing_concern THEN json('true') ELSE json('false') END,
        CASE WHEN OLD.wellbeing_notes IS NOT NEW.wellbeing_notes THEN '$.wellbeing_notes' ELSE '$._' END, OLD.wellbeing_notes,
        CASE WHEN OLD.wellbeing_notes_lang IS NOT NEW.wellbeing_notes_lang THEN '$.wellbeing_notes_lang' ELSE '$._' END, OLD.wellbeing_notes_lang,
        CASE WHEN OLD.referrals IS NOT NEW.referrals THEN '$.referrals' ELSE '$._' END, OLD.referrals,
        CASE WHEN OLD.referrals_lang IS NOT NEW.referrals_lang THEN '$.referrals_lang' ELSE '$._' END, OLD.referrals_lang),
        CASE WHEN OLD.voice_good_at IS NOT NEW.voice_good_at THEN '$.voice_good_at' ELSE '$._' END, OLD.voice_good_at,
        CASE WHEN OLD.voice_good_at_lang IS NOT NEW.voice_good_at_lang THEN '$.voice_good_at_lang' ELSE '$._' END, OLD.voice_good_at_lang,
        CASE WHEN OLD.voice_enjoy IS NOT NEW.voice_enjoy THEN '$.voice_enjoy' ELSE '$._' END, OLD.voice_enjoy,
        CASE WHEN OLD.voice_enjoy_lang IS NOT NEW.voice_enjoy_lang THEN '$.voice_enjoy_lang' ELSE '$._' END, OLD.voice_enjoy_lang,
        CASE WHEN OLD.voice_worries IS NOT NEW.voice_worries THEN '$.voice_worries' ELSE '$._' END, OLD.voice_worries,
        CASE WHEN OLD.voice_worries_lang IS NOT NEW.voice_worries_lang THEN '$.voice_worries_lang' ELSE '$._' END, OLD.voice_worries_lang,
        CASE WHEN OLD.voice_helps IS NOT NEW.voice_helps THEN '$.voice_helps' ELSE '$._' END, OLD.voice_helps,
        CASE WHEN OLD.voice_helps_lang IS NOT NEW.voice_helps_lang THEN '$.voice_helps_lang' ELSE '$._' END, OLD.voice_helps_lang,
        CASE WHEN OLD.voice_future IS NOT NEW.voice_future THEN '$.voice_future' ELSE '$._' END, OLD.voice_future,
        CASE WHEN OLD.voice_future_lang IS NOT NEW.voice_future_lang THEN '$.voice_future_lang' ELSE '$._' END, OLD.voice_future_lang,
        CASE WHEN OLD.voice_trusted_adult IS NOT NEW.voice_trusted_adult THEN '$.voice_trusted_adult' ELSE '$._' END, OLD.voice_trusted_adult,
        CASE WHEN OLD.voice_trusted_adult_lang IS NOT NEW.voice_trusted_adult_lang THEN '$.voice_trusted_adult_lang' ELSE '$._' END, OLD.voice_trusted_adult_lang,
        CASE WHEN OLD.carer_views IS NOT NEW.carer_views THEN '$.carer_views' ELSE '$._' END, OLD.carer_views,
        CASE WHEN OLD.carer_views_lang IS NOT NEW.carer_views_lang THEN '$.carer_views_lang' ELSE '$._' END, OLD.carer_views_lang,
        CASE WHEN OLD.carer_role IS NOT NEW.carer_role THEN '$.carer_role' ELSE '$._' END, OLD.carer_role,
        CASE WHEN OLD.carer_role_lang IS NOT NEW.carer_role_lang THEN '$.carer_role_lang' ELSE '$._' END, OLD.carer_role_lang,
        CASE WHEN OLD.professional_views IS NOT NEW.professional_views THEN '$.professional_views' ELSE '$._' END, OLD.professional_views,
        CASE WHEN OLD.professional_views_lang IS NOT NEW.professional_views_lang THEN '$.professional_views_lang' ELSE '$._' END, OLD.professional_views_lang,
        CASE WHEN OLD.leisure_interests IS NOT NEW.leisure_interests THEN '$.leisure_interests' ELSE '$._' END, OLD.leisure_interests,
        CASE WHEN OLD.leisure_interests_lang IS NOT NEW.leisure_interests_lang THEN '$.leisure_interests_lang' ELSE '$._' END, OLD.leisure_interests_lang,
        CASE WHEN OLD.transition IS NOT NEW.transition THEN '$.transition' ELSE '$._' END, OLD.transition,
        CASE WHEN OLD.transition_lang IS NOT NEW.transition_lang THEN '$.transition_lang' ELSE '$._' END, OLD.transition_lang,
        CASE WHEN OLD.neet_risk IS NOT NEW.neet_risk THEN '$.neet_risk' ELSE '$._' END, CASE WHEN OLD.neet_risk IS NULL THEN NULL WHEN OLD.neet_risk THEN json('true') ELSE json('false') END,
        CASE WHEN OLD.phase_override IS NOT NEW.phase_override THEN '$.phase_override' ELSE '$._' END, OLD.phase_override,
        CASE WHEN OLD.phase_override_reason IS NOT NEW.phase_override_reason THEN '$.phase_override_reason' ELSE '$._' END, OLD.phase_override_reason,
        CASE WHEN OLD.phase_override_reason_lang IS NOT NEW.phase_override_reason_lang THEN '$.phase_override_reason_lang' ELSE '$._' END, OLD.phase_override_reason_lang,
        CASE WHEN OLD.ey_areas_of_learning IS NOT NEW.ey_areas_of_learning THEN '$.ey_areas_of_learning' ELSE '$._' END, OLD.ey_areas_of_learning,
        CASE WHEN OLD.ey_areas_of_learning_lang IS NOT NEW.ey_areas_of_learning_lang THEN '$.ey_areas_of_learning_lang' ELSE '$._' END, OLD.ey_areas_of_learning_lang,
        CASE WHEN OLD.ey_communication IS NOT NEW.ey_communication THEN '$.ey_communication' ELSE '$._' END, OLD.ey_communication,
        CASE WHEN OLD.ey_communication_lang IS NOT NEW.ey_communication_lang THEN '$.ey_communication_lang' ELSE '$._' END, OLD.ey_communication_lang,
        CASE WHEN OLD.ey_physical IS NOT NEW.ey_physical THEN '$.ey_physical' ELSE '$._' END, OLD.ey_physical,
        CASE WHEN OLD.ey_physical_lang IS NOT NEW.ey_physical_lang THEN '$.ey_physical_lang' ELSE '$._' END, OLD.ey_physical_lang,
        CASE WHEN OLD.ey_personal_social IS NOT NEW.ey_personal_social THEN '$.ey_personal_social' ELSE '$._' END, OLD.ey_personal_social,
        CASE WHEN OLD.ey_personal_social_lang IS NOT NEW.ey_personal_social_lang THEN '$.ey_personal_social_lang' ELSE '$._' END, OLD.ey_personal_social_lang,
        CASE WHEN OLD.ey_key_person IS NOT NEW.ey_key_person THEN '$.ey_key_person' ELSE '$._' END, OLD.ey_key_person,
        CASE WHEN OLD.ey_funded_hours IS NOT NEW.ey_funded_hours THEN '$.ey_funded_hours' ELSE '$._' END, OLD.ey_funded_hours,
        CASE WHEN OLD.ey_aln IS NOT NEW.ey_aln THEN '$.ey_aln' ELSE '$._' END, OLD.ey_aln,
        CASE WHEN OLD.ey_aln_lang IS NOT NEW.ey_aln_lang THEN '$.ey_aln_lang' ELSE '$._' END, OLD.ey_aln_lang,
        CASE WHEN OLD.ey_health_visitor IS NOT NEW.ey_health_visitor THEN '$.ey_health_visitor' ELSE '$._' END, OLD.ey_health_visitor,
        CASE WHEN OLD.ey_health_visitor_lang IS NOT NEW.ey_health_visitor_lang THEN '$.ey_health_visitor_lang' ELSE '$._' END, OLD.ey_health_visitor_lang),
        CASE WHEN OLD.course_provider IS NOT NEW.course_provider THEN '$.course_provider' ELSE '$._' END, OLD.course_provider,
        CASE WHEN OLD.course_title IS NOT NEW.course_title THEN '$.course_title' ELSE '$._' END, OLD.course_title,
        CASE WHEN OLD.course_level IS NOT NEW.course_level THEN '$.course_level' ELSE '$._' END, OLD.course_level,
        CASE WHEN OLD.course_start IS NOT NEW.course_start THEN '$.course_start' ELSE '$._' END, OLD.course_start,
        CASE WHEN OLD.course_end IS NOT NEW.course_end THEN '$.course_end' ELSE '$._' END, OLD.course_end,
        CASE WHEN OLD.course_attendance_pct IS NOT NEW.course_attendance_pct THEN '$.course_attendance_pct' ELSE '$._' END, OLD.course_attendance_pct,
        CASE WHEN OLD.careers_adviser IS NOT NEW.careers_adviser THEN '$.careers_adviser' ELSE '$._' END, OLD.careers_adviser,
        CASE WHEN OLD.careers_guidance_date IS NOT NEW.careers_guidance_date THEN '$.careers_guidance_date' ELSE '$._' END, OLD.careers_guidance_date,
        CASE WHEN OLD.personal_adviser IS NOT NEW.personal_adviser THEN '$.personal_adviser' ELSE '$._' END, OLD.personal_adviser,
        CASE WHEN OLD.pathway_plan IS NOT NEW.pathway_plan THEN '$.pathway_plan' ELSE '$._' END, OLD.pathway_plan,
        CASE WHEN OLD.bursary IS NOT NEW.bursary THEN '$.bursary' ELSE '$._' END, CASE WHEN OLD.bursary IS NULL THEN NULL WHEN OLD.bursary THEN json('true') ELSE json('false') END,
        CASE WHEN OLD.ema IS NOT NEW.ema THEN '$.ema' ELSE '$._' END, CASE WHEN OLD.ema IS NULL THEN NULL WHEN OLD.ema THEN json('true') ELSE json('false') END,
        CASE WHEN OLD.financial_support IS NOT NEW.financial_support THEN '$.financial_support' ELSE '$._' END, OLD.financial_support,
        CASE WHEN OLD.financial_support_lang IS NOT NEW.financial_support_lang THEN '$.financial_support_lang' ELSE '$._' END, OLD.financial_support_lang,
        CASE WHEN OLD.aspiration IS NOT NEW.aspiration THEN '$.aspiration' ELSE '$._' END, OLD.aspiration,
        CASE WHEN OLD.aspiration_lang IS NOT NEW.aspiration_lang THEN '$.aspiration_lang' ELSE '$._' END, OLD.aspiration_lang,
        CASE WHEN OLD.neet_actions IS NOT NEW.neet_actions THEN '$.neet_actions' ELSE '$._' END, OLD.neet_actions,
        CASE WHEN OLD.neet_actions_lang IS NOT NEW.neet_actions_lang THEN '$.neet_actions_lang' ELSE '$._' END, OLD.neet_actions_lang,
        CASE WHEN OLD.transition_to IS NOT NEW.transition_to THEN '$.transition_to' ELSE '$._' END, OLD.transition_to,
        CASE WHEN OLD.transition_date IS NOT NEW.transition_date THEN '$.transition_date' ELSE '$._' END, OLD.transition_date,
        CASE WHEN OLD.ap_provider IS NOT NEW.ap_provider THEN '$.ap_provider' ELSE '$._' END, OLD.ap_provider,
        CASE WHEN OLD.ap_days IS NOT NEW.ap_days THEN '$.ap_days' ELSE '$._' END, OLD.ap_days,
        CASE WHEN OLD.ap_start IS NOT NEW.ap_start THEN '$.ap_start' ELSE '$._' END, OLD.ap_start,
        CASE WHEN OLD.ap_end IS NOT NEW.ap_end THEN '$.ap_end' ELSE '$._' END, OLD.ap_end,
        CASE WHEN OLD.ap_purpose IS NOT NEW.ap_purpose THEN '$.ap_purpose' ELSE '$._' END, OLD.ap_purpose,
        CASE WHEN OLD.ap_purpose_lang IS NOT NEW.ap_purpose_lang THEN '$.ap_purpose_lang' ELSE '$._' END, OLD.ap_purpose_lang,
        CASE WHEN OLD.rt_hours IS NOT NEW.rt_hours THEN '$.rt_hours' ELSE '$._' END, OLD.rt_hours,
        CASE WHEN OLD.rt_reason IS NOT NEW.rt_reason THEN '$.rt_reason' ELSE '$._' END, OLD.rt_reason,
        CASE WHEN OLD.rt_reason_lang IS NOT NEW.rt_reason_lang THEN '$.rt_reason_lang' ELSE '$._' END, OLD.rt_reason_lang,
        CASE WHEN OLD.rt_return_plan IS NOT NEW.rt_return_plan THEN '$.rt_return_plan' ELSE '$._' END, OLD.rt_return_plan,
        CASE WHEN OLD.rt_return_plan_lang IS NOT NEW.rt_return_plan_lang THEN '$.rt_return_plan_lang' ELSE '$._' END, OLD.rt_return_plan_lang,
        CASE WHEN OLD.rt_review_date IS NOT NEW.rt_review_date THEN '$.rt_review_date' ELSE '$._' END, OLD.rt_review_date,
        CASE WHEN OLD.neet_since IS NOT NEW.neet_since THEN '$.neet_since' ELSE '$._' END, OLD.neet_since,
        CASE WHEN OLD.neet_support IS NOT NEW.neet_support THEN '$.neet_support' ELSE '$._' END, OLD.neet_support,
        CASE WHEN OLD.neet_support_lang IS NOT NEW.neet_support_lang THEN '$.neet_support_lang' ELSE '$._' END, OLD.neet_support_lang)
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

CREATE TRIGGER ops_keep_targets_update BEFORE UPDATE ON targets
WHEN OLD.review_id IS NOT NEW.review_id OR OLD.position IS NOT NEW.position OR OLD.description IS NOT NEW.description OR OLD.description_lang IS NOT NEW.description_lang OR OLD.support IS NOT NEW.support OR OLD.support_lang IS NOT NEW.support_lang OR OLD.responsible IS NOT NEW.responsible OR OLD.due_date IS NOT NEW.due_date OR OLD.pdg_funded IS NOT NEW.pdg_funded OR OLD.carried_from_id IS NOT NEW.carried_from_id OR OLD.progress IS NOT NEW.progress OR OLD.deleted IS NOT NEW.deleted
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'),
        CASE WHEN OLD.review_id IS NOT NEW.review_id THEN '$.review_id' ELSE '$._' END, OLD.review_id,
        CASE WHEN OLD.position IS NOT NEW.position THEN '$.position' ELSE '$._' END, OLD.position,
        CASE WHEN OLD.description IS NOT NEW.description THEN '$.description' ELSE '$._' END, OLD.description,
        CASE WHEN OLD.description_lang IS NOT NEW.description_lang THEN '$.description_lang' ELSE '$._' END, OLD.description_lang,
        CASE WHEN OLD.support IS NOT NEW.support THEN '$.support' ELSE '$._' END, OLD.support,
        CASE WHEN OLD.support_lang IS NOT NEW.support_lang THEN '$.support_lang' ELSE '$._' END, OLD.support_lang,
        CASE WHEN OLD.responsible IS NOT NEW.responsible THEN '$.responsible' ELSE '$._' END, OLD.responsible,
        CASE WHEN OLD.due_date IS NOT NEW.due_date THEN '$.due_date' ELSE '$._' END, OLD.due_date,
        CASE WHEN OLD.pdg_funded IS NOT NEW.pdg_funded THEN '$.pdg_funded' ELSE '$._' END, CASE WHEN OLD.pdg_funded IS NULL THEN NULL WHEN OLD.pdg_funded THEN json('true') ELSE json('false') END,
        CASE WHEN OLD.carried_from_id IS NOT NEW.carried_from_id THEN '$.carried_from_id' ELSE '$._' END, OLD.carried_from_id,
        CASE WHEN OLD.progress IS NOT NEW.progress THEN '$.progress' ELSE '$._' END, OLD.progress,
        CASE WHEN OLD.deleted IS NOT NEW.deleted THEN '$.deleted' ELSE '$._' END, CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
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

CREATE TRIGGER ops_keep_actions_update BEFORE UPDATE ON actions
WHEN OLD.review_id IS NOT NEW.review_id OR OLD.description IS NOT NEW.description OR OLD.description_lang IS NOT NEW.description_lang OR OLD.owner IS NOT NEW.owner OR OLD.due_date IS NOT NEW.due_date OR OLD.done IS NOT NEW.done OR OLD.deleted IS NOT NEW.deleted
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'),
        CASE WHEN OLD.review_id IS NOT NEW.review_id THEN '$.review_id' ELSE '$._' END, OLD.review_id,
        CASE WHEN OLD.description IS NOT NEW.description THEN '$.description' ELSE '$._' END, OLD.description,
        CASE WHEN OLD.description_lang IS NOT NEW.description_lang THEN '$.description_lang' ELSE '$._' END, OLD.description_lang,
        CASE WHEN OLD.owner IS NOT NEW.owner THEN '$.owner' ELSE '$._' END, OLD.owner,
        CASE WHEN OLD.due_date IS NOT NEW.due_date THEN '$.due_date' ELSE '$._' END, OLD.due_date,
        CASE WHEN OLD.done IS NOT NEW.done THEN '$.done' ELSE '$._' END, CASE WHEN OLD.done IS NULL THEN NULL WHEN OLD.done THEN json('true') ELSE json('false') END,
        CASE WHEN OLD.deleted IS NOT NEW.deleted THEN '$.deleted' ELSE '$._' END, CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
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

CREATE TRIGGER ops_keep_exclusions_update BEFORE UPDATE ON exclusions
WHEN OLD.review_id IS NOT NEW.review_id OR OLD.kind IS NOT NEW.kind OR OLD.start_date IS NOT NEW.start_date OR OLD.days IS NOT NEW.days OR OLD.reason IS NOT NEW.reason OR OLD.reason_lang IS NOT NEW.reason_lang OR OLD.deleted IS NOT NEW.deleted
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'),
        CASE WHEN OLD.review_id IS NOT NEW.review_id THEN '$.review_id' ELSE '$._' END, OLD.review_id,
        CASE WHEN OLD.kind IS NOT NEW.kind THEN '$.kind' ELSE '$._' END, OLD.kind,
        CASE WHEN OLD.start_date IS NOT NEW.start_date THEN '$.start_date' ELSE '$._' END, OLD.start_date,
        CASE WHEN OLD.days IS NOT NEW.days THEN '$.days' ELSE '$._' END, OLD.days,
        CASE WHEN OLD.reason IS NOT NEW.reason THEN '$.reason' ELSE '$._' END, OLD.reason,
        CASE WHEN OLD.reason_lang IS NOT NEW.reason_lang THEN '$.reason_lang' ELSE '$._' END, OLD.reason_lang,
        CASE WHEN OLD.deleted IS NOT NEW.deleted THEN '$.deleted' ELSE '$._' END, CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
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

CREATE TRIGGER ops_keep_attainments_update BEFORE UPDATE ON attainments
WHEN OLD.review_id IS NOT NEW.review_id OR OLD.area IS NOT NEW.area OR OLD.subject IS NOT NEW.subject OR OLD.judgement IS NOT NEW.judgement OR OLD.judgement_lang IS NOT NEW.judgement_lang OR OLD.predicted_grade IS NOT NEW.predicted_grade OR OLD.actual_grade IS NOT NEW.actual_grade OR OLD.deleted IS NOT NEW.deleted
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'),
        CASE WHEN OLD.review_id IS NOT NEW.review_id THEN '$.review_id' ELSE '$._' END, OLD.review_id,
        CASE WHEN OLD.area IS NOT NEW.area THEN '$.area' ELSE '$._' END, OLD.area,
        CASE WHEN OLD.subject IS NOT NEW.subject THEN '$.subject' ELSE '$._' END, OLD.subject,
        CASE WHEN OLD.judgement IS NOT NEW.judgement THEN '$.judgement' ELSE '$._' END, OLD.judgement,
        CASE WHEN OLD.judgement_lang IS NOT NEW.judgement_lang THEN '$.judgement_lang' ELSE '$._' END, OLD.judgement_lang,
        CASE WHEN OLD.predicted_grade IS NOT NEW.predicted_grade THEN '$.predicted_grade' ELSE '$._' END, OLD.predicted_grade,
        CASE WHEN OLD.actual_grade IS NOT NEW.actual_grade THEN '$.actual_grade' ELSE '$._' END, OLD.actual_grade,
        CASE WHEN OLD.deleted IS NOT NEW.deleted THEN '$.deleted' ELSE '$._' END, CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
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

CREATE TRIGGER ops_keep_interventions_update BEFORE UPDATE ON interventions
WHEN OLD.review_id IS NOT NEW.review_id OR OLD.kind IS NOT NEW.kind OR OLD.provider IS NOT NEW.provider OR OLD.start_date IS NOT NEW.start_date OR OLD.end_date IS NOT NEW.end_date OR OLD.cost_pence IS NOT NEW.cost_pence OR OLD.funding IS NOT NEW.funding OR OLD.outcome IS NOT NEW.outcome OR OLD.outcome_lang IS NOT NEW.outcome_lang OR OLD.deleted IS NOT NEW.deleted
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'),
        CASE WHEN OLD.review_id IS NOT NEW.review_id THEN '$.review_id' ELSE '$._' END, OLD.review_id,
        CASE WHEN OLD.kind IS NOT NEW.kind THEN '$.kind' ELSE '$._' END, OLD.kind,
        CASE WHEN OLD.provider IS NOT NEW.provider THEN '$.provider' ELSE '$._' END, OLD.provider,
        CASE WHEN OLD.start_date IS NOT NEW.start_date THEN '$.start_date' ELSE '$._' END, OLD.start_date,
        CASE WHEN OLD.end_date IS NOT NEW.end_date THEN '$.end_date' ELSE '$._' END, OLD.end_date,
        CASE WHEN OLD.cost_pence IS NOT NEW.cost_pence THEN '$.cost_pence' ELSE '$._' END, OLD.cost_pence,
        CASE WHEN OLD.funding IS NOT NEW.funding THEN '$.funding' ELSE '$._' END, OLD.funding,
        CASE WHEN OLD.outcome IS NOT NEW.outcome THEN '$.outcome' ELSE '$._' END, OLD.outcome,
        CASE WHEN OLD.outcome_lang IS NOT NEW.outcome_lang THEN '$.outcome_lang' ELSE '$._' END, OLD.outcome_lang,
        CASE WHEN OLD.deleted IS NOT NEW.deleted THEN '$.deleted' ELSE '$._' END, CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
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

CREATE TRIGGER ops_keep_attendees_update BEFORE UPDATE ON attendees
WHEN OLD.review_id IS NOT NEW.review_id OR OLD.name IS NOT NEW.name OR OLD.role IS NOT NEW.role OR OLD.attendance IS NOT NEW.attendance OR OLD.agreed IS NOT NEW.agreed OR OLD.signed_at IS NOT NEW.signed_at OR OLD.signature_png IS NOT NEW.signature_png OR OLD.deleted IS NOT NEW.deleted
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'),
        CASE WHEN OLD.review_id IS NOT NEW.review_id THEN '$.review_id' ELSE '$._' END, OLD.review_id,
        CASE WHEN OLD.name IS NOT NEW.name THEN '$.name' ELSE '$._' END, OLD.name,
        CASE WHEN OLD.role IS NOT NEW.role THEN '$.role' ELSE '$._' END, OLD.role,
        CASE WHEN OLD.attendance IS NOT NEW.attendance THEN '$.attendance' ELSE '$._' END, OLD.attendance,
        CASE WHEN OLD.agreed IS NOT NEW.agreed THEN '$.agreed' ELSE '$._' END, CASE WHEN OLD.agreed IS NULL THEN NULL WHEN OLD.agreed THEN json('true') ELSE json('false') END,
        CASE WHEN OLD.signed_at IS NOT NEW.signed_at THEN '$.signed_at' ELSE '$._' END, OLD.signed_at,
        CASE WHEN OLD.signature_png IS NOT NEW.signature_png THEN '$.signature_png' ELSE '$._' END, OLD.signature_png,
        CASE WHEN OLD.deleted IS NOT NEW.deleted THEN '$.deleted' ELSE '$._' END, CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
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

CREATE TRIGGER ops_keep_quality_ratings_update BEFORE UPDATE ON quality_ratings
WHEN OLD.review_id IS NOT NEW.review_id OR OLD.rating IS NOT NEW.rating OR OLD.feedback IS NOT NEW.feedback OR OLD.feedback_lang IS NOT NEW.feedback_lang OR OLD.rated_by IS NOT NEW.rated_by OR OLD.rated_at IS NOT NEW.rated_at OR OLD.deleted IS NOT NEW.deleted
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'),
        CASE WHEN OLD.review_id IS NOT NEW.review_id THEN '$.review_id' ELSE '$._' END, OLD.review_id,
        CASE WHEN OLD.rating IS NOT NEW.rating THEN '$.rating' ELSE '$._' END, OLD.rating,
        CASE WHEN OLD.feedback IS NOT NEW.feedback THEN '$.feedback' ELSE '$._' END, OLD.feedback,
        CASE WHEN OLD.feedback_lang IS NOT NEW.feedback_lang THEN '$.feedback_lang' ELSE '$._' END, OLD.feedback_lang,
        CASE WHEN OLD.rated_by IS NOT NEW.rated_by THEN '$.rated_by' ELSE '$._' END, OLD.rated_by,
        CASE WHEN OLD.rated_at IS NOT NEW.rated_at THEN '$.rated_at' ELSE '$._' END, OLD.rated_at,
        CASE WHEN OLD.deleted IS NOT NEW.deleted THEN '$.deleted' ELSE '$._' END, CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
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

CREATE TRIGGER ops_keep_qualifications_update BEFORE UPDATE ON qualifications
WHEN OLD.review_id IS NOT NEW.review_id OR OLD.title IS NOT NEW.title OR OLD.level IS NOT NEW.level OR OLD.status IS NOT NEW.status OR OLD.grade IS NOT NEW.grade OR OLD.awarded_on IS NOT NEW.awarded_on OR OLD.deleted IS NOT NEW.deleted
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'),
        CASE WHEN OLD.review_id IS NOT NEW.review_id THEN '$.review_id' ELSE '$._' END, OLD.review_id,
        CASE WHEN OLD.title IS NOT NEW.title THEN '$.title' ELSE '$._' END, OLD.title,
        CASE WHEN OLD.level IS NOT NEW.level THEN '$.level' ELSE '$._' END, OLD.level,
        CASE WHEN OLD.status IS NOT NEW.status THEN '$.status' ELSE '$._' END, OLD.status,
        CASE WHEN OLD.grade IS NOT NEW.grade THEN '$.grade' ELSE '$._' END, OLD.grade,
        CASE WHEN OLD.awarded_on IS NOT NEW.awarded_on THEN '$.awarded_on' ELSE '$._' END, OLD.awarded_on,
        CASE WHEN OLD.deleted IS NOT NEW.deleted THEN '$.deleted' ELSE '$._' END, CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
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

CREATE TRIGGER ops_keep_review_sections_update BEFORE UPDATE ON review_sections
WHEN OLD.review_id IS NOT NEW.review_id OR OLD.section IS NOT NEW.section OR OLD.reason IS NOT NEW.reason OR OLD.reason_lang IS NOT NEW.reason_lang OR OLD.deleted IS NOT NEW.deleted
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'),
        CASE WHEN OLD.review_id IS NOT NEW.review_id THEN '$.review_id' ELSE '$._' END, OLD.review_id,
        CASE WHEN OLD.section IS NOT NEW.section THEN '$.section' ELSE '$._' END, OLD.section,
        CASE WHEN OLD.reason IS NOT NEW.reason THEN '$.reason' ELSE '$._' END, OLD.reason,
        CASE WHEN OLD.reason_lang IS NOT NEW.reason_lang THEN '$.reason_lang' ELSE '$._' END, OLD.reason_lang,
        CASE WHEN OLD.deleted IS NOT NEW.deleted THEN '$.deleted' ELSE '$._' END, CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
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

CREATE TRIGGER ops_keep_funding_requests_update BEFORE UPDATE ON funding_requests
WHEN OLD.review_id IS NOT NEW.review_id OR OLD.kind IS NOT NEW.kind OR OLD.provider IS NOT NEW.provider OR OLD.amount_pence IS NOT NEW.amount_pence OR OLD.start_date IS NOT NEW.start_date OR OLD.end_date IS NOT NEW.end_date OR OLD.purpose IS NOT NEW.purpose OR OLD.purpose_lang IS NOT NEW.purpose_lang OR OLD.expected_impact IS NOT NEW.expected_impact OR OLD.expected_impact_lang IS NOT NEW.expected_impact_lang OR OLD.status IS NOT NEW.status OR OLD.requested_by IS NOT NEW.requested_by OR OLD.requested_by_role IS NOT NEW.requested_by_role OR OLD.requested_at IS NOT NEW.requested_at OR OLD.approved_pence IS NOT NEW.approved_pence OR OLD.decision_reason IS NOT NEW.decision_reason OR OLD.decision_reason_lang IS NOT NEW.decision_reason_lang OR OLD.decided_by IS NOT NEW.decided_by OR OLD.decided_by_role IS NOT NEW.decided_by_role OR OLD.decided_at IS NOT NEW.decided_at OR OLD.deleted IS NOT NEW.deleted
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'),
        CASE WHEN OLD.review_id IS NOT NEW.review_id THEN '$.review_id' ELSE '$._' END, OLD.review_id,
        CASE WHEN OLD.kind IS NOT NEW.kind THEN '$.kind' ELSE '$._' END, OLD.kind,
        CASE WHEN OLD.provider IS NOT NEW.provider THEN '$.provider' ELSE '$._' END, OLD.provider,
        CASE WHEN OLD.amount_pence IS NOT NEW.amount_pence THEN '$.amount_pence' ELSE '$._' END, OLD.amount_pence,
        CASE WHEN OLD.start_date IS NOT NEW.start_date THEN '$.start_date' ELSE '$._' END, OLD.start_date,
        CASE WHEN OLD.end_date IS NOT NEW.end_date THEN '$.end_date' ELSE '$._' END, OLD.end_date,
        CASE WHEN OLD.purpose IS NOT NEW.purpose THEN '$.purpose' ELSE '$._' END, OLD.purpose,
        CASE WHEN OLD.purpose_lang IS NOT NEW.purpose_lang THEN '$.purpose_lang' ELSE '$._' END, OLD.purpose_lang,
        CASE WHEN OLD.expected_impact IS NOT NEW.expected_impact THEN '$.expected_impact' ELSE '$._' END, OLD.expected_impact,
        CASE WHEN OLD.expected_impact_lang IS NOT NEW.expected_impact_lang THEN '$.expected_impact_lang' ELSE '$._' END, OLD.expected_impact_lang,
        CASE WHEN OLD.status IS NOT NEW.status THEN '$.status' ELSE '$._' END, OLD.status,
        CASE WHEN OLD.requested_by IS NOT NEW.requested_by THEN '$.requested_by' ELSE '$._' END, OLD.requested_by,
        CASE WHEN OLD.requested_by_role IS NOT NEW.requested_by_role THEN '$.requested_by_role' ELSE '$._' END, OLD.requested_by_role,
        CASE WHEN OLD.requested_at IS NOT NEW.requested_at THEN '$.requested_at' ELSE '$._' END, OLD.requested_at,
        CASE WHEN OLD.approved_pence IS NOT NEW.approved_pence THEN '$.approved_pence' ELSE '$._' END, OLD.approved_pence,
        CASE WHEN OLD.decision_reason IS NOT NEW.decision_reason THEN '$.decision_reason' ELSE '$._' END, OLD.decision_reason,
        CASE WHEN OLD.decision_reason_lang IS NOT NEW.decision_reason_lang THEN '$.decision_reason_lang' ELSE '$._' END, OLD.decision_reason_lang,
        CASE WHEN OLD.decided_by IS NOT NEW.decided_by THEN '$.decided_by' ELSE '$._' END, OLD.decided_by,
        CASE WHEN OLD.decided_by_role IS NOT NEW.decided_by_role THEN '$.decided_by_role' ELSE '$._' END, OLD.decided_by_role,
        CASE WHEN OLD.decided_at IS NOT NEW.decided_at THEN '$.decided_at' ELSE '$._' END, OLD.decided_at,
        CASE WHEN OLD.deleted IS NOT NEW.deleted THEN '$.deleted' ELSE '$._' END, CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
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

CREATE TRIGGER ops_keep_funding_targets_update BEFORE UPDATE ON funding_targets
WHEN OLD.review_id IS NOT NEW.review_id OR OLD.request_id IS NOT NEW.request_id OR OLD.target_id IS NOT NEW.target_id OR OLD.impact IS NOT NEW.impact OR OLD.impact_lang IS NOT NEW.impact_lang OR OLD.impact_progress IS NOT NEW.impact_progress OR OLD.impact_review_id IS NOT NEW.impact_review_id OR OLD.impact_recorded_on IS NOT NEW.impact_recorded_on OR OLD.deleted IS NOT NEW.deleted
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'),
        CASE WHEN OLD.review_id IS NOT NEW.review_id THEN '$.review_id' ELSE '$._' END, OLD.review_id,
        CASE WHEN OLD.request_id IS NOT NEW.request_id THEN '$.request_id' ELSE '$._' END, OLD.request_id,
        CASE WHEN OLD.target_id IS NOT NEW.target_id THEN '$.target_id' ELSE '$._' END, OLD.target_id,
        CASE WHEN OLD.impact IS NOT NEW.impact THEN '$.impact' ELSE '$._' END, OLD.impact,
        CASE WHEN OLD.impact_lang IS NOT NEW.impact_lang THEN '$.impact_lang' ELSE '$._' END, OLD.impact_lang,
        CASE WHEN OLD.impact_progress IS NOT NEW.impact_progress THEN '$.impact_progress' ELSE '$._' END, OLD.impact_progress,
        CASE WHEN OLD.impact_review_id IS NOT NEW.impact_review_id THEN '$.impact_review_id' ELSE '$._' END, OLD.impact_review_id,
        CASE WHEN OLD.impact_recorded_on IS NOT NEW.impact_recorded_on THEN '$.impact_recorded_on' ELSE '$._' END, OLD.impact_recorded_on,
        CASE WHEN OLD.deleted IS NOT NEW.deleted THEN '$.deleted' ELSE '$._' END, CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
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

CREATE TRIGGER ops_keep_funding_spend_update BEFORE UPDATE ON funding_spend
WHEN OLD.review_id IS NOT NEW.review_id OR OLD.request_id IS NOT NEW.request_id OR OLD.amount_pence IS NOT NEW.amount_pence OR OLD.spent_on IS NOT NEW.spent_on OR OLD.note IS NOT NEW.note OR OLD.note_lang IS NOT NEW.note_lang OR OLD.over_approved IS NOT NEW.over_approved OR OLD.recorded_by IS NOT NEW.recorded_by OR OLD.deleted IS NOT NEW.deleted
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'),
        CASE WHEN OLD.review_id IS NOT NEW.review_id THEN '$.review_id' ELSE '$._' END, OLD.review_id,
        CASE WHEN OLD.request_id IS NOT NEW.request_id THEN '$.request_id' ELSE '$._' END, OLD.request_id,
        CASE WHEN OLD.amount_pence IS NOT NEW.amount_pence THEN '$.amount_pence' ELSE '$._' END, OLD.amount_pence,
        CASE WHEN OLD.spent_on IS NOT NEW.spent_on THEN '$.spent_on' ELSE '$._' END, OLD.spent_on,
        CASE WHEN OLD.note IS NOT NEW.note THEN '$.note' ELSE '$._' END, OLD.note,
        CASE WHEN OLD.note_lang IS NOT NEW.note_lang THEN '$.note_lang' ELSE '$._' END, OLD.note_lang,
        CASE WHEN OLD.over_approved IS NOT NEW.over_approved THEN '$.over_approved' ELSE '$._' END, CASE WHEN OLD.over_approved IS NULL THEN NULL WHEN OLD.over_approved THEN json('true') ELSE json('false') END,
        CASE WHEN OLD.recorded_by IS NOT NEW.recorded_by THEN '$.recorded_by' ELSE '$._' END, OLD.recorded_by,
        CASE WHEN OLD.deleted IS NOT NEW.deleted THEN '$.deleted' ELSE '$._' END, CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
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

CREATE TRIGGER ops_keep_funding_allocations_update BEFORE UPDATE ON funding_allocations
WHEN OLD.year IS NOT NEW.year OR OLD.school_id IS NOT NEW.school_id OR OLD.amount_pence IS NOT NEW.amount_pence OR OLD.set_by IS NOT NEW.set_by OR OLD.set_by_role IS NOT NEW.set_by_role OR OLD.set_at IS NOT NEW.set_at OR OLD.deleted IS NOT NEW.deleted
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'),
        CASE WHEN OLD.year IS NOT NEW.year THEN '$.year' ELSE '$._' END, OLD.year,
        CASE WHEN OLD.school_id IS NOT NEW.school_id THEN '$.school_id' ELSE '$._' END, OLD.school_id,
        CASE WHEN OLD.amount_pence IS NOT NEW.amount_pence THEN '$.amount_pence' ELSE '$._' END, OLD.amount_pence,
        CASE WHEN OLD.set_by IS NOT NEW.set_by THEN '$.set_by' ELSE '$._' END, OLD.set_by,
        CASE WHEN OLD.set_by_role IS NOT NEW.set_by_role THEN '$.set_by_role' ELSE '$._' END, OLD.set_by_role,
        CASE WHEN OLD.set_at IS NOT NEW.set_at THEN '$.set_at' ELSE '$._' END, OLD.set_at,
        CASE WHEN OLD.deleted IS NOT NEW.deleted THEN '$.deleted' ELSE '$._' END, CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
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

CREATE TRIGGER ops_keep_attachments_update BEFORE UPDATE ON attachments
WHEN OLD.learner_id IS NOT NEW.learner_id OR OLD.review_id IS NOT NEW.review_id OR OLD.section IS NOT NEW.section OR OLD.kind IS NOT NEW.kind OR OLD.title IS NOT NEW.title OR OLD.title_lang IS NOT NEW.title_lang OR OLD.added_on IS NOT NEW.added_on OR OLD.added_by IS NOT NEW.added_by OR OLD.added_by_role IS NOT NEW.added_by_role OR OLD.size IS NOT NEW.size OR OLD.sha256 IS NOT NEW.sha256 OR OLD.mime IS NOT NEW.mime OR OLD.deleted IS NOT NEW.deleted
BEGIN
    UPDATE ops SET value = json_insert(coalesce(value, '{}'),
        CASE WHEN OLD.learner_id IS NOT NEW.learner_id THEN '$.learner_id' ELSE '$._' END, OLD.learner_id,
        CASE WHEN OLD.review_id IS NOT NEW.review_id THEN '$.review_id' ELSE '$._' END, OLD.review_id,
        CASE WHEN OLD.section IS NOT NEW.section THEN '$.section' ELSE '$._' END, OLD.section,
        CASE WHEN OLD.kind IS NOT NEW.kind THEN '$.kind' ELSE '$._' END, OLD.kind,
        CASE WHEN OLD.title IS NOT NEW.title THEN '$.title' ELSE '$._' END, OLD.title,
        CASE WHEN OLD.title_lang IS NOT NEW.title_lang THEN '$.title_lang' ELSE '$._' END, OLD.title_lang,
        CASE WHEN OLD.added_on IS NOT NEW.added_on THEN '$.added_on' ELSE '$._' END, OLD.added_on,
        CASE WHEN OLD.added_by IS NOT NEW.added_by THEN '$.added_by' ELSE '$._' END, OLD.added_by,
        CASE WHEN OLD.added_by_role IS NOT NEW.added_by_role THEN '$.added_by_role' ELSE '$._' END, OLD.added_by_role,
        CASE WHEN OLD.size IS NOT NEW.size THEN '$.size' ELSE '$._' END, OLD.size,
        CASE WHEN OLD.sha256 IS NOT NEW.sha256 THEN '$.sha256' ELSE '$._' END, OLD.sha256,
        CASE WHEN OLD.mime IS NOT NEW.mime THEN '$.mime' ELSE '$._' END, OLD.mime,
        CASE WHEN OLD.deleted IS NOT NEW.deleted THEN '$.deleted' ELSE '$._' END, CASE WHEN OLD.deleted IS NULL THEN NULL WHEN OLD.deleted THEN json('true') ELSE json('false') END)
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
