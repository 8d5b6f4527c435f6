#pragma once
// The web site as one object graph, built once at start-up: assets, views,
// error pages, metrics, caches and the route table that ties them together.
// `bespoke serve` serves it; `bespoke routes` prints its table.
#include "accounts/passwords.h"
#include "core/time.h"
#include "web/auth/authenticator.h"
#include "web/auth/guard.h"
#include "web/errors.h"
#include "web/live_directory.h"
#include "web/plan_catalogue.h"
#include "web/metrics.h"
#include "web/router.h"
#include "web/static_files.h"
#include "web/town_stats_cache.h"
#include "web/views.h"

#include <filesystem>

namespace bespoke::web {

class Site {
 public:
  // Throws when the assets or templates cannot be loaded.
  Site(const std::filesystem::path& static_dir, AuthOptions auth_options);
  Site(const Site&) = delete;
  Site& operator=(const Site&) = delete;

  [[nodiscard]] const Router& router() const noexcept { return router_; }
  [[nodiscard]] Metrics& metrics() noexcept { return metrics_; }
  [[nodiscard]] const ErrorPages& errors() const noexcept { return errors_; }
  // The directory's search index: `serve` loads it before listening; if it
  // has not, the first search builds it.
  [[nodiscard]] LiveDirectory& directory() noexcept { return directory_; }

 private:
  // Declaration order is construction order: each part needs the ones above it.
  StaticFiles statics_;
  Views views_;
  ErrorPages errors_;
  Metrics metrics_;
  TownStatsCache town_stats_;
  LiveDirectory directory_;
  PlanCatalogue plan_catalogue_{directory_};
  core::SystemTime clock_;
  accounts::PasswordRules password_rules_;
  Authenticator auth_;
  Guard guard_;
  Router router_;
};

}  // namespace bespoke::web
