#include "app/import_command.h"

#include "core/text.h"
#include "web/hsds/csv_package.h"
#include "web/hsds/json_read.h"
#include "hsds/taxonomy_files.h"
#include "hsds/validate.h"
#include "places/onspd.h"
#include "store/database.h"
#include "store/hsds_store.h"
#include "store/migrations.h"
#include "store/postcode_store.h"

#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

namespace bespoke::app {
namespace {

namespace fs = std::filesystem;
using SteadyClock = std::chrono::steady_clock;
using core::format_thousands;

// A bar on a terminal; otherwise a line at each quarter (only for big jobs, so
// logs stay short).
class ProgressBar {
 public:
  ProgressBar(std::string label, std::string unit, bool big)
      : label_(std::move(label)), unit_(std::move(unit)), tty_(isatty(STDERR_FILENO) == 1), big_(big),
        start_(SteadyClock::now()) {}

  void update(double fraction, std::int64_t done) {
    const auto now = SteadyClock::now();
    const double pct = std::clamp(fraction, 0.0, 1.0) * 100.0;
    const bool last = fraction >= 1.0;
    if (tty_) {
      if (!last && now - last_draw_ < std::chrono::milliseconds(100)) return;
      if (last && finished_) return;
      last_draw_ = now;
      finished_ = last;
      const double secs = std::chrono::duration<double>(now - start_).count();
      const auto rate = secs > 0 ? static_cast<std::int64_t>(static_cast<double>(done) / secs) : 0;
      constexpr int width = 30;
      const int filled = static_cast<int>(pct * width / 100);
      fmt::print(stderr, "\r[{}{}] {:5.1f}%  {}  {} {}  {} {}/s  {:.0f}s\033[K",
                 std::string(static_cast<std::size_t>(filled), '#'),
                 std::string(static_cast<std::size_t>(width - filled), '.'), pct, label_, format_thousands(done),
                 unit_, format_thousands(rate), unit_, secs);
      if (last) fmt::print(stderr, "\n");
    } else if (big_) {
      while (next_quarter_ <= 4 && pct >= next_quarter_ * 25.0) {
        fmt::print(stderr, "import: {} {}% ({} {})\n", label_, next_quarter_ * 25, format_thousands(done), unit_);
        ++next_quarter_;
      }
    }
    std::fflush(stderr);
  }

