// The plan document's rules: its cost, the checks before saving and before
// agreement, and the comparison of two versions in words.
#include "careplan/plan.h"

#include "core/text.h"
#include "core/utf8.h"
#include "person/record.h"

#include <fmt/format.h>

#include <algorithm>

namespace bespoke::careplan {

std::string_view source_name(Source source) noexcept {
  switch (source) {
    case Source::service:
      return "service";
    case Source::informal:
      return "informal";
    case Source::own_idea:
      return "own_idea";
  }
  return "service";
}

std::optional<Source> parse_source(std::string_view name) noexcept {
  if (name == "service") return Source::service;
  if (name == "informal") return Source::informal;
  if (name == "own_idea") return Source::own_idea;
  return std::nullopt;
}

core::Pence Content::weekly_cost() const noexcept {
  core::Pence total;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const Line& line = lines[i];
    // One session that meets two needs appears as two lines and is paid once.
    const bool repeat =
        line.source != Source::own_idea &&
        std::any_of(lines.begin(), lines.begin() + static_cast<std::ptrdiff_t>(i), [&](const Line& earlier) {
          return earlier.source == line.source && earlier.ref == line.ref && earlier.when == line.when;
        });
    if (!repeat) total = total + line.weekly_cost;
  }
  return total;
}

namespace {

bool blank(std::string_view text) noexcept { return core::trim(text).empty(); }

std::string_view need_words(const std::string& label, const std::string& code) { return label.empty() ? code : label; }

void check_advice(std::vector<core::Error>& out, const char* field, const std::string& text, std::string_view what) {
  if (core::code_points(text) > kMaxAdviceChars) {
    out.push_back(
        core::Error::invalid(field, fmt::format("The advice on {} is too long: at most {} characters", what,
                                                core::format_thousands(static_cast<std::int64_t>(kMaxAdviceChars)))));
  }
}

bool any_eligible_need(const Content& c) {
  return std::any_of(c.lines.begin(), c.lines.end(), [](const Line& l) { return l.eligible; }) ||
         std::any_of(c.gaps.begin(), c.gaps.end(), [](const Gap& g) { return g.eligible; });
}

}  // namespace

