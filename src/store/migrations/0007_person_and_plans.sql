-- A person's own record (src/person) and their care and support plans
-- (src/careplan). Nothing here is overwritten where history matters: an
-- assessment, a budget and a plan are each a new row when they change, and
-- the latest is the current one. Lists are space-separated codes.

-- About me (PRSB) and what matters to me: one row per person, in their words.
CREATE TABLE person_profile (
  resident_id BIGINT PRIMARY KEY REFERENCES resident (id),
  please_call_me TEXT NOT NULL DEFAULT '',
  communication TEXT NOT NULL DEFAULT '',
  important_people TEXT NOT NULL DEFAULT '',
  good_day TEXT NOT NULL DEFAULT '',
  adjustments TEXT NOT NULL DEFAULT '',
  about_me_at TEXT,  -- NULL: not written yet
  languages TEXT NOT NULL DEFAULT '',
  faith TEXT NOT NULL DEFAULT '',
  carer_gender TEXT NOT NULL DEFAULT 'any' CHECK (carer_gender IN ('any', 'female', 'male')),
  times TEXT NOT NULL DEFAULT '',  -- "<day>:<part>" items
  travel TEXT NOT NULL DEFAULT 'walk' CHECK (travel IN ('walk', 'bus', 'car', 'none')),
  travel_minutes BIGINT NOT NULL DEFAULT 20 CHECK (travel_minutes BETWEEN 0 AND 240),
  interests TEXT NOT NULL DEFAULT '',
  communication_needs TEXT NOT NULL DEFAULT '',
  ruled_out_kinds TEXT NOT NULL DEFAULT '',
  food TEXT NOT NULL DEFAULT '',
  pets TEXT NOT NULL DEFAULT '',
  anything_else TEXT NOT NULL DEFAULT '',
  what_matters_at TEXT  -- NULL: not written yet
);

