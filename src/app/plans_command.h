#pragma once
// `bespoke plans propose-defaults`: nobody left behind. Everyone whose latest
// assessment is more than --after-days old, who has needs and no agreed plan,
// and who has had no default plan since that assessment
// (store::residents_needing_default_plans) gets one: the plan engine's
// proposal for them, from their record, saved as a new version of their plan
// marked as a default plan, by Bespoke itself (Actor{0, "system"}), with the
// advice left for the people who make the plan with them.
#include <string>

namespace bespoke::app {

struct ProposeDefaultsOptions {
  std::string db;
  int after_days = 28;  // days after the assessment before a default plan is proposed
};

// Reads each person on the calling thread, proposes on two threads (the
// engine and the catalogue are read-only), and writes on the calling thread,
// each plan in its own transaction, so a person whose plan someone saved
// meanwhile is skipped and their plan kept. A progress bar on standard error
// when it is a terminal; a summary line on standard output:
//   proposed N default plans in S s (M skipped: counts by reason)
// Exit status 0; a database that cannot be opened or is not at this program's
// schema is an exception (main: exit 1).
int run_propose_defaults(const ProposeDefaultsOptions& options);

}  // namespace bespoke::app