std::vector<core::Error> content_problems(const Content& c) {
  std::vector<core::Error> out;

  // The budget.
  // Comparisons with a negative budget would only repeat that it is negative.
  const bool budget_negative = c.budget_weekly.value < 0;
  if (budget_negative) out.push_back(core::Error::invalid("budget", "The budget cannot be negative"));
  if (c.person_contribution.value < 0) {
    out.push_back(core::Error::invalid("budget", "The person's contribution cannot be negative"));
  } else if (!budget_negative && c.person_contribution > c.budget_weekly) {
    out.push_back(core::Error::invalid(
        "budget", fmt::format("The person's contribution of {} a week is more than the budget of {}",
                              core::format_pounds(c.person_contribution), core::format_pounds(c.budget_weekly))));
  }
  const core::Pence cost = c.weekly_cost();
  if (!budget_negative && cost > c.budget_weekly) {
    out.push_back(core::Error::invalid(
        "budget", fmt::format("The plan costs {} a week, {} more than the budget of {}", core::format_pounds(cost),
                              core::format_pounds(cost - c.budget_weekly), core::format_pounds(c.budget_weekly))));
  }

  // The lines.
  for (std::size_t i = 0; i < c.lines.size(); ++i) {
    const Line& line = c.lines[i];
    const std::size_t number = i + 1;
    if (blank(line.title)) {
      out.push_back(core::Error::invalid("lines", fmt::format("Support line {} has no title", number)));
    }
    if (blank(line.need_code)) {
      out.push_back(
          core::Error::invalid("lines", fmt::format("Support line {} does not say which need it meets", number)));
    }
    if (line.weekly_cost.value < 0) {
      out.push_back(core::Error::invalid("lines", fmt::format("Support line {} has a negative cost", number)));
    }
  }
  for (const Line& line : c.lines) {
    if (line.eligible && (line.needs_fallback || line.source != Source::service) && blank(line.fallback_ref)) {
      out.push_back(core::Error::invalid(
          "fallback", fmt::format("{} meets an eligible need, so the plan must name a council or commissioned service "
                                  "to fall back on",
                                  line.title)));
    }
  }

  // Advice, people.
  check_advice(out, "advice_meeting", c.advice_meeting, "meeting or reducing the needs");
  check_advice(out, "advice_preventing", c.advice_preventing, "preventing or delaying future needs");
  if (c.participants.size() > kMaxParticipants) {
    out.push_back(core::Error::invalid(
        "participants", fmt::format("Record at most {} people who took part in making the plan", kMaxParticipants)));
  }
  if (std::any_of(c.participants.begin(), c.participants.end(), [](const Participant& p) { return blank(p.name); })) {
    out.push_back(core::Error::invalid("participants", "Give the name of everyone who took part"));
  }
  if (c.advocate_present && blank(c.advocate_name)) {
    out.push_back(core::Error::invalid("advocate_name", "Give the advocate's name"));
  }
  // Names and roles are short; they are copied into every later version.
  const auto too_long = [](const std::string& text) { return core::code_points(text) > kMaxNameChars; };
  if (std::any_of(c.participants.begin(), c.participants.end(),
                  [&](const Participant& p) { return too_long(p.name) || too_long(p.role); })) {
    out.push_back(core::Error::invalid(
        "participants", fmt::format("Each name and role must be {} characters or fewer", kMaxNameChars)));
  }
  if (too_long(c.advocate_name)) {
    out.push_back(core::Error::invalid("advocate_name",
                                       fmt::format("The advocate's name must be {} characters or fewer", kMaxNameChars)));
  }
  if (core::code_points(c.direct_payment_needs) > kMaxAdviceChars) {
    out.push_back(core::Error::invalid("direct_payment_needs", "Which needs the direct payment covers is too long"));
  }

  // The direct payment.
  if (c.direct_payment_weekly.value < 0) {
    out.push_back(core::Error::invalid("direct_payment", "The direct payment cannot be negative"));
  } else if (!budget_negative && c.direct_payment_weekly > c.budget_weekly) {
    out.push_back(core::Error::invalid(
        "direct_payment",
        fmt::format("The direct payment of {} a week is more than the budget of {}",
                    core::format_pounds(c.direct_payment_weekly), core::format_pounds(c.budget_weekly))));
  }
  if (c.direct_payment_weekly.value > 0 && blank(c.direct_payment_needs)) {
    out.push_back(core::Error::invalid("direct_payment_needs", "Say which needs the direct payment covers"));
  }
  return out;
}

std::vector<core::Error> agreement_problems(const Content& c) {
  std::vector<core::Error> out = content_problems(c);
  // (1) The needs.
  if (c.lines.empty() && c.gaps.empty()) {
    out.push_back(core::Error::invalid("needs", "The plan must list the person's needs"));
  }
  // (2) is carried by each line's and gap's flag.
  // (3) The council meets every eligible need.
  for (const Gap& gap : c.gaps) {
    if (gap.eligible) {
      out.push_back(
          core::Error::invalid("lines", fmt::format("The council must meet every eligible need: {} has no support yet",
                                                    need_words(gap.need_label, gap.need_code))));
    }
  }
  // (4) The personal budget.
  if (c.budget_weekly.value == 0 && any_eligible_need(c)) {
    out.push_back(core::Error::invalid("budget", "Set the personal budget before the plan is agreed"));
  }
  // (5), (6) The advice.
  if (blank(c.advice_meeting)) {
    out.push_back(core::Error::invalid("advice_meeting", "Give advice on meeting or reducing the needs"));
  }
  if (blank(c.advice_preventing)) {
    out.push_back(core::Error::invalid("advice_preventing", "Give advice on preventing or delaying future needs"));
  }
  // (7) The direct payment's needs: already in content_problems().
  if (c.participants.empty()) {
    out.push_back(core::Error::invalid("participants", "Record who took part in making the plan"));
  }
  return out;
}