 private:
  std::string label_;
  std::string unit_;
  bool tty_;
  bool big_;
  SteadyClock::time_point start_;
  SteadyClock::time_point last_draw_{};
  bool finished_ = false;
  int next_quarter_ = 1;
};

constexpr std::size_t kBigImport = 10'000;  // records: from here on, progress lines without a terminal

std::optional<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return std::move(out).str();
}

void print_issues(const std::vector<hsds::Issue>& issues) {
  for (const auto& i : issues) fmt::print(stderr, "  {}: {}\n", i.path, i.message);
}

std::string_view plural(std::size_t n) { return n == 1 ? "" : "s"; }

// Errors refuse a record; warnings are printed and the record is stored as
// given (docs/directory.md, "Import: errors and warnings").
struct Sorted {
  std::vector<hsds::Issue> errors;
  std::vector<hsds::Issue> warnings;
};

Sorted sort_issues(std::vector<hsds::Issue> issues) {
  Sorted out;
  for (auto& i : issues) (i.is_error() ? out.errors : out.warnings).push_back(std::move(i));
  return out;
}

void print_warnings(const std::vector<hsds::Issue>& warnings, std::string_view what) {
  if (warnings.empty()) return;
  fmt::print(stderr, "import: {} warning{}; the {} are stored as given:\n", warnings.size(), plural(warnings.size()),
             what);
  print_issues(warnings);
}

// All or nothing: prints the errors (and the warnings) and returns false when
// there is any error.
bool accept_all(std::vector<hsds::Issue> issues, std::string_view command, std::string_view where,
                std::string_view what) {
  auto sorted = sort_issues(std::move(issues));
  if (sorted.errors.empty()) {
    print_warnings(sorted.warnings, what);
    return true;
  }
  fmt::print(stderr, "bespoke import {}: {} error{} found{}; nothing was written:\n", command, sorted.errors.size(),
             plural(sorted.errors.size()), where);
  print_issues(sorted.errors);
  if (!sorted.warnings.empty()) {
    fmt::print(stderr, "and {} warning{}, which alone would not stop the import:\n", sorted.warnings.size(),
               plural(sorted.warnings.size()));
    print_issues(sorted.warnings);
  }
  return false;
}

// Skip-invalid: prints what was left out and the warnings about the rest.
void report_skipped(std::vector<hsds::Issue> issues, std::size_t dropped, std::string_view where,
                    std::string_view what) {
  auto sorted = sort_issues(std::move(issues));
  if (!sorted.errors.empty()) {
    fmt::print(stderr, "import: {} error{} found{}; {} record{} left out:\n", sorted.errors.size(),
               plural(sorted.errors.size()), where, dropped, plural(dropped));
    print_issues(sorted.errors);
  }
  print_warnings(sorted.warnings, what);
}

// ---- import hsds ----

struct Input {
  hsds::RecordSet set;
  std::vector<hsds::Issue> issues;
  std::size_t files = 0;
};

bool is_package_folder(const fs::path& folder) {
  std::error_code ec;
  if (fs::exists(folder / "datapackage.json", ec)) return true;
  for (const auto& entry : fs::directory_iterator(folder, ec))
    if (entry.path().extension() == ".csv") return true;
  return false;
}

void read_json_file(const fs::path& path, bool named, Input& in) {
  const auto name = path.filename().string();
  if (hsds::is_api_details_file(name)) return;  // the API's root document holds no records
  const auto entity = hsds::entity_for_file(name);
  if (!entity) {
    if (named) {
      in.issues.push_back({path.string(), "cannot tell which HSDS records the file holds from its name "
                                          "(expected e.g. services.json, service_list.json, organization_full.json)"});
    } else {
      fmt::print(stderr, "import: skipping {}: not a file of HSDS records\n", path.string());
    }
    return;
  }
  const auto text = read_file(path);
  if (!text) {
    in.issues.push_back({path.string(), "cannot read the file"});
    return;
  }
  ++in.files;
  auto issues = hsds::read_json(*text, entity->get(), path.string(), in.set);
  in.issues.insert(in.issues.end(), issues.begin(), issues.end());
}

void read_path(const fs::path& path, Input& in) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    if (is_package_folder(path)) {
      for (const auto& entry : fs::directory_iterator(path, ec))
        if (entry.path().extension() == ".csv") ++in.files;
      auto issues = hsds::read_csv_package(path, in.set);
      in.issues.insert(in.issues.end(), issues.begin(), issues.end());
      return;
    }
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(path, ec))
      if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    if (files.empty()) in.issues.push_back({path.string(), "the folder holds no JSON files and no CSV package"});
    for (const auto& f : files) read_json_file(f, false, in);
    return;
  }
  if (!fs::is_regular_file(path, ec)) {
    in.issues.push_back({path.string(), "no such file or folder"});
    return;
  }
  if (path.extension() == ".csv") {
    const auto* entity = hsds::entity_for_csv_file(path.filename().string());
    std::ifstream file(path, std::ios::binary);
    if (!entity || !file) {
      in.issues.push_back({path.string(), entity ? "cannot read the file"
                                                 : "not a table of the HSDS tabular package (e.g. services.csv)"});
      return;
    }
    ++in.files;
    auto issues = hsds::read_csv_table(file, *entity, path.filename().string(), in.set);
    in.issues.insert(in.issues.end(), issues.begin(), issues.end());
    return;
  }
  read_json_file(path, true, in);
}

std::string summary_by_entity(const hsds::RecordSet& set) {
  std::string out;
  for (const auto& e : hsds::entities()) {
    const auto n = set.size(e);
    if (n == 0) continue;
    if (!out.empty()) out += ", ";
    out += fmt::format("{} {}", format_thousands(static_cast<std::int64_t>(n)), e.name);
  }
  return out;
}

