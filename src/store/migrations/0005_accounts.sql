-- Accounts, roles, sessions, API tokens, sign-in throttling, consent and the
-- audit log (issue 4).
-- Secrets are stored only as hashes: argon2id for passwords, BLAKE2b-256 for
-- random 256-bit tokens (src/accounts/). Emails are stored normalised.
CREATE TABLE account (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL UNIQUE,
  email TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  email_verified_at TEXT,
  -- 1 for the demo town's ready accounts: they sign in only under `serve --demo`.
  demo SMALLINT NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
  -- The resident record this account is, if any. No foreign key: the demo town
  -- is replaced wholesale, and the link is checked where it is read.
  resident_id BIGINT,
  created_at TEXT NOT NULL,
  disabled_at TEXT
);

CREATE TABLE account_role (
  account_id BIGINT NOT NULL REFERENCES account (id),
  role TEXT NOT NULL CHECK (role IN ('resident', 'delegate', 'coordinator', 'provider_admin', 'provider_editor',
                                     'volunteer', 'commissioner', 'moderator', 'system_admin')),
  -- Provider staff hold their role for one organisation (an HSDS organization
  -- id); every other role has ''.
  organization_id TEXT NOT NULL DEFAULT '',
  granted_at TEXT NOT NULL,
  PRIMARY KEY (account_id, role, organization_id)
);

CREATE TABLE user_session (
  id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  account_id BIGINT NOT NULL REFERENCES account (id),
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  client_address TEXT NOT NULL,
  user_agent TEXT NOT NULL
);
CREATE INDEX user_session_account ON user_session (account_id);

CREATE TABLE api_token (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL UNIQUE,
  account_id BIGINT NOT NULL REFERENCES account (id),
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  scopes TEXT NOT NULL,  -- space-separated
  created_at TEXT NOT NULL,
  expires_at TEXT,
  last_used_at TEXT,
  revoked_at TEXT
);
CREATE INDEX api_token_account ON api_token (account_id);

-- Failed sign-ins per account name (a hash of the email, whether or not an
-- account has it) and per client address.
CREATE TABLE sign_in_failure (
  throttle_key TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  last_failure_at TEXT NOT NULL
);

-- Single-use links: password reset and email verification.
CREATE TABLE one_time_token (
  id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  account_id BIGINT NOT NULL REFERENCES account (id),
  purpose TEXT NOT NULL CHECK (purpose IN ('reset_password', 'verify_email')),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT
);
CREATE INDEX one_time_token_account ON one_time_token (account_id);

-- Mail waits here until the sender delivers it (and, in the demo, is read on a page).
CREATE TABLE mail_outbox (
  id INTEGER PRIMARY KEY,
  to_address TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL,
  sent_at TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT,  -- after a failure: not before this time
  last_error TEXT
);
CREATE INDEX mail_outbox_unsent ON mail_outbox (sent_at, id);

-- The residents whose care a coordinator coordinates.
CREATE TABLE caseload (
  coordinator_account_id BIGINT NOT NULL REFERENCES account (id),
  resident_id BIGINT NOT NULL,
  since TEXT NOT NULL,
  -- The lawful basis the coordinator recorded for seeing this person's record.
  basis TEXT NOT NULL,
  PRIMARY KEY (coordinator_account_id, resident_id)
);
CREATE INDEX caseload_resident ON caseload (resident_id);

-- A resident's grant to another account to act for them, in a scope, until a date.
CREATE TABLE delegation (
  id INTEGER PRIMARY KEY,
  resident_account_id BIGINT NOT NULL REFERENCES account (id),
  delegate_account_id BIGINT NOT NULL REFERENCES account (id),
  scope TEXT NOT NULL,  -- space-separated parts: needs what_matters plan budget
  granted_by_account_id BIGINT NOT NULL REFERENCES account (id),
  reason TEXT NOT NULL,  -- required when a coordinator grants it for someone who lacks capacity
  granted_at TEXT NOT NULL,
  until TEXT,
  withdrawn_at TEXT
);
CREATE INDEX delegation_delegate ON delegation (delegate_account_id);
CREATE INDEX delegation_resident ON delegation (resident_account_id);

-- A resident's consent to share a part of their record with an organisation
-- (its staff) or a person (by email, whether or not they have an account yet),
-- for a purpose, until a date or until withdrawn. Rows are never deleted while
-- the person exists: withdrawal is recorded.
CREATE TABLE consent (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL UNIQUE,
  resident_account_id BIGINT NOT NULL REFERENCES account (id),
  part TEXT NOT NULL CHECK (part IN ('needs', 'what_matters', 'plan', 'budget')),
  grantee_kind TEXT NOT NULL CHECK (grantee_kind IN ('organisation', 'person')),
  grantee TEXT NOT NULL,  -- an HSDS organization id, or a normalised email
  purpose TEXT NOT NULL,
  granted_at TEXT NOT NULL,
  until TEXT,
  withdrawn_at TEXT
);
CREATE INDEX consent_resident ON consent (resident_account_id);
CREATE INDEX consent_grantee ON consent (grantee_kind, grantee);

-- Every read and write of special-category data, append-only and chained:
-- hash = BLAKE2b-256(prev_hash and the event's fields), so that changing or
-- removing a row breaks the chain (`bespoke audit verify`). seq is assigned by
-- the appender under a lock, without gaps.
CREATE TABLE audit_event (
  seq BIGINT PRIMARY KEY,
  at TEXT NOT NULL,
  actor_account_id BIGINT,  -- NULL: the system (a command or a scheduled job)
  actor_role TEXT NOT NULL,
  action TEXT NOT NULL,
  subject_account_id BIGINT,  -- whose information (their account), if they have one
  subject_resident_id BIGINT,  -- whose information (their record), if any
  record_type TEXT NOT NULL,
  record_id TEXT NOT NULL,
  purpose TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_event_subject_account ON audit_event (subject_account_id, seq);
CREATE INDEX audit_event_subject_resident ON audit_event (subject_resident_id, seq);
