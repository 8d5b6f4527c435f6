#pragma once
// The home page: what Bespoke is, and the demo town's figures (with a chart and
// the same figures as tables), or how to generate a town when there is none.
#include "store/town_stats.h"
#include "web/http.h"

#include <kainjow/mustache.hpp>

#include <string>
#include <string_view>

namespace bespoke::web {

struct Caller;

class Views;

// The command that generates the demo town, shown when there is none.
inline constexpr std::string_view kDemoTownCommand = "bespoke demo --scale town --seed 1";

// "Council", "NHS", "Charity", "Community-led organisation", "Social enterprise",
// "Volunteer group", "Private company"; an unknown code is returned as it is.
[[nodiscard]] std::string provider_kind_label(std::string_view code);

// The values home.mustache shows (numbers already formatted, "12,345").
[[nodiscard]] kainjow::mustache::data home_view(const store::TownStats& stats);

// GET /: 200 text/html.
[[nodiscard]] Response render_home(const Views& views, const store::TownStats& stats, const Caller& caller);

}  // namespace bespoke::web
