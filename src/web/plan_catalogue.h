#pragma once
// The plan engine's view of the directory for the running server: a
// careplan::ServiceCatalogue built from the database and rebuilt when the
// directory's change log moves (LiveDirectory::applied_change), so a service
// a provider retires is never proposed again after the next change is seen.
// Proposals share the current catalogue; a rebuild swaps a new one in.
// Building reads every service (milliseconds for a town, seconds for a
// nation), so it happens on the first plan request and after changes only.
#include "careplan/catalogue.h"
#include "careplan/vocabulary.h"
#include "store/database.h"
#include "web/live_directory.h"

#include <cstdint>
#include <memory>
#include <mutex>

namespace bespoke::web {

class PlanCatalogue {
 public:
  explicit PlanCatalogue(LiveDirectory& directory) : directory_(directory) {}
  PlanCatalogue(const PlanCatalogue&) = delete;
  PlanCatalogue& operator=(const PlanCatalogue&) = delete;

  // The catalogue as of the directory's latest change.
  [[nodiscard]] std::shared_ptr<const careplan::ServiceCatalogue> current(store::Connection& db);
  [[nodiscard]] const careplan::Vocabulary& vocabulary() const noexcept { return vocabulary_; }

 private:
  LiveDirectory& directory_;
  const careplan::Vocabulary vocabulary_ = careplan::Vocabulary::standard();
  std::mutex mutex_;  // one build at a time; guards the two below
  std::shared_ptr<const careplan::ServiceCatalogue> catalogue_;
  std::int64_t built_for_ = -1;
};

}  // namespace bespoke::web
