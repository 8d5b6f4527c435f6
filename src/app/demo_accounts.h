#pragma once
// The demo town's ready accounts, one for every role (README lists them), all
// with the password bespoke-demo. They sign in only under `serve --demo`.
#include "store/database.h"

namespace bespoke::app {

inline constexpr const char* kDemoPassword = "bespoke-demo";

// Replaces the demo accounts of the place in db. Returns how many were made.
int add_demo_accounts(store::Connection& db);

}  // namespace bespoke::app
