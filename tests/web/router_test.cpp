#include "web/router.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace bespoke::web {
namespace {

Response ok(const Request&, RequestContext&) { return Response::text(200, "ok"); }

TEST(Router, MatchesLiteralAndParameterSegments) {
  Router r;
  r.add("GET", "/services/{id}", policy::Action::read_public, ok);
  const Match m = r.match("GET", "/services/42");
  ASSERT_EQ(m.kind, Match::Kind::found);
  EXPECT_EQ(m.route->pattern, "/services/{id}");
  ASSERT_EQ(m.params.size(), 1u);
  EXPECT_EQ(m.params[0].first, "id");
  EXPECT_EQ(m.params[0].second, "42");
}

TEST(Router, RestParameterTakesTheRemainder) {
  Router r;
  r.add("GET", "/static/{file...}", policy::Action::read_public, ok);
  const Match m = r.match("GET", "/static/css/app.css");
  ASSERT_EQ(m.kind, Match::Kind::found);
  EXPECT_EQ(m.params.at(0).second, "css/app.css");
}

TEST(Router, TrailingSlashIsADifferentAddress) {
  Router r;
  r.add("GET", "/about", policy::Action::read_public, ok);
  EXPECT_EQ(r.match("GET", "/about/").kind, Match::Kind::not_found);
  EXPECT_EQ(r.match("GET", "/about/x").kind, Match::Kind::not_found);
}

TEST(Router, HeadMatchesGet) {
  Router r;
  r.add("GET", "/x", policy::Action::read_public, ok);
  EXPECT_EQ(r.match("HEAD", "/x").kind, Match::Kind::found);
}

TEST(Router, WrongMethodListsAllowedMethods) {
  Router r;
  r.add("GET", "/x", policy::Action::read_public, ok);
  r.add("POST", "/x", policy::Action::read_public, ok);
  const Match m = r.match("DELETE", "/x");
  EXPECT_EQ(m.kind, Match::Kind::method_not_allowed);
  EXPECT_EQ(m.allow, "GET, HEAD, POST");
}

TEST(Router, DuplicateRouteThrows) {
  Router r;
  r.add("GET", "/x", policy::Action::read_public, ok);
  EXPECT_THROW(r.add("GET", "/x", policy::Action::read_public, ok), std::logic_error);
}

TEST(Router, BodyLimitComesFromTheRoute) {
  Router r;
  RouteOptions small;
  small.body_limit = 10;
  r.add("POST", "/upload", policy::Action::read_public, ok, small);
  EXPECT_EQ(r.body_limit("POST", "/upload"), 10u);
  EXPECT_EQ(r.body_limit("POST", "/other"), RouteOptions{}.body_limit);
}

TEST(Router, InlineHandlerDefaultsToOff) {
  EXPECT_FALSE(RouteOptions{}.inline_handler);
}

}  // namespace
}  // namespace bespoke::web
