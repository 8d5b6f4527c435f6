#include "store/feedback_store.h"

#include "core/ids.h"

#include <array>

namespace bespoke::store {

StoredFeedback insert_feedback(Connection& db, const feedback::Feedback& feedback, core::Timestamp now) {
  StoredFeedback stored{core::random_uuid(), core::to_iso8601(now)};
  const std::array<Value, 5> params{stored.public_id, feedback.satisfaction, feedback.comment, feedback.page,
                                    stored.created_at};
  Transaction tx(db, TxMode::write);
  db.execute(
      "INSERT INTO site_feedback (public_id, satisfaction, comment, page, created_at) VALUES ($1, $2, $3, $4, $5)",
      params);
  tx.commit();
  return stored;
}

std::int64_t count_feedback(Connection& db) {
  const auto v = db.scalar("SELECT COUNT(*) FROM site_feedback");
  return v && std::holds_alternative<std::int64_t>(*v) ? std::get<std::int64_t>(*v) : 0;
}

}  // namespace bespoke::store
