-- Feedback on Bespoke itself, from the phase banner. Anonymous by design.
CREATE TABLE site_feedback (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL UNIQUE,
  satisfaction TEXT NOT NULL CHECK (satisfaction IN
    ('very_satisfied', 'satisfied', 'neither', 'dissatisfied', 'very_dissatisfied')),
  comment TEXT NOT NULL,
  page TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX site_feedback_created_at ON site_feedback (created_at);
