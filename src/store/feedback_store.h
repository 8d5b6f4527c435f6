#pragma once
// Site feedback rows (migration 0002).
#include "core/time.h"
#include "feedback/feedback.h"
#include "store/database.h"

#include <cstdint>
#include <string>

namespace bespoke::store {

struct StoredFeedback {
  std::string public_id;
  std::string created_at;  // ISO 8601 UTC
};

// Writes one row in its own write transaction (BEGIN IMMEDIATE on SQLite).
StoredFeedback insert_feedback(Connection& db, const feedback::Feedback& feedback, core::Timestamp now);

[[nodiscard]] std::int64_t count_feedback(Connection& db);

}  // namespace bespoke::store