CREATE TABLE person_goal (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL,
  resident_id BIGINT NOT NULL REFERENCES resident (id),
  hope TEXT NOT NULL,
  how_we_know TEXT NOT NULL,
  need_code TEXT NOT NULL DEFAULT '',
  achieved SMALLINT NOT NULL DEFAULT 0 CHECK (achieved IN (0, 1)),
  created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX person_goal_public_id ON person_goal (public_id);
CREATE INDEX person_goal_resident ON person_goal (resident_id);

-- Family, friends and neighbours who help.
CREATE TABLE informal_helper (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL,
  resident_id BIGINT NOT NULL REFERENCES resident (id),
  name TEXT NOT NULL,
  relationship TEXT NOT NULL,
  helps_with TEXT NOT NULL,  -- need codes
  times TEXT NOT NULL DEFAULT '',
  contact TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX informal_helper_public_id ON informal_helper (public_id);
CREATE INDEX informal_helper_resident ON informal_helper (resident_id);

-- The Care Act assessment and its eligibility decision (Eligibility Criteria
-- Regulations 2015), as a coordinator recorded it.
CREATE TABLE care_assessment (
  id INTEGER PRIMARY KEY,
  resident_id BIGINT NOT NULL REFERENCES resident (id),
  assessed_by_account_id BIGINT NOT NULL REFERENCES account (id),
  assessed_at TEXT NOT NULL,
  from_impairment SMALLINT NOT NULL CHECK (from_impairment IN (0, 1)),
  impairment_notes TEXT NOT NULL,
  significant_impact SMALLINT NOT NULL CHECK (significant_impact IN (0, 1)),
  wellbeing_notes TEXT NOT NULL,
  fluctuating SMALLINT NOT NULL CHECK (fluctuating IN (0, 1)),
  fluctuating_notes TEXT NOT NULL,
  eligible SMALLINT NOT NULL CHECK (eligible IN (0, 1)),  -- the decision
  reasons TEXT NOT NULL  -- the decision's reasons, one per line
);
CREATE INDEX care_assessment_resident ON care_assessment (resident_id, assessed_at);

CREATE TABLE care_assessment_outcome (
  assessment_id BIGINT NOT NULL REFERENCES care_assessment (id),
  outcome TEXT NOT NULL,
  tests SMALLINT NOT NULL CHECK (tests BETWEEN 1 AND 15),  -- which "unable to achieve" tests apply
  why TEXT NOT NULL,
  PRIMARY KEY (assessment_id, outcome)
);

CREATE TABLE care_assessment_need (
  assessment_id BIGINT NOT NULL REFERENCES care_assessment (id),
  need_code TEXT NOT NULL,  -- a need the council must meet
  PRIMARY KEY (assessment_id, need_code)
);

-- The indicative personal budget (s.26), per week, in pence.
CREATE TABLE personal_budget (
  id INTEGER PRIMARY KEY,
  resident_id BIGINT NOT NULL REFERENCES resident (id),
  weekly_pence BIGINT NOT NULL CHECK (weekly_pence >= 0),
  person_contribution_pence BIGINT NOT NULL CHECK (person_contribution_pence BETWEEN 0 AND weekly_pence),
  management TEXT NOT NULL CHECK (management IN
    ('council_managed', 'direct_payment', 'individual_service_fund', 'mixed')),
  direct_payment_pence BIGINT NOT NULL CHECK (direct_payment_pence BETWEEN 0 AND weekly_pence),
  set_by_account_id BIGINT NOT NULL REFERENCES account (id),
  set_at TEXT NOT NULL
);
CREATE INDEX personal_budget_resident ON personal_budget (resident_id, set_at);

-- A care and support plan: each version a row, never changed, numbered from 1
-- per person. What a version holds is careplan::Content.
CREATE TABLE plan_version (
  id INTEGER PRIMARY KEY,
  resident_id BIGINT NOT NULL REFERENCES resident (id),
  version BIGINT NOT NULL CHECK (version >= 1),
  kind TEXT NOT NULL CHECK (kind IN ('coproduced', 'default_plan')),
  created_at TEXT NOT NULL,
  created_by_account_id BIGINT REFERENCES account (id),  -- NULL: the default-plan batch
  created_by_role TEXT NOT NULL,
  budget_weekly_pence BIGINT NOT NULL,
  person_contribution_pence BIGINT NOT NULL,
  budget_management TEXT NOT NULL,
  direct_payment_pence BIGINT NOT NULL,
  direct_payment_needs TEXT NOT NULL,
  advice_meeting TEXT NOT NULL,
  advice_preventing TEXT NOT NULL,
  advocate_present SMALLINT NOT NULL CHECK (advocate_present IN (0, 1)),
  advocate_name TEXT NOT NULL
);
CREATE UNIQUE INDEX plan_version_number ON plan_version (resident_id, version);

CREATE TABLE plan_line (
  plan_version_id BIGINT NOT NULL REFERENCES plan_version (id),
  position BIGINT NOT NULL,
  need_code TEXT NOT NULL,
  need_label TEXT NOT NULL,
  eligible SMALLINT NOT NULL CHECK (eligible IN (0, 1)),
  source TEXT NOT NULL CHECK (source IN ('service', 'informal', 'own_idea')),
  ref TEXT NOT NULL,
  title TEXT NOT NULL,
  provider TEXT NOT NULL,
  when_text TEXT NOT NULL,
  weekly_cost_pence BIGINT NOT NULL CHECK (weekly_cost_pence >= 0),
  needs_fallback SMALLINT NOT NULL CHECK (needs_fallback IN (0, 1)),  -- volunteer, informal or the person's own
  fallback_ref TEXT NOT NULL,
  fallback_title TEXT NOT NULL,
  explanation TEXT NOT NULL,
  PRIMARY KEY (plan_version_id, position)
);

CREATE TABLE plan_gap (
  plan_version_id BIGINT NOT NULL REFERENCES plan_version (id),
  position BIGINT NOT NULL,
  need_code TEXT NOT NULL,
  need_label TEXT NOT NULL,
  eligible SMALLINT NOT NULL CHECK (eligible IN (0, 1)),
  reason TEXT NOT NULL,
  PRIMARY KEY (plan_version_id, position)
);

CREATE TABLE plan_participant (
  plan_version_id BIGINT NOT NULL REFERENCES plan_version (id),
  position BIGINT NOT NULL,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  PRIMARY KEY (plan_version_id, position)
);

-- The person's agreement and the council's sign-off: separate acts on one version.
CREATE TABLE plan_decision (
  id INTEGER PRIMARY KEY,
  plan_version_id BIGINT NOT NULL REFERENCES plan_version (id),
  kind TEXT NOT NULL CHECK (kind IN ('agreed', 'signed_off')),
  account_id BIGINT NOT NULL REFERENCES account (id),
  role TEXT NOT NULL,  -- "self", "delegate", "coordinator"
  person_present SMALLINT NOT NULL CHECK (person_present IN (0, 1)),
  at TEXT NOT NULL
);
CREATE UNIQUE INDEX plan_decision_once ON plan_decision (plan_version_id, kind);

-- Reviews (s.27): asked for by the person (or someone for them), and held by
-- their coordinator. When the next one is due is computed from these and the
-- plan's start (careplan::next_review).
CREATE TABLE plan_review (
  id INTEGER PRIMARY KEY,
  resident_id BIGINT NOT NULL REFERENCES resident (id),
  kind TEXT NOT NULL CHECK (kind IN ('requested', 'held')),
  on_day TEXT NOT NULL,  -- YYYY-MM-DD
  notes TEXT NOT NULL,
  account_id BIGINT NOT NULL REFERENCES account (id),
  at TEXT NOT NULL
);
CREATE INDEX plan_review_resident ON plan_review (resident_id, on_day);

-- A referral from a plan line to a directory service, made with the person's
-- consent to share it with the service's organisation. The provider accepts or
-- declines it and records whether the person took it up; when the person
-- withdraws it, the provider no longer sees who it was for.
CREATE TABLE referral (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL,
  resident_id BIGINT NOT NULL REFERENCES resident (id),
  service_id TEXT NOT NULL,
  organization_id TEXT NOT NULL,  -- the service's organisation when referred
  service_name TEXT NOT NULL,
  need_code TEXT NOT NULL,
  need_label TEXT NOT NULL,
  note TEXT NOT NULL,  -- what the person wants the provider to know
  consent_by_account_id BIGINT NOT NULL REFERENCES account (id),
  consent_role TEXT NOT NULL,
  person_present SMALLINT NOT NULL CHECK (person_present IN (0, 1)),  -- when someone else gave it, the person was there
  created_at TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('sent', 'accepted', 'declined', 'withdrawn')),
  decided_by_account_id BIGINT REFERENCES account (id),
  decided_at TEXT,
  decline_reason TEXT NOT NULL DEFAULT '',
  taken_up TEXT CHECK (taken_up IN ('started', 'did_not_start')),
  taken_up_at TEXT
);
CREATE UNIQUE INDEX referral_public_id ON referral (public_id);
CREATE INDEX referral_resident ON referral (resident_id);
CREATE INDEX referral_organization ON referral (organization_id, status);
CREATE INDEX referral_service ON referral (service_id, status);
-- One live referral per person and service, whoever asks at the same moment.
CREATE UNIQUE INDEX referral_live ON referral (resident_id, service_id) WHERE status IN ('sent', 'accepted');