// ---- compare -----------------------------------------------------------------

namespace {

std::string_view source_words(Source source) noexcept {
  switch (source) {
    case Source::service:
      return "a service";
    case Source::informal:
      return "informal help";
    case Source::own_idea:
      return "the person's own idea";
  }
  return "a service";
}

std::string_view or_none(std::string_view text) noexcept { return text.empty() ? std::string_view("none") : text; }

std::string management_words(std::string_view code) {
  if (code.empty()) return "not set";
  for (const auto& choice : person::kBudgetManagement) {
    if (choice.code == code) return std::string(choice.label);
  }
  return std::string(code);
}

std::string advocate_words(const Content& c) {
  if (!c.advocate_present) return "none";
  return c.advocate_name.empty() ? "an advocate, name not recorded" : c.advocate_name;
}

std::string participant_words(const Participant& p) {
  return p.role.empty() ? p.name : fmt::format("{} ({})", p.name, p.role);
}

// The same support, perhaps changed: the same need and the same service or
// helper; an own idea (no ref) is known by its title.
bool same_support(const Line& a, const Line& b) {
  if (a.need_code != b.need_code || a.ref != b.ref) return false;
  return !a.ref.empty() || a.title == b.title;
}

std::string line_for(const Line& line) {
  return fmt::format("{} for {}", line.title, need_words(line.need_label, line.need_code));
}

// What changed in one line, or nothing when only the engine's words did.
std::optional<std::string> line_change(const Line& before, const Line& after) {
  std::vector<std::string> parts;
  if (before.title != after.title) parts.push_back(fmt::format("was {}", before.title));
  if (before.source != after.source) {
    parts.push_back(fmt::format("{} → {}", source_words(before.source), source_words(after.source)));
  }
  if (before.provider != after.provider) {
    parts.push_back(fmt::format("provider {} → {}", or_none(before.provider), or_none(after.provider)));
  }
  if (before.when != after.when) parts.push_back(fmt::format("{} → {}", or_none(before.when), or_none(after.when)));
  if (before.weekly_cost != after.weekly_cost) {
    parts.push_back(fmt::format("{} → {} a week", core::format_pounds(before.weekly_cost),
                                core::format_pounds(after.weekly_cost)));
  }
  if (before.eligible != after.eligible) {
    parts.push_back(after.eligible ? "now an eligible need" : "no longer an eligible need");
  }
  if (before.fallback_ref != after.fallback_ref || before.fallback_title != after.fallback_title) {
    parts.push_back(fmt::format("fallback {} → {}", or_none(before.fallback_title), or_none(after.fallback_title)));
  }
  if (parts.empty()) return std::nullopt;
  std::string text = fmt::format("Changed: {}: {}", line_for(after), parts.front());
  for (std::size_t i = 1; i < parts.size(); ++i) text += ", " + parts[i];
  return text;
}

void compare_lines(std::vector<std::string>& out, const std::vector<Line>& before, const std::vector<Line>& after) {
  std::vector<bool> matched(before.size(), false);
  auto find = [&](const Line& line, bool exact) -> std::optional<std::size_t> {
    for (std::size_t i = 0; i < before.size(); ++i) {
      if (!matched[i] && same_support(before[i], line) && (!exact || before[i] == line)) return i;
    }
    return std::nullopt;
  };
  for (const Line& line : after) {
    auto at = find(line, true);
    if (!at) at = find(line, false);
    if (!at) {
      out.push_back(fmt::format("Added: {} ({} a week)", line_for(line), core::format_pounds(line.weekly_cost)));
      continue;
    }
    matched[*at] = true;
    if (auto change = line_change(before[*at], line)) out.push_back(std::move(*change));
  }
  for (std::size_t i = 0; i < before.size(); ++i) {
    if (!matched[i]) out.push_back(fmt::format("Removed: {}", line_for(before[i])));
  }
}

std::string uncovered(const Gap& gap, std::string_view prefix) {
  const auto label = need_words(gap.need_label, gap.need_code);
  return gap.reason.empty() ? fmt::format("{}: {}", prefix, label)
                            : fmt::format("{}: {} ({})", prefix, label, gap.reason);
}

void compare_gaps(std::vector<std::string>& out, const std::vector<Gap>& before, const std::vector<Gap>& after) {
  auto find = [](const std::vector<Gap>& gaps, const std::string& code) {
    return std::find_if(gaps.begin(), gaps.end(), [&](const Gap& g) { return g.need_code == code; });
  };
  for (const Gap& gap : after) {
    const auto was = find(before, gap.need_code);
    if (was == before.end()) {
      out.push_back(uncovered(gap, "Uncovered"));
    } else if (was->reason != gap.reason || was->eligible != gap.eligible) {
      out.push_back(uncovered(gap, "Still uncovered"));
    }
  }
  for (const Gap& gap : before) {
    if (find(after, gap.need_code) == after.end()) {
      out.push_back(fmt::format("No longer uncovered: {}", need_words(gap.need_label, gap.need_code)));
    }
  }
}

void compare_participants(std::vector<std::string>& out, const std::vector<Participant>& before,
                          const std::vector<Participant>& after) {
  std::vector<bool> matched(before.size(), false);
  for (const Participant& p : after) {
    bool found = false;
    for (std::size_t i = 0; i < before.size() && !found; ++i) {
      if (!matched[i] && before[i] == p) matched[i] = found = true;
    }
    if (!found) out.push_back(fmt::format("Took part: {}", participant_words(p)));
  }
  for (std::size_t i = 0; i < before.size(); ++i) {
    if (!matched[i]) out.push_back(fmt::format("No longer listed as taking part: {}", participant_words(before[i])));
  }
}

std::string pounds_change(std::string_view what, core::Pence before, core::Pence after) {
  return fmt::format("{}: {} → {} a week", what, core::format_pounds(before), core::format_pounds(after));
}

}  // namespace

