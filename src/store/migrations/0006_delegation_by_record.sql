-- A delegation lets someone act for a resident's record, which need not have an
-- account: a coordinator records one for a person who lacks capacity and may
-- never sign in. So delegation points at the record (resident_id), not at the
-- resident's account. Rebuilt as 0004 rebuilds tables (SQLite cannot alter a
-- column); a delegation whose account had no record could not be used, so it
-- is not carried over.
CREATE TEMP TABLE delegation_0006 AS
  SELECT a.resident_id AS record_id, d.delegate_account_id, d.scope, d.granted_by_account_id, d.reason,
         d.granted_at, d.until, d.withdrawn_at, d.id AS old_id
  FROM delegation d JOIN account a ON a.id = d.resident_account_id
  WHERE a.resident_id IS NOT NULL;
DROP TABLE delegation;
CREATE TABLE delegation (
  id INTEGER PRIMARY KEY,
  resident_id BIGINT NOT NULL,  -- the record the delegate may act for
  delegate_account_id BIGINT NOT NULL REFERENCES account (id),
  scope TEXT NOT NULL,  -- space-separated parts: needs what_matters plan budget
  granted_by_account_id BIGINT NOT NULL REFERENCES account (id),  -- the resident, or their coordinator
  reason TEXT NOT NULL,  -- why a coordinator granted it for someone who lacks capacity; '' from the resident
  granted_at TEXT NOT NULL,
  until TEXT,
  withdrawn_at TEXT
);
INSERT INTO delegation (resident_id, delegate_account_id, scope, granted_by_account_id, reason, granted_at, until,
                        withdrawn_at)
  SELECT record_id, delegate_account_id, scope, granted_by_account_id, reason, granted_at, until, withdrawn_at
  FROM delegation_0006 ORDER BY old_id;
DROP TABLE delegation_0006;
CREATE INDEX delegation_delegate ON delegation (delegate_account_id);
CREATE INDEX delegation_resident ON delegation (resident_id);
