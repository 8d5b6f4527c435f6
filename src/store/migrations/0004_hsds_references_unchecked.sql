-- The HSDS tables hold what an import accepts, exactly as given
-- (docs/directory.md, "Import: errors and warnings"):
-- - a reference to a record that is in neither the import nor the database
--   (a feed read page by page, a term whose parent is in another list, the
--   standard's own examples) is a warning, so the tables lose their foreign
--   keys;
-- - an organization_identifier without identifier_type is a warning when it
--   has an identifier_scheme (the schemas call identifier_type its
--   human-readable equivalent), so that column loses its NOT NULL.
-- Everything else stays: primary keys, the other NOT NULLs (required fields
-- are errors), the CHECKs of the enums. The data stays as it is.
-- The two drivers share no statement that drops such a constraint in place
-- (SQLite cannot alter a column), so each table that has one is rebuilt:
-- copied to a temporary table, dropped, created again as 0003 made it less
-- those constraints, and filled back. Tables are dropped children first, so
-- that no foreign key acts (ON DELETE CASCADE) or objects while its table
-- goes. taxonomy, unit, metadata and meta_table_description keep their tables.
CREATE TEMP TABLE hsds_0004_taxonomy_term AS SELECT * FROM taxonomy_term;
CREATE TEMP TABLE hsds_0004_organization AS SELECT * FROM organization;
CREATE TEMP TABLE hsds_0004_organization_identifier AS SELECT * FROM organization_identifier;
CREATE TEMP TABLE hsds_0004_program AS SELECT * FROM program;
CREATE TEMP TABLE hsds_0004_location AS SELECT * FROM location;
CREATE TEMP TABLE hsds_0004_service AS SELECT * FROM service;
CREATE TEMP TABLE hsds_0004_service_at_location AS SELECT * FROM service_at_location;
CREATE TEMP TABLE hsds_0004_address AS SELECT * FROM address;
CREATE TEMP TABLE hsds_0004_accessibility AS SELECT * FROM accessibility;
CREATE TEMP TABLE hsds_0004_contact AS SELECT * FROM contact;
CREATE TEMP TABLE hsds_0004_phone AS SELECT * FROM phone;
CREATE TEMP TABLE hsds_0004_language AS SELECT * FROM language;
CREATE TEMP TABLE hsds_0004_schedule AS SELECT * FROM schedule;
CREATE TEMP TABLE hsds_0004_service_area AS SELECT * FROM service_area;
CREATE TEMP TABLE hsds_0004_cost_option AS SELECT * FROM cost_option;
CREATE TEMP TABLE hsds_0004_funding AS SELECT * FROM funding;
CREATE TEMP TABLE hsds_0004_required_document AS SELECT * FROM required_document;
CREATE TEMP TABLE hsds_0004_service_capacity AS SELECT * FROM service_capacity;
CREATE TEMP TABLE hsds_0004_url AS SELECT * FROM url;
CREATE TEMP TABLE hsds_0004_attribute AS SELECT * FROM attribute;

DROP TABLE attribute;
DROP TABLE url;
DROP TABLE service_capacity;
DROP TABLE required_document;
DROP TABLE funding;
DROP TABLE cost_option;
DROP TABLE service_area;
DROP TABLE schedule;
DROP TABLE language;
DROP TABLE phone;
DROP TABLE contact;
DROP TABLE accessibility;
DROP TABLE address;
DROP TABLE service_at_location;
DROP TABLE service;
DROP TABLE location;
DROP TABLE program;
DROP TABLE organization_identifier;
DROP TABLE organization;
DROP TABLE taxonomy_term;

CREATE TABLE taxonomy_term (
  id TEXT PRIMARY KEY,
  code TEXT,
  "name" TEXT NOT NULL,
  description TEXT NOT NULL,
  parent_id TEXT,
  taxonomy TEXT,
  "language" TEXT,
  taxonomy_id TEXT,
  term_uri TEXT,
  term TEXT
);
INSERT INTO taxonomy_term SELECT * FROM hsds_0004_taxonomy_term;
DROP TABLE hsds_0004_taxonomy_term;
CREATE INDEX taxonomy_term_parent_id ON taxonomy_term (parent_id);
CREATE INDEX taxonomy_term_taxonomy_id ON taxonomy_term (taxonomy_id);

CREATE TABLE organization (
  id TEXT PRIMARY KEY,
  "name" TEXT NOT NULL,
  alternate_name TEXT,
  description TEXT NOT NULL,
  email TEXT,
  website TEXT,
  tax_status TEXT,
  tax_id TEXT,
  year_incorporated DOUBLE PRECISION,
  legal_status TEXT,
  logo TEXT,
  uri TEXT,
  parent_organization_id TEXT
);
INSERT INTO organization SELECT * FROM hsds_0004_organization;
DROP TABLE hsds_0004_organization;
CREATE INDEX organization_parent_organization_id ON organization (parent_organization_id);

CREATE TABLE organization_identifier (
  id TEXT PRIMARY KEY,
  organization_id TEXT,
  identifier_scheme TEXT,
  identifier_type TEXT,
  identifier TEXT NOT NULL
);
INSERT INTO organization_identifier SELECT * FROM hsds_0004_organization_identifier;
DROP TABLE hsds_0004_organization_identifier;
CREATE INDEX organization_identifier_organization_id ON organization_identifier (organization_id);

CREATE TABLE program (
  id TEXT PRIMARY KEY,
  organization_id TEXT,
  "name" TEXT NOT NULL,
  alternate_name TEXT,
  description TEXT NOT NULL
);
INSERT INTO program SELECT * FROM hsds_0004_program;
DROP TABLE hsds_0004_program;
CREATE INDEX program_organization_id ON program (organization_id);

CREATE TABLE location (
  id TEXT PRIMARY KEY,
  location_type TEXT NOT NULL CHECK (location_type IN ('physical', 'postal', 'virtual')),
  url TEXT,
  organization_id TEXT,
  "name" TEXT,
  alternate_name TEXT,
  description TEXT,
  transportation TEXT,
  latitude DOUBLE PRECISION,
  longitude DOUBLE PRECISION,
  external_identifier TEXT,
  external_identifier_type TEXT
);
INSERT INTO location SELECT * FROM hsds_0004_location;
DROP TABLE hsds_0004_location;
CREATE INDEX location_organization_id ON location (organization_id);

CREATE TABLE service (
  id TEXT PRIMARY KEY,
  organization_id TEXT,
  program_id TEXT,
  "name" TEXT NOT NULL,
  alternate_name TEXT,
  description TEXT,
  url TEXT,
  email TEXT,
  status TEXT NOT NULL CHECK (status IN ('active', 'inactive', 'defunct', 'temporarily closed')),
  interpretation_services TEXT,
  application_process TEXT,
  fees_description TEXT,
  wait_time TEXT,
  fees TEXT,
  accreditations TEXT,
  eligibility_description TEXT,
  minimum_age DOUBLE PRECISION,
  maximum_age DOUBLE PRECISION,
  assured_date TEXT,
  assurer_email TEXT,
  licenses TEXT,
  alert TEXT,
  last_modified TEXT
);
INSERT INTO service SELECT * FROM hsds_0004_service;
DROP TABLE hsds_0004_service;
CREATE INDEX service_organization_id ON service (organization_id);
CREATE INDEX service_program_id ON service (program_id);

CREATE TABLE service_at_location (
  id TEXT PRIMARY KEY,
  service_id TEXT,
  location_id TEXT,
  description TEXT
);
INSERT INTO service_at_location SELECT * FROM hsds_0004_service_at_location;
DROP TABLE hsds_0004_service_at_location;
CREATE INDEX service_at_location_service_id ON service_at_location (service_id);
CREATE INDEX service_at_location_location_id ON service_at_location (location_id);

CREATE TABLE address (
  id TEXT PRIMARY KEY,
  location_id TEXT,
  attention TEXT,
  address_1 TEXT NOT NULL,
  address_2 TEXT,
  city TEXT NOT NULL,
  region TEXT,
  state_province TEXT NOT NULL,
  postal_code TEXT NOT NULL,
  country TEXT NOT NULL,
  address_type TEXT NOT NULL CHECK (address_type IN ('physical', 'postal', 'virtual'))
);
INSERT INTO address SELECT * FROM hsds_0004_address;
DROP TABLE hsds_0004_address;
CREATE INDEX address_location_id ON address (location_id);

CREATE TABLE accessibility (
  id TEXT PRIMARY KEY,
  location_id TEXT,
  description TEXT,
  details TEXT,
  url TEXT,
  accessibility TEXT
);
INSERT INTO accessibility SELECT * FROM hsds_0004_accessibility;
DROP TABLE hsds_0004_accessibility;
CREATE INDEX accessibility_location_id ON accessibility (location_id);

CREATE TABLE contact (
  id TEXT PRIMARY KEY,
  organization_id TEXT,
  service_id TEXT,
  service_at_location_id TEXT,
  location_id TEXT,
  "name" TEXT,
  title TEXT,
  department TEXT,
  email TEXT
);
INSERT INTO contact SELECT * FROM hsds_0004_contact;
DROP TABLE hsds_0004_contact;
CREATE INDEX contact_organization_id ON contact (organization_id);
CREATE INDEX contact_service_id ON contact (service_id);
CREATE INDEX contact_service_at_location_id ON contact (service_at_location_id);
CREATE INDEX contact_location_id ON contact (location_id);

CREATE TABLE phone (
  id TEXT PRIMARY KEY,
  location_id TEXT,
  service_id TEXT,
  organization_id TEXT,
  contact_id TEXT,
  service_at_location_id TEXT,
  number TEXT NOT NULL,
  extension DOUBLE PRECISION,
  "type" TEXT,
  description TEXT
);
INSERT INTO phone SELECT * FROM hsds_0004_phone;
DROP TABLE hsds_0004_phone;
CREATE INDEX phone_location_id ON phone (location_id);
CREATE INDEX phone_service_id ON phone (service_id);
CREATE INDEX phone_organization_id ON phone (organization_id);
CREATE INDEX phone_contact_id ON phone (contact_id);
CREATE INDEX phone_service_at_location_id ON phone (service_at_location_id);

CREATE TABLE language (
  id TEXT PRIMARY KEY,
  service_id TEXT,
  location_id TEXT,
  phone_id TEXT,
  "name" TEXT,
  code TEXT,
  note TEXT
);
INSERT INTO language SELECT * FROM hsds_0004_language;
DROP TABLE hsds_0004_language;
CREATE INDEX language_service_id ON language (service_id);
CREATE INDEX language_location_id ON language (location_id);
CREATE INDEX language_phone_id ON language (phone_id);

CREATE TABLE schedule (
  id TEXT PRIMARY KEY,
  service_id TEXT,
  location_id TEXT,
  service_at_location_id TEXT,
  valid_from TEXT,
  valid_to TEXT,
  dtstart TEXT,
  timezone DOUBLE PRECISION,
  "until" TEXT,
  "count" DOUBLE PRECISION,
  wkst TEXT CHECK (wkst IN ('MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU')),
  freq TEXT CHECK (freq IN ('WEEKLY', 'MONTHLY')),
  "interval" DOUBLE PRECISION,
  byday TEXT,
  byweekno TEXT,
  bymonthday TEXT,
  byyearday TEXT,
  description TEXT,
  opens_at TEXT,
  closes_at TEXT,
  schedule_link TEXT,
  attending_type TEXT,
  notes TEXT
);
INSERT INTO schedule SELECT * FROM hsds_0004_schedule;
DROP TABLE hsds_0004_schedule;
CREATE INDEX schedule_service_id ON schedule (service_id);
CREATE INDEX schedule_location_id ON schedule (location_id);
CREATE INDEX schedule_service_at_location_id ON schedule (service_at_location_id);

CREATE TABLE service_area (
  id TEXT PRIMARY KEY,
  service_id TEXT,
  service_at_location_id TEXT,
  "name" TEXT,
  description TEXT,
  extent TEXT,
  extent_type TEXT,
  uri TEXT,
  service_area TEXT
);
INSERT INTO service_area SELECT * FROM hsds_0004_service_area;
DROP TABLE hsds_0004_service_area;
CREATE INDEX service_area_service_id ON service_area (service_id);
CREATE INDEX service_area_service_at_location_id ON service_area (service_at_location_id);

CREATE TABLE cost_option (
  id TEXT PRIMARY KEY,
  service_id TEXT,
  valid_from TEXT,
  valid_to TEXT,
  "option" TEXT,
  currency TEXT,
  amount DOUBLE PRECISION,
  amount_description TEXT
);
INSERT INTO cost_option SELECT * FROM hsds_0004_cost_option;
DROP TABLE hsds_0004_cost_option;
CREATE INDEX cost_option_service_id ON cost_option (service_id);

CREATE TABLE funding (
  id TEXT PRIMARY KEY,
  organization_id TEXT,
  service_id TEXT,
  source TEXT
);
INSERT INTO funding SELECT * FROM hsds_0004_funding;
DROP TABLE hsds_0004_funding;
CREATE INDEX funding_organization_id ON funding (organization_id);
CREATE INDEX funding_service_id ON funding (service_id);

CREATE TABLE required_document (
  id TEXT PRIMARY KEY,
  service_id TEXT,
  document TEXT,
  uri TEXT
);
INSERT INTO required_document SELECT * FROM hsds_0004_required_document;
DROP TABLE hsds_0004_required_document;
CREATE INDEX required_document_service_id ON required_document (service_id);

CREATE TABLE service_capacity (
  id TEXT PRIMARY KEY,
  service_id TEXT,
  unit_id TEXT,
  available DOUBLE PRECISION NOT NULL,
  maximum DOUBLE PRECISION,
  description TEXT,
  updated TEXT NOT NULL
);
INSERT INTO service_capacity SELECT * FROM hsds_0004_service_capacity;
DROP TABLE hsds_0004_service_capacity;
CREATE INDEX service_capacity_service_id ON service_capacity (service_id);
CREATE INDEX service_capacity_unit_id ON service_capacity (unit_id);

CREATE TABLE url (
  id TEXT PRIMARY KEY,
  label TEXT,
  url TEXT NOT NULL,
  organization_id TEXT,
  service_id TEXT
);
INSERT INTO url SELECT * FROM hsds_0004_url;
DROP TABLE hsds_0004_url;
CREATE INDEX url_organization_id ON url (organization_id);
CREATE INDEX url_service_id ON url (service_id);

CREATE TABLE attribute (
  id TEXT PRIMARY KEY,
  link_id TEXT,
  taxonomy_term_id TEXT,
  link_type TEXT,
  link_entity TEXT,
  "value" TEXT,
  label TEXT
);
INSERT INTO attribute SELECT * FROM hsds_0004_attribute;
DROP TABLE hsds_0004_attribute;
CREATE INDEX attribute_link_id ON attribute (link_id);
CREATE INDEX attribute_taxonomy_term_id ON attribute (taxonomy_term_id);