std::vector<std::string> compare(const Content& before, const Content& after) {
  std::vector<std::string> out;
  if (before.kind != after.kind) {
    out.push_back(after.kind == Kind::coproduced ? "Now a plan made with the person"
                                                 : "Now a default plan, proposed because none was agreed in time");
  }
  compare_lines(out, before.lines, after.lines);
  compare_gaps(out, before.gaps, after.gaps);
  if (before.budget_weekly != after.budget_weekly) {
    out.push_back(pounds_change("Budget", before.budget_weekly, after.budget_weekly));
  }
  if (before.person_contribution != after.person_contribution) {
    out.push_back(pounds_change("The person's contribution", before.person_contribution, after.person_contribution));
  }
  if (before.budget_management != after.budget_management) {
    out.push_back(fmt::format("How the budget is managed: {} → {}", management_words(before.budget_management),
                              management_words(after.budget_management)));
  }
  if (before.direct_payment_weekly != after.direct_payment_weekly) {
    out.push_back(pounds_change("Direct payment", before.direct_payment_weekly, after.direct_payment_weekly));
  }
  if (before.direct_payment_needs != after.direct_payment_needs) {
    out.push_back("Changed which needs the direct payment covers");
  }
  if (before.advice_meeting != after.advice_meeting) out.push_back("Changed the advice on meeting needs");
  if (before.advice_preventing != after.advice_preventing) {
    out.push_back("Changed the advice on preventing future needs");
  }
  compare_participants(out, before.participants, after.participants);
  if (advocate_words(before) != advocate_words(after)) {
    out.push_back(fmt::format("Advocate: {} → {}", advocate_words(before), advocate_words(after)));
  }
  return out;
}

}  // namespace bespoke::careplan
