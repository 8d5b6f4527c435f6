#include "app/plans_command.h"

#include "careplan/catalogue.h"
#include "careplan/plan.h"
#include "careplan/request.h"
#include "careplan/vocabulary.h"
#include "core/text.h"
#include "core/time.h"
#include "plans/plans.h"
#include "store/care_team_store.h"
#include "store/database.h"
#include "store/directory_source.h"
#include "store/migrations.h"
#include "store/person_store.h"
#include "store/plan_store.h"
#include "store/reach_store.h"
#include "store/resident_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include <unistd.h>

namespace bespoke::app {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kBatch = 256;         // people read, proposed and written per round
constexpr std::size_t kProposeThreads = 2;  // the calling thread and one more

// "\r[#####...............] 1234/5000 people, 12 s" on standard error, at
// most ten times a second, and only when it is a terminal.
class ProgressBar {
 public:
  explicit ProgressBar(std::size_t total) : total_(total), enabled_(isatty(STDERR_FILENO) == 1 && total > 0) {}
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;
  ~ProgressBar() { finish(); }

  void update(std::size_t done) {
    if (!enabled_) return;
    const auto now = Clock::now();
    if (drawn_ && done < total_ && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    drawn_ = true;
    constexpr std::size_t kWidth = 20;
    const std::size_t filled = total_ == 0 ? kWidth : std::min(kWidth, done * kWidth / total_);
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now - start_).count();
    fmt::print(stderr, "\r[{}{}] {}/{} people, {} s", std::string(filled, '#'), std::string(kWidth - filled, '.'),
               done, total_, seconds);
    std::fflush(stderr);
  }

  // Ends the line, so that what follows starts on its own.
  void finish() {
    if (!drawn_) return;
    fmt::print(stderr, "\n");
    std::fflush(stderr);
    drawn_ = false;
  }

 private:
  std::size_t total_;
  bool enabled_;
  bool drawn_ = false;
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_{};
};

// One person's way through the batch.
struct Job {
  store::DefaultCandidate candidate;
  careplan::PersonFacts facts;
  std::vector<std::string> labels;
  std::optional<plans::PlanRequest> request;
  careplan::Content content;
  std::string skipped;  // why no plan was proposed; empty: one was
};

// The vocabulary's need labels, with the person's record's words where it has them.
std::vector<std::string> need_labels(const careplan::Vocabulary& vocabulary, const store::ResidentRecord& record) {
  std::vector<std::string> labels(vocabulary.needs);
  for (const auto& n : record.needs)
    if (const auto i = vocabulary.need(n.code)) labels[*i] = n.label;
  return labels;
}

// Reads what the engine needs about the person (calling thread: the connection's).
void prepare(store::Connection& db, Job& job, const careplan::ServiceCatalogue& catalogue,
             const careplan::Vocabulary& vocabulary, core::Timestamp now) {
  const auto record = store::read_resident(db, job.candidate.resident_id);
  if (!record) {
    job.skipped = "no record";
    return;
  }
  job.facts = store::planning_facts(db, *record, now);
  job.labels = need_labels(vocabulary, *record);
  auto request = careplan::request_for(job.facts, catalogue, vocabulary);
  if (!request) {
    job.skipped = "record not usable for planning (" + request.error().field + ")";
    return;
  }
  job.request = std::move(*request);
}

// The engine's proposal as a default plan (any thread: no database).
void propose(Job& job, const careplan::ServiceCatalogue& catalogue, const careplan::Vocabulary& vocabulary) {
  if (!job.skipped.empty()) return;
  try {
    plans::ProposeOptions options;
    options.compare = 1;  // nobody compares options here: the plan is the proposal
    const auto proposal = plans::propose(catalogue.engine(), *job.request, options);
    job.content = careplan::draft_from(proposal, *job.request, job.facts, catalogue, vocabulary, job.labels);
    job.content.kind = careplan::Kind::default_plan;
    job.content.advice_meeting.clear();
    job.content.advice_preventing.clear();
    const auto problems = careplan::content_problems(job.content);
    if (!problems.empty()) job.skipped = "proposal not valid as a plan (" + problems.front().field + ")";
  } catch (const std::exception&) {  // the engine refused the request: a bug, or a record it cannot plan for
    job.skipped = "the plan engine refused the request";
  }
}

void propose_all(std::vector<Job>& jobs, const careplan::ServiceCatalogue& catalogue,
                 const careplan::Vocabulary& vocabulary) {
  const auto share = [&](std::size_t first) {
    for (std::size_t i = first; i < jobs.size(); i += kProposeThreads) propose(jobs[i], catalogue, vocabulary);
  };
  std::vector<std::jthread> helpers;
  for (std::size_t t = 1; t < kProposeThreads && t < jobs.size(); ++t) helpers.emplace_back(share, t);
  share(0);
}  // the helpers join here

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
  return core::format_thousands(static_cast<std::int64_t>(n)) + " " + std::string(n == 1 ? one : many);
}

}  // namespace

int run_propose_defaults(const ProposeDefaultsOptions& options) {
  const auto started = Clock::now();
  auto db = store::open(options.db);
  store::require_current_schema(*db);
  const auto now = core::SystemTime{}.now();
  const auto cutoff = core::to_iso8601(now - std::chrono::days(std::max(0, options.after_days)));
  const auto candidates = store::residents_needing_default_plans(*db, cutoff);

  std::size_t proposed = 0;
  std::map<std::string, std::size_t> skipped;  // by reason
  if (!candidates.empty()) {
    const auto vocabulary = careplan::Vocabulary::standard();
    const auto taxonomy = store::load_taxonomy(*db);
    const auto entries = store::load_service_entries(*db, taxonomy);
    const careplan::ServiceCatalogue catalogue(taxonomy, entries, vocabulary);
    ProgressBar progress(candidates.size());
    progress.update(0);
    std::size_t done = 0;
    for (std::size_t first = 0; first < candidates.size(); first += kBatch) {
      std::vector<Job> jobs;
      for (std::size_t i = first; i < std::min(candidates.size(), first + kBatch); ++i) {
        Job job;
        job.candidate = candidates[i];
        prepare(*db, job, catalogue, vocabulary, now);
        jobs.push_back(std::move(job));
      }
      propose_all(jobs, catalogue, vocabulary);
      for (auto& job : jobs) {
        if (job.skipped.empty()) {
          const auto saved = store::save_plan_version(*db, job.candidate.resident_id, job.candidate.latest_version,
                                                      job.content, store::Actor{0, "system"}, now);
          if (std::holds_alternative<store::StaleVersion>(saved)) job.skipped = "plan changed meanwhile";
          else ++proposed;
        }
        if (!job.skipped.empty()) ++skipped[job.skipped];
        progress.update(++done);
      }
    }
    progress.finish();
  }

  std::size_t skipped_total = 0;
  std::string reasons;
  for (const auto& [reason, n] : skipped) {
    skipped_total += n;
    reasons += (reasons.empty() ? ": " : ", ") + core::format_thousands(static_cast<std::int64_t>(n)) + " " + reason;
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  fmt::print("proposed {} in {:.1f} s ({} skipped{})\n", plural(proposed, "default plan", "default plans"), seconds,
             core::format_thousands(static_cast<std::int64_t>(skipped_total)), reasons);
  return 0;
}

}  // namespace bespoke::app
