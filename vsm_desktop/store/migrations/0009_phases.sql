-- Schema 9: phases and circumstances (domain/phases.py, domain/sections.py). A review's phase is
-- worked out when asked; only an override (with its reason) is stored. Early years and post-16
-- fields, the circumstance sections' fields, post-16 qualifications, and the sections added to a
-- review with a reason. Every new column is optional: earlier reviews keep everything they hold.
ALTER TABLE reviews ADD COLUMN phase_override TEXT;
ALTER TABLE reviews ADD COLUMN phase_override_reason TEXT;
ALTER TABLE reviews ADD COLUMN phase_override_reason_lang TEXT;
ALTER TABLE reviews ADD COLUMN ey_areas_of_learning TEXT;
ALTER TABLE reviews ADD COLUMN ey_areas_of_learning_lang TEXT;
ALTER TABLE reviews ADD COLUMN ey_communication TEXT;
ALTER TABLE reviews ADD COLUMN ey_communication_lang TEXT;
ALTER TABLE reviews ADD COLUMN ey_physical TEXT;
ALTER TABLE reviews ADD COLUMN ey_physical_lang TEXT;
ALTER TABLE reviews ADD COLUMN ey_personal_social TEXT;
ALTER TABLE reviews ADD COLUMN ey_personal_social_lang TEXT;
ALTER TABLE reviews ADD COLUMN ey_key_person TEXT;
ALTER TABLE reviews ADD COLUMN ey_funded_hours REAL;
ALTER TABLE reviews ADD COLUMN ey_aln TEXT;
ALTER TABLE reviews ADD COLUMN ey_aln_lang TEXT;
ALTER TABLE reviews ADD COLUMN ey_health_visitor TEXT;
ALTER TABLE reviews ADD COLUMN ey_health_visitor_lang TEXT;
ALTER TABLE reviews ADD COLUMN course_provider TEXT;
ALTER TABLE reviews ADD COLUMN course_title TEXT;
ALTER TABLE reviews ADD COLUMN course_level TEXT;
ALTER TABLE reviews ADD COLUMN course_start TEXT;
ALTER TABLE reviews ADD COLUMN course_end TEXT;
ALTER TABLE reviews ADD COLUMN course_attendance_pct REAL;
ALTER TABLE reviews ADD COLUMN careers_adviser TEXT;
ALTER TABLE reviews ADD COLUMN careers_guidance_date TEXT;
ALTER TABLE reviews ADD COLUMN personal_adviser TEXT;
ALTER TABLE reviews ADD COLUMN pathway_plan TEXT;
ALTER TABLE reviews ADD COLUMN bursary INTEGER;
ALTER TABLE reviews ADD COLUMN ema INTEGER;
ALTER TABLE reviews ADD COLUMN financial_support TEXT;
ALTER TABLE reviews ADD COLUMN financial_support_lang TEXT;
ALTER TABLE reviews ADD COLUMN aspiration TEXT;
ALTER TABLE reviews ADD COLUMN aspiration_lang TEXT;
ALTER TABLE reviews ADD COLUMN neet_actions TEXT;
ALTER TABLE reviews ADD COLUMN neet_actions_lang TEXT;
ALTER TABLE reviews ADD COLUMN transition_to TEXT;
ALTER TABLE reviews ADD COLUMN transition_date TEXT;
ALTER TABLE reviews ADD COLUMN ap_provider TEXT;
ALTER TABLE reviews ADD COLUMN ap_days REAL;
ALTER TABLE reviews ADD COLUMN ap_start TEXT;
ALTER TABLE reviews ADD COLUMN ap_end TEXT;
ALTER TABLE reviews ADD COLUMN ap_purpose TEXT;
ALTER TABLE reviews ADD COLUMN ap_purpose_lang TEXT;
ALTER TABLE reviews ADD COLUMN rt_hours REAL;
ALTER TABLE reviews ADD COLUMN rt_reason TEXT;
ALTER TABLE reviews ADD COLUMN rt_reason_lang TEXT;
ALTER TABLE reviews ADD COLUMN rt_return_plan TEXT;
ALTER TABLE reviews ADD COLUMN rt_return_plan_lang TEXT;
ALTER TABLE reviews ADD COLUMN rt_review_date TEXT;
ALTER TABLE reviews ADD COLUMN neet_since TEXT;
ALTER TABLE reviews ADD COLUMN neet_support TEXT;
ALTER TABLE reviews ADD COLUMN neet_support_lang TEXT;

CREATE TABLE qualifications (
    id TEXT PRIMARY KEY,
    review_id TEXT NOT NULL REFERENCES reviews(id),
    title TEXT NOT NULL,
    level TEXT,
    status TEXT NOT NULL,
    grade TEXT,
    awarded_on TEXT,
    deleted INTEGER
);
CREATE INDEX qualifications_review_id ON qualifications(review_id);

CREATE TABLE review_sections (
    id TEXT PRIMARY KEY,
    review_id TEXT NOT NULL REFERENCES reviews(id),
    section TEXT NOT NULL,
    reason TEXT NOT NULL,
    reason_lang TEXT,
    deleted INTEGER
);
CREATE INDEX review_sections_review_id ON review_sections(review_id);