// Upserts `set` and records one "*" change, in one write transaction.
// False (after printing why) when the database refuses it, e.g. a foreign key.
bool write_all(store::Connection& db, const hsds::RecordSet& set, const char* what) {
  try {
    store::Transaction tx(db, store::TxMode::write);
    ProgressBar bar("writing", "records", set.size() >= kBigImport);
    store::upsert_records(db, set, [&](std::size_t done, std::size_t total) {
      bar.update(total == 0 ? 1.0 : static_cast<double>(done) / static_cast<double>(total),
                 static_cast<std::int64_t>(done));
    });
    store::record_change(db, "*", "*");
    tx.commit();
    return true;
  } catch (const store::Failure& f) {
    if (f.kind() != store::FailureKind::constraint) throw;
    fmt::print(stderr, "bespoke import {}: the database refused the records, nothing was written: {}\n", what,
               f.what());
    return false;
  }
}

}  // namespace

int run_import_hsds(const ImportHsdsOptions& options) {
  auto db = store::open(options.db);
  store::migrate(*db);
  const auto start = SteadyClock::now();

  Input in;
  for (const auto& p : options.paths) read_path(p, in);
  const auto exists = [&](const hsds::Entity& e, std::string_view id) { return store::exists(*db, e, id); };

  std::size_t dropped = 0;
  if (!options.skip_invalid) {
    auto issues = std::move(in.issues);
    auto more = hsds::validate(in.set, exists);
    issues.insert(issues.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
    if (!accept_all(std::move(issues), "hsds", "", "records")) {
      fmt::print(stderr, "Fix the errors, or run again with --skip-invalid to import the valid records only.\n");
      return 1;
    }
  } else {
    // What the readers reported was skipped or repaired as it was read.
    auto validation = hsds::drop_invalid(in.set, exists);
    auto issues = std::move(in.issues);
    issues.insert(issues.end(), std::make_move_iterator(validation.issues.begin()),
                  std::make_move_iterator(validation.issues.end()));
    dropped = validation.dropped;
    report_skipped(std::move(issues), dropped, "", "records");
  }

  if (!in.set.empty() && !write_all(*db, in.set, "hsds")) return 1;
  const double secs = std::chrono::duration<double>(SteadyClock::now() - start).count();
  fmt::print("imported {} record{} from {} file{} into {} in {:.1f} s{}{}\n",
             format_thousands(static_cast<std::int64_t>(in.set.size())), in.set.size() == 1 ? "" : "s", in.files,
             in.files == 1 ? "" : "s", store::redact(options.db), secs, in.set.empty() ? "" : ": ",
             summary_by_entity(in.set));
  if (dropped > 0) fmt::print("left out {} invalid record{}\n", dropped, dropped == 1 ? "" : "s");
  return 0;
}

int run_import_taxonomy(const ImportTaxonomyOptions& options) {
  const auto text = read_file(options.file);
  if (!text) {
    fmt::print(stderr, "bespoke import taxonomy: cannot read {}\n", options.file);
    return 1;
  }
  std::string_view head(*text);
  if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);
  head = core::trim(head);
  const bool xml = head.starts_with("<");

  hsds::TaxonomyRead read;
  std::string name = options.name;
  if (xml) {
    if (!name.empty() && name != hsds::open_eligibility_name) {
      fmt::print(stderr,
                 "bespoke import taxonomy: {} is Open Eligibility XML, whose taxonomy is named {} (its ids derive "
                 "from that name); leave out --name or pass --name {}\n",
                 options.file, hsds::open_eligibility_name, hsds::open_eligibility_name);
      return 2;
    }
    name = std::string(hsds::open_eligibility_name);
    read = hsds::read_open_eligibility(*text);
    const auto& tax = hsds::entity("taxonomy");
    for (const auto* r : read.records.all(tax)) {
      hsds::Record copy = *r;
      if (!options.uri.empty()) copy.set("uri", options.uri);
      if (!options.description.empty()) copy.set("description", options.description);
      if (!options.version.empty()) copy.set("version", options.version);
      read.records.add(std::move(copy));
    }
  } else {
    if (name.empty()) {
      fmt::print(stderr, "bespoke import taxonomy: a term list needs --name, the taxonomy's CURIE prefix "
                         "(e.g. --name esdNeed)\n");
      return 2;
    }
    std::istringstream in(*text);
    read = hsds::read_term_list_csv(in, {name, options.description, options.uri, options.version},
                                    fs::path(options.file).filename().string());
  }

  auto db = store::open(options.db);
  store::migrate(*db);
  const auto exists = [&](const hsds::Entity& e, std::string_view id) { return store::exists(*db, e, id); };
  auto issues = std::move(read.issues);
  const auto where = fmt::format(" in {}", options.file);
  if (!options.skip_invalid) {
    auto more = hsds::validate(read.records, exists);
    issues.insert(issues.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
    if (!accept_all(std::move(issues), "taxonomy", where, "terms")) {
      fmt::print(stderr, "Fix the errors, or run again with --skip-invalid to import the terms that could be read.\n");
      return 1;
    }
  } else {
    auto validation = hsds::drop_invalid(read.records, exists);
    issues.insert(issues.end(), std::make_move_iterator(validation.issues.begin()),
                  std::make_move_iterator(validation.issues.end()));
    report_skipped(std::move(issues), validation.dropped, where, "terms");
  }
  if (read.records.empty()) {
    fmt::print(stderr, "bespoke import taxonomy: {} holds no terms; nothing was written\n", options.file);
    return 1;
  }
  if (!write_all(*db, read.records, "taxonomy")) return 1;
  const auto terms = read.records.size(hsds::entity("taxonomy_term"));
  fmt::print("imported taxonomy {} into {}: {} term{}\n", name, store::redact(options.db),
             format_thousands(static_cast<std::int64_t>(terms)), terms == 1 ? "" : "s");
  return 0;
}

int run_import_postcodes(const ImportPostcodesOptions& options) {
  std::ifstream file(options.file, std::ios::binary);
  if (!file) {
    fmt::print(stderr, "bespoke import postcodes: cannot read {}\n", options.file);
    return 1;
  }
  std::error_code ec;
  const auto size = fs::file_size(options.file, ec);
  auto db = store::open(options.db);
  store::migrate(*db);
  const auto start = SteadyClock::now();

  places::OnspdReader reader(file);
  constexpr std::size_t kBatch = 5000;
  std::vector<places::PostcodeRecord> batch;
  batch.reserve(kBatch);
  ProgressBar bar("loading", "postcodes", !ec && size >= 1'000'000);
  store::Transaction tx(*db, store::TxMode::write);
  const auto flush = [&] {
    store::upsert_postcodes(*db, batch);
    batch.clear();
    if (!ec && size > 0) {
      const auto at = file.tellg();
      const double fraction = at < 0 ? 1.0 : static_cast<double>(at) / static_cast<double>(size);
      bar.update(std::min(fraction, 0.999), reader.counts().loaded);
    }
  };
  places::PostcodeRecord record;
  for (;;) {
    auto got = reader.next(record);
    if (!got) {
      fmt::print(stderr, "bespoke import postcodes: {}: {}: {}; nothing was written\n", options.file,
                 got.error().field, got.error().message);
      return 1;
    }
    if (!*got) break;
    batch.push_back(record);
    if (batch.size() == kBatch) flush();
  }
  flush();
  tx.commit();
  bar.update(1.0, reader.counts().loaded);

  const auto& n = reader.counts();
  const double secs = std::chrono::duration<double>(SteadyClock::now() - start).count();
  fmt::print("postcodes from {} into {} in {:.1f} s: {} loaded, {} skipped without coordinates, {} terminated, "
             "{} not valid postcodes; {} in the database\n",
             options.file, store::redact(options.db), secs, format_thousands(n.loaded),
             format_thousands(n.no_coordinates), format_thousands(n.terminated), format_thousands(n.invalid),
             format_thousands(store::count_postcodes(*db)));
  return 0;
}

}  // namespace bespoke::app
