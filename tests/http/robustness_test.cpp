// Bad input and bad conditions against the real program: each gets the right
// status and a clear message, the server keeps serving, nothing is half-written.
// ../shared/domain/reliability.md §6 lists the checks these mirror.
#include "http/server_process.h"
#include "http/test_env.h"
#include "store/database.h"

#include <gtest/gtest.h>

#include <sys/mount.h>
#include <unistd.h>

#include <filesystem>

namespace bespoke::testing {
namespace {

const std::vector<std::pair<std::string, std::string>> kJson{{"Content-Type", "application/json"}};

TEST(Robustness, OversizeHeadersUrlsAndBodiesGetTheirOwnStatus) {
  ServerProcess server(temp_sqlite_path("oversize"));
  EXPECT_EQ(http(server.port(), "GET", "/", {{"X-Big", std::string(70'000, 'a')}}).status, 431);
  EXPECT_EQ(http(server.port(), "GET", "/" + std::string(70'000, 'a')).status, 414);
  {
    // 413 is decided from Content-Length, before the body is read: we never send it.
    RawConnection c(server.port());
    c.send("POST /api/v1/feedback HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
           "Content-Length: 20000000\r\n\r\n");
    const auto r = c.read_reply(std::chrono::milliseconds(5000));
    EXPECT_EQ(r.status, 413);
    EXPECT_EQ(r.header("content-type"), "application/problem+json");
  }
  {
    RawConnection c(server.port());
    c.send("POST /api/v1/feedback HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\r\n");
    EXPECT_EQ(c.read_reply(std::chrono::milliseconds(5000)).status, 411);
  }
  {
    RawConnection c(server.port());
    c.send("THIS IS NOT HTTP\r\n\r\n");
    EXPECT_EQ(c.read_reply(std::chrono::milliseconds(5000)).status, 400);
  }
  EXPECT_EQ(http(server.port(), "GET", "/healthz").status, 200);
}

TEST(Robustness, TricklingHeadersMeetsAnAbsoluteDeadline) {
  ServerProcess server(temp_sqlite_path("slow"), {"--header-timeout-ms", "1000"});
  RawConnection c(server.port());
  const std::string request = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + std::string(40, 'a');
  const auto start = std::chrono::steady_clock::now();
  bool closed = false;
  for (char ch : request) {
    if (!c.send(std::string(1, ch))) {
      closed = true;
      break;
    }
    if (c.closed_within(std::chrono::milliseconds(150))) {
      closed = true;
      break;
    }
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(closed) << "a byte every 150 ms kept the connection open";
  EXPECT_LT(elapsed, std::chrono::milliseconds(3000));
  EXPECT_EQ(http(server.port(), "GET", "/healthz").status, 200);
}

TEST(Robustness, TricklingABodyMeetsAnAbsoluteDeadline) {
  ServerProcess server(temp_sqlite_path("slowbody"), {"--body-timeout-ms", "1000"});
  RawConnection c(server.port());
  c.send("POST /api/v1/feedback HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
         "Content-Length: 100\r\n\r\n");
  const auto start = std::chrono::steady_clock::now();
  bool closed = false;
  for (int i = 0; i < 100 && !closed; ++i) {  // all 100 bytes would take 15 s
    closed = !c.send(" ") || c.closed_within(std::chrono::milliseconds(150));
  }
  EXPECT_TRUE(closed) << "a byte every 150 ms kept the body open";
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(6000));
  EXPECT_EQ(http(server.port(), "GET", "/healthz").status, 200);
}

TEST(Robustness, AJsonObjectWithTensOfThousandsOfKeysIsRefusedQuickly) {
  ServerProcess server(temp_sqlite_path("keys"));
  std::string body = "{";
  for (int i = 60'000; i > 0; --i) body += "\"k" + std::to_string(i) + "\":0,";
  body.back() = '}';
  const auto start = std::chrono::steady_clock::now();
  const auto r = http(server.port(), "POST", "/api/v1/feedback", kJson, body);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(5000));
}

TEST(Robustness, ConnectionsFromOneAddressAreCapped) {
  ServerProcess server(temp_sqlite_path("cap"), {"--max-connections-per-address", "4"});
  std::vector<std::unique_ptr<RawConnection>> held;
  for (int i = 0; i < 4; ++i) {
    held.push_back(std::make_unique<RawConnection>(server.port()));
    // Each held connection proves it is admitted before the next opens.
    held.back()->send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    ASSERT_EQ(held.back()->read_reply().status, 200);
  }
  RawConnection extra(server.port());
  extra.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(extra.read_reply(std::chrono::milliseconds(5000)).status, 503);
  held.clear();
  EXPECT_TRUE(eventually([&] { return http(server.port(), "GET", "/healthz").status == 200; }));
}

TEST(Robustness, ALockedSqliteDatabaseGives503AndNothingIsWritten) {
  const std::string db = temp_sqlite_path("locked");
  ServerProcess server(db, {"--busy-timeout-ms", "200"});
  {
    auto holder = store::open(db);
    store::Transaction lock(*holder, store::TxMode::write);  // BEGIN IMMEDIATE: holds the write lock
    const auto r = http(server.port(), "POST", "/api/v1/feedback", kJson, R"({"satisfaction":"neither"})");
    EXPECT_EQ(r.status, 503) << r.body;
    EXPECT_FALSE(r.header("retry-after").empty());
    EXPECT_EQ(http(server.port(), "GET", "/healthz").status, 200);
  }
  EXPECT_EQ(http(server.port(), "POST", "/api/v1/feedback", kJson, R"({"satisfaction":"neither"})").status, 201);
  auto check = store::open(db);
  EXPECT_EQ(std::get<std::int64_t>(*check->scalar("SELECT COUNT(*) FROM site_feedback")), 1);
}

TEST(Robustness, AFullDiskGives507AndKeepsEveryAcknowledgedWrite) {
  if (geteuid() != 0) {
    if (std::getenv("BESPOKE_REQUIRE_ROOT_TESTS")) FAIL() << "needs root to mount a tmpfs";
    GTEST_SKIP() << "needs root to mount a small tmpfs";
  }
  const auto dir = std::filesystem::temp_directory_path() / ("bespoke-full-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  // Room for the schema (migrations make some forty tables and indexes) and a
  // few thousand feedback rows, not for the 5 MB the loop below tries to write.
  ASSERT_EQ(mount("tmpfs", dir.c_str(), "tmpfs", 0, "size=4m"), 0) << "mount failed";
  struct Unmount {
    std::filesystem::path d;
    ~Unmount() {
      umount2(d.c_str(), MNT_DETACH);
      std::filesystem::remove_all(d);
    }
  } unmount{dir};
  const std::string db = (dir / "full.db").string();
  int acknowledged = 0;
  int full_status = 0;
  {
    ServerProcess server(db);
    const std::string comment(1000, 'z');
    for (int i = 0; i < 5000; ++i) {
      const auto r = http(server.port(), "POST", "/api/v1/feedback", kJson,
                          R"({"satisfaction":"satisfied","comment":")" + comment + "\"}");
      if (r.status == 201) {
        ++acknowledged;
        continue;
      }
      full_status = r.status;
      EXPECT_EQ(r.header("content-type"), "application/problem+json");
      break;
    }
    EXPECT_EQ(full_status, 507);
    EXPECT_GT(acknowledged, 0);
    EXPECT_EQ(http(server.port(), "GET", "/healthz").status, 200);
    EXPECT_EQ(http(server.port(), "GET", "/feedback").status, 200);
  }
  auto check = store::open(db);
  EXPECT_EQ(std::get<std::string>(*check->scalar("PRAGMA integrity_check")), "ok");
  EXPECT_EQ(std::get<std::int64_t>(*check->scalar("SELECT COUNT(*) FROM site_feedback")), acknowledged);
}

TEST(Robustness, ADatabaseThatIsDownMakesReadyzFailButTheProcessServes) {
  // A PostgreSQL URL where nothing listens.
  ServerProcess server("postgresql:///nothing?host=/nonexistent-socket-dir&port=1&connect_timeout=1");
  EXPECT_EQ(http(server.port(), "GET", "/healthz").status, 200);
  EXPECT_EQ(http(server.port(), "GET", "/readyz").status, 503);
  const auto page = http(server.port(), "GET", "/");
  EXPECT_EQ(page.status, 503);
  EXPECT_NE(page.body.find("govuk-heading-l"), std::string::npos);
  const auto api = http(server.port(), "POST", "/api/v1/feedback", kJson, R"({"satisfaction":"neither"})");
  EXPECT_EQ(api.status, 503);
  EXPECT_EQ(api.header("content-type"), "application/problem+json");
}

TEST(Robustness, ServeRefusesADatabaseNewerThanItself) {
  const std::string db = temp_sqlite_path("newer");
  ASSERT_EQ(run_bespoke({"migrate", "--db", db}).exit_code, 0);
  {
    auto c = store::open(db);
    c->execute("INSERT INTO schema_migration (version, name, applied_at) VALUES (9999, 'from the future', 'x')");
  }
  const auto r = run_bespoke({"serve", "--listen", "127.0.0.1:0", "--db", db}, std::chrono::seconds(20));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("newer"), std::string::npos) << r.output;
}

TEST(Command, WrongFlagsExitWithStatus2AndHelpWorksEverywhere) {
  const auto wrong = run_bespoke({"serve", "--no-such-flag"});
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_NE(wrong.output.find("no-such-flag"), std::string::npos) << wrong.output;
  EXPECT_EQ(run_bespoke({"demo", "--scale", "galaxy"}).exit_code, 2);
  EXPECT_EQ(run_bespoke({}).exit_code, 2);
  for (const char* cmd : {"serve", "demo", "migrate", "version"}) {
    const auto help = run_bespoke({cmd, "--help"});
    EXPECT_EQ(help.exit_code, 0) << cmd;
    EXPECT_NE(help.output.find("--help"), std::string::npos) << cmd;
  }
  const auto version = run_bespoke({"version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_NE(version.output.find("schema version"), std::string::npos);
}

TEST(Command, MigrateIsIdempotent) {
  const std::string db = temp_sqlite_path("migrate");
  const auto first = run_bespoke({"migrate", "--db", db});
  EXPECT_EQ(first.exit_code, 0) << first.output;
  const auto second = run_bespoke({"migrate", "--db", db});
  EXPECT_EQ(second.exit_code, 0);
  EXPECT_NE(second.output.find("0 migrations applied"), std::string::npos) << second.output;
}

}  // namespace
}  // namespace bespoke::testing
