-- The place: neighbourhoods, households, residents, providers and their
-- services (Open Referral HSDS 3 names where the concept is HSDS's), volunteers.
-- Runs unchanged on SQLite and PostgreSQL: BIGINT, DOUBLE PRECISION, TEXT,
-- SMALLINT 0/1 for booleans. Internal ids are `id`; public ids are UUID v4 text
-- in `public_id`. Money is BIGINT pence. Times are ISO 8601 UTC text.
-- Uniqueness is declared as named unique indexes rather than column UNIQUE, so
-- that a bulk load can drop and rebuild every index (store/town_writer.cpp).

-- One row: what this database holds and how it was made.
CREATE TABLE place (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  scale TEXT NOT NULL CHECK (scale IN ('test', 'town', 'city', 'nation')),
  seed BIGINT NOT NULL,  -- the generator's seed, as a signed 64-bit pattern
  generated_at TEXT NOT NULL,
  generator_version TEXT NOT NULL,
  reference_date TEXT NOT NULL  -- ages are as at this date
);

-- The need vocabulary (esd-style codes).
CREATE TABLE need (
  code TEXT PRIMARY KEY,
  label TEXT NOT NULL
);

CREATE TABLE provider_kind (
  code TEXT PRIMARY KEY CHECK (code IN ('council', 'nhs', 'charity', 'community_led', 'social_enterprise',
                                        'volunteer_group', 'private_company')),
  label TEXT NOT NULL
);

CREATE TABLE circumstance (
  code TEXT PRIMARY KEY,
  label TEXT NOT NULL
);

CREATE TABLE town (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL,
  name TEXT NOT NULL,
  latitude DOUBLE PRECISION NOT NULL CHECK (latitude BETWEEN -90 AND 90),
  longitude DOUBLE PRECISION NOT NULL CHECK (longitude BETWEEN -180 AND 180)
);
CREATE UNIQUE INDEX town_public_id ON town (public_id);

CREATE TABLE neighbourhood (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL,
  town_id BIGINT NOT NULL REFERENCES town (id),
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  latitude DOUBLE PRECISION NOT NULL CHECK (latitude BETWEEN -90 AND 90),  -- centroid
  longitude DOUBLE PRECISION NOT NULL CHECK (longitude BETWEEN -180 AND 180),
  deprivation_decile SMALLINT NOT NULL CHECK (deprivation_decile BETWEEN 1 AND 10)  -- 1 = most deprived
);
CREATE UNIQUE INDEX neighbourhood_public_id ON neighbourhood (public_id);
CREATE UNIQUE INDEX neighbourhood_code ON neighbourhood (code);
CREATE INDEX neighbourhood_town ON neighbourhood (town_id);

CREATE TABLE household (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL,
  neighbourhood_id BIGINT NOT NULL REFERENCES neighbourhood (id),
  household_type TEXT NOT NULL CHECK (household_type IN
    ('one_person', 'couple', 'couple_with_children', 'lone_parent', 'multi_adult')),
  size BIGINT NOT NULL CHECK (size BETWEEN 1 AND 12),
  tenure TEXT NOT NULL CHECK (tenure IN ('owner_occupied', 'social_rent', 'private_rent')),
  latitude DOUBLE PRECISION NOT NULL CHECK (latitude BETWEEN -90 AND 90),
  longitude DOUBLE PRECISION NOT NULL CHECK (longitude BETWEEN -180 AND 180)
);
CREATE UNIQUE INDEX household_public_id ON household (public_id);
CREATE INDEX household_neighbourhood ON household (neighbourhood_id);

CREATE TABLE resident (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL,
  household_id BIGINT NOT NULL REFERENCES household (id),
  neighbourhood_id BIGINT NOT NULL REFERENCES neighbourhood (id),
  given_name TEXT NOT NULL,
  family_name TEXT NOT NULL,
  sex TEXT NOT NULL CHECK (sex IN ('female', 'male')),
  birth_date TEXT NOT NULL,  -- YYYY-MM-DD
  main_language TEXT NOT NULL,  -- ISO 639-1
  speaks_english SMALLINT NOT NULL CHECK (speaks_english IN (0, 1)),
  faith TEXT NOT NULL CHECK (faith IN
    ('christian', 'none', 'muslim', 'hindu', 'sikh', 'buddhist', 'jewish', 'other', 'not_stated'))
);
CREATE UNIQUE INDEX resident_public_id ON resident (public_id);
CREATE INDEX resident_household ON resident (household_id);
CREATE INDEX resident_neighbourhood ON resident (neighbourhood_id);

CREATE TABLE resident_need (
  resident_id BIGINT NOT NULL REFERENCES resident (id),
  need_code TEXT NOT NULL REFERENCES need (code),
  PRIMARY KEY (resident_id, need_code)
);
CREATE INDEX resident_need_code ON resident_need (need_code);

CREATE TABLE resident_circumstance (
  resident_id BIGINT NOT NULL REFERENCES resident (id),
  circumstance_code TEXT NOT NULL REFERENCES circumstance (code),
  PRIMARY KEY (resident_id, circumstance_code)
);
CREATE INDEX resident_circumstance_code ON resident_circumstance (circumstance_code);

-- HSDS organization, plus the provider kind and who owns it.
CREATE TABLE organization (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  email TEXT,
  website TEXT,
  year_incorporated BIGINT CHECK (year_incorporated BETWEEN 1000 AND 3000),
  kind TEXT NOT NULL REFERENCES provider_kind (code) CHECK (kind IN
    ('council', 'nhs', 'charity', 'community_led', 'social_enterprise', 'volunteer_group', 'private_company')),
  is_community_led SMALLINT NOT NULL DEFAULT 0 CHECK (is_community_led IN (0, 1)),
  is_locally_owned SMALLINT NOT NULL DEFAULT 0 CHECK (is_locally_owned IN (0, 1)),
  registration_id TEXT,  -- org-id.guide style: GB-CHC-1234567, GB-COH-01234567; NULL when unregistered
  neighbourhood_id BIGINT REFERENCES neighbourhood (id)  -- where it is based
);
CREATE UNIQUE INDEX organization_public_id ON organization (public_id);
CREATE UNIQUE INDEX organization_registration_id ON organization (registration_id);
CREATE INDEX organization_kind ON organization (kind);
CREATE INDEX organization_locally_owned ON organization (is_locally_owned);
CREATE INDEX organization_neighbourhood ON organization (neighbourhood_id);

-- HSDS location.
CREATE TABLE location (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL,
  organization_id BIGINT REFERENCES organization (id),
  location_type TEXT NOT NULL DEFAULT 'physical' CHECK (location_type IN ('physical', 'postal', 'virtual')),
  name TEXT,
  address_1 TEXT,
  city TEXT,
  postal_code TEXT,
  latitude DOUBLE PRECISION CHECK (latitude BETWEEN -90 AND 90),
  longitude DOUBLE PRECISION CHECK (longitude BETWEEN -180 AND 180),
  neighbourhood_id BIGINT REFERENCES neighbourhood (id)
);
CREATE UNIQUE INDEX location_public_id ON location (public_id);
CREATE INDEX location_organization ON location (organization_id);
CREATE INDEX location_neighbourhood ON location (neighbourhood_id);

-- HSDS service.
CREATE TABLE service (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL,
  organization_id BIGINT NOT NULL REFERENCES organization (id),
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive', 'defunct', 'temporarily closed'))
);
CREATE UNIQUE INDEX service_public_id ON service (public_id);
CREATE INDEX service_organization ON service (organization_id);

-- HSDS service_at_location.
CREATE TABLE service_at_location (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL,
  service_id BIGINT NOT NULL REFERENCES service (id),
  location_id BIGINT NOT NULL REFERENCES location (id)
);
CREATE UNIQUE INDEX service_at_location_public_id ON service_at_location (public_id);
CREATE INDEX service_at_location_service ON service_at_location (service_id);
CREATE INDEX service_at_location_location ON service_at_location (location_id);

-- The needs a service meets (our taxonomy; HSDS would call this attribute/taxonomy_term).
CREATE TABLE service_need (
  service_id BIGINT NOT NULL REFERENCES service (id),
  need_code TEXT NOT NULL REFERENCES need (code),
  PRIMARY KEY (service_id, need_code)
);
CREATE INDEX service_need_code ON service_need (need_code);

-- HSDS eligibility: ages inclusive, in years.
CREATE TABLE eligibility (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL,
  service_id BIGINT NOT NULL REFERENCES service (id),
  description TEXT NOT NULL DEFAULT '',
  minimum_age BIGINT CHECK (minimum_age BETWEEN 0 AND 130),
  maximum_age BIGINT CHECK (maximum_age BETWEEN 0 AND 130),
  CHECK (minimum_age IS NULL OR maximum_age IS NULL OR minimum_age <= maximum_age)
);
CREATE UNIQUE INDEX eligibility_public_id ON eligibility (public_id);
CREATE INDEX eligibility_service ON eligibility (service_id);

-- Circumstances that make someone eligible: any one of them will do.
CREATE TABLE eligibility_circumstance (
  eligibility_id BIGINT NOT NULL REFERENCES eligibility (id),
  circumstance_code TEXT NOT NULL REFERENCES circumstance (code),
  PRIMARY KEY (eligibility_id, circumstance_code)
);

-- HSDS schedule: weekly opening hours (freq WEEKLY, byday MO..SU, local times HH:MM).
CREATE TABLE schedule (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL,
  service_id BIGINT REFERENCES service (id),
  location_id BIGINT REFERENCES location (id),
  freq TEXT NOT NULL DEFAULT 'WEEKLY' CHECK (freq IN ('WEEKLY', 'MONTHLY')),
  byday TEXT NOT NULL,
  opens_at TEXT NOT NULL,
  closes_at TEXT NOT NULL,
  description TEXT,
  CHECK (opens_at < closes_at)
);
CREATE UNIQUE INDEX schedule_public_id ON schedule (public_id);
CREATE INDEX schedule_service ON schedule (service_id);
CREATE INDEX schedule_location ON schedule (location_id);

-- HSDS cost_option; amount in pence (0 = free).
CREATE TABLE cost_option (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL,
  service_id BIGINT NOT NULL REFERENCES service (id),
  option TEXT,
  currency TEXT NOT NULL DEFAULT 'GBP',
  amount_pence BIGINT NOT NULL CHECK (amount_pence >= 0),
  amount_description TEXT
);
CREATE UNIQUE INDEX cost_option_public_id ON cost_option (public_id);
CREATE INDEX cost_option_service ON cost_option (service_id);

-- HSDS service_capacity: places in `unit`, available <= maximum.
CREATE TABLE service_capacity (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL,
  service_id BIGINT NOT NULL REFERENCES service (id),
  unit TEXT NOT NULL,
  available BIGINT NOT NULL CHECK (available >= 0),
  maximum BIGINT CHECK (maximum >= 0),
  description TEXT,
  updated TEXT NOT NULL,
  CHECK (maximum IS NULL OR available <= maximum)
);
CREATE UNIQUE INDEX service_capacity_public_id ON service_capacity (public_id);
CREATE INDEX service_capacity_service ON service_capacity (service_id);

-- HSDS language: languages the service is offered in.
CREATE TABLE language (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL,
  service_id BIGINT REFERENCES service (id),
  location_id BIGINT REFERENCES location (id),
  name TEXT NOT NULL,
  code TEXT NOT NULL  -- ISO 639-1
);
CREATE UNIQUE INDEX language_public_id ON language (public_id);
CREATE INDEX language_service ON language (service_id);
CREATE INDEX language_code ON language (code);

CREATE TABLE volunteer (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL,
  resident_id BIGINT NOT NULL REFERENCES resident (id),
  neighbourhood_id BIGINT NOT NULL REFERENCES neighbourhood (id),
  hours_per_month BIGINT NOT NULL CHECK (hours_per_month BETWEEN 0 AND 744),
  max_travel_m BIGINT NOT NULL CHECK (max_travel_m >= 0)
);
CREATE UNIQUE INDEX volunteer_public_id ON volunteer (public_id);
CREATE UNIQUE INDEX volunteer_resident ON volunteer (resident_id);
CREATE INDEX volunteer_neighbourhood ON volunteer (neighbourhood_id);

CREATE TABLE volunteer_skill (
  volunteer_id BIGINT NOT NULL REFERENCES volunteer (id),
  skill TEXT NOT NULL CHECK (skill IN ('befriending', 'driving', 'gardening', 'cooking', 'admin', 'digital_support',
                                       'tutoring', 'interpreting', 'diy', 'fundraising', 'sports_coaching', 'advice')),
  PRIMARY KEY (volunteer_id, skill)
);
CREATE INDEX volunteer_skill_skill ON volunteer_skill (skill);

CREATE TABLE volunteer_check (
  volunteer_id BIGINT NOT NULL REFERENCES volunteer (id),
  check_type TEXT NOT NULL CHECK (check_type IN
    ('dbs_basic', 'dbs_enhanced', 'safeguarding', 'first_aid', 'food_hygiene', 'driving_licence')),
  PRIMARY KEY (volunteer_id, check_type)
);

CREATE TABLE volunteer_availability (
  id INTEGER PRIMARY KEY,
  volunteer_id BIGINT NOT NULL REFERENCES volunteer (id),
  byday TEXT NOT NULL CHECK (byday IN ('MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU')),
  starts_at TEXT NOT NULL,
  ends_at TEXT NOT NULL,
  CHECK (starts_at < ends_at)
);
CREATE INDEX volunteer_availability_volunteer ON volunteer_availability (volunteer_id);
