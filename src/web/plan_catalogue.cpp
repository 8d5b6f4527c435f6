#include "web/plan_catalogue.h"

#include "store/directory_source.h"

namespace bespoke::web {

std::shared_ptr<const careplan::ServiceCatalogue> PlanCatalogue::current(store::Connection& db) {
  // Catches the directory up first, so that the change number is current.
  (void)directory_.current(db);
  const auto change = directory_.applied_change();
  std::lock_guard lock(mutex_);
  if (!catalogue_ || built_for_ != change) {
    const auto taxonomy = store::load_taxonomy(db);
    const auto entries = store::load_service_entries(db, taxonomy);
    catalogue_ = std::make_shared<const careplan::ServiceCatalogue>(taxonomy, entries, vocabulary_);
    built_for_ = change;
  }
  return catalogue_;
}

}  // namespace bespoke::web
