#include "hsds/validate.h"

#include "core/ids.h"
#include "core/text.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <deque>
#include <set>

namespace bespoke::hsds {
namespace {

bool digits(std::string_view s, std::size_t from, std::size_t count) {
  if (from + count > s.size()) return false;
  for (std::size_t i = from; i < from + count; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

int number_at(std::string_view s, std::size_t from, std::size_t count) {
  int n = 0;
  for (std::size_t i = from; i < from + count; ++i) n = n * 10 + (s[i] - '0');
  return n;
}

// HH:MM, then optionally :SS and a fraction; returns the characters used (0 = invalid).
std::size_t clock_time(std::string_view s, bool need_seconds) {
  if (!digits(s, 0, 2) || s.size() < 5 || s[2] != ':' || !digits(s, 3, 2)) return 0;
  if (number_at(s, 0, 2) > 23 || number_at(s, 3, 2) > 59) return 0;
  std::size_t n = 5;
  if (s.size() > 5 && s[5] == ':') {
    if (!digits(s, 6, 2) || number_at(s, 6, 2) > 60) return 0;  // 60: a leap second
    n = 8;
    if (s.size() > 8 && s[8] == '.') {
      n = 9;
      while (n < s.size() && std::isdigit(static_cast<unsigned char>(s[n]))) ++n;
      if (n == 9) return 0;
    }
  } else if (need_seconds) {
    return 0;
  }
  return n;
}

// "", "Z", "+HH:MM" or "-HH:MM".
bool offset(std::string_view s, bool optional) {
  if (s.empty()) return optional;
  if (s == "Z" || s == "z") return true;
  if (s.size() != 6 || (s[0] != '+' && s[0] != '-') || !digits(s, 1, 2) || s[3] != ':' || !digits(s, 4, 2))
    return false;
  return number_at(s, 1, 2) <= 23 && number_at(s, 4, 2) <= 59;
}

bool scheme_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.'; }

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_blank(const Value& v) {
  if (std::holds_alternative<std::monostate>(v)) return true;
  const auto* s = std::get_if<std::string>(&v);
  return s && s->empty();
}

constexpr std::string_view non_negative_fields[] = {"minimum_age", "maximum_age", "amount", "available", "maximum"};

bool exists_anywhere(const Entity& target, std::string_view id, const RecordSet& set, const ExistsFn& exists) {
  return set.contains(target, id) || (exists && exists(target, id));
}

}  // namespace

bool is_absolute_uri(std::string_view s) noexcept {
  const auto colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0 || !std::isalpha(static_cast<unsigned char>(s[0])))
    return false;
  for (std::size_t i = 0; i < colon; ++i)
    if (!scheme_char(s[i])) return false;
  for (const char c : s)
    if (static_cast<unsigned char>(c) <= ' ' || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' ||
        c == '`' || c == '{' || c == '|' || c == '}' || c == 0x7f)
      return false;
  const auto scheme = lower(s.substr(0, colon));
  const auto rest = s.substr(colon + 1);
  if (scheme == "http" || scheme == "https" || scheme == "ftp" || scheme == "ws" || scheme == "wss") {
    // An authority with a host: "//host[:port][/path]".
    if (!rest.starts_with("//")) return false;
    const auto authority = rest.substr(2, rest.find_first_of("/?#", 2) - 2);
    const auto userinfo_end = authority.rfind('@');
    auto host = userinfo_end == std::string_view::npos ? authority : authority.substr(userinfo_end + 1);
    if (!host.starts_with('[')) host = host.substr(0, host.find(':'));
    return !host.empty();
  }
  return !rest.empty();
}

bool is_date(std::string_view s) noexcept {
  if (s.size() != 10 || !digits(s, 0, 4) || s[4] != '-' || !digits(s, 5, 2) || s[7] != '-' || !digits(s, 8, 2))
    return false;
  const int year = number_at(s, 0, 4), month = number_at(s, 5, 2), day = number_at(s, 8, 2);
  if (month < 1 || month > 12 || day < 1) return false;
  static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= days[month - 1] + (month == 2 && leap ? 1 : 0);
}

bool is_time(std::string_view s) noexcept {
  const auto n = clock_time(s, false);
  return n != 0 && offset(s.substr(n), true);
}

bool is_date_time(std::string_view s) noexcept {
  if (s.size() < 11 || !is_date(s.substr(0, 10)) || (s[10] != 'T' && s[10] != 't')) return false;
  const auto rest = s.substr(11);
  const auto n = clock_time(rest, true);
  return n != 0 && offset(rest.substr(n), false);
}

std::string field_path(const Record& record, std::string_view field) {
  if (record.source.empty()) return fmt::format("{}/{}/{}", record.entity->name, record.id(), field);
  if (record.source.find(".csv:") != std::string::npos) return fmt::format("{}:{}", record.source, field);
  return fmt::format("{}/{}", record.source, field);
}

std::vector<Issue> validate_record(const Record& record, const RecordSet& set, const ExistsFn& exists) {
  std::vector<Issue> issues;
  const Entity& entity = *record.entity;
  auto error = [&](std::string_view field, std::string message) {
    issues.push_back({field_path(record, field), std::move(message), Severity::error});
  };
  auto warning = [&](std::string_view field, std::string message) {
    issues.push_back({field_path(record, field), std::move(message), Severity::warning});
  };
  for (std::size_t i = 0; i < entity.fields.size(); ++i) {
    const Field& field = entity.fields[i];
    const Value& value = record.values[i];
    if (is_blank(value)) {
      if (!field.required) continue;
      // The schemas require identifier_type but describe it as "a human-readable
      // equivalent of the identifier_scheme", for schemes org-id.guide lacks:
      // with a scheme, the identifier says what it is.
      const auto scheme = entity.name == "organization_identifier" && field.name == "identifier_type"
                              ? record.text("identifier_scheme")
                              : std::nullopt;
      if (scheme && !scheme->empty())
        warning(field.name, fmt::format("identifier_type is required; the identifier_scheme \"{}\" stands in for it",
                                        *scheme));
      else
        error(field.name, fmt::format("{} is required", field.name));
      continue;
    }
    if (const auto* number = std::get_if<double>(&value)) {
      if (field.type != FieldType::number) {
        error(field.name, fmt::format("{} must be text, not a number", field.name));
        continue;
      }
      // The schemas give no bounds: these are ours.
      if (field.name == "latitude" && (*number < -90 || *number > 90))
        warning(field.name, fmt::format("latitude {} is outside -90 to 90", *number));
      if (field.name == "longitude" && (*number < -180 || *number > 180))
        warning(field.name, fmt::format("longitude {} is outside -180 to 180", *number));
      if (*number < 0 &&
          std::find(std::begin(non_negative_fields), std::end(non_negative_fields), field.name) !=
              std::end(non_negative_fields))
        warning(field.name, fmt::format("{} must not be negative", field.name));
      continue;
    }
    const auto& text = std::get<std::string>(value);
    if (field.type == FieldType::number) {
      error(field.name, fmt::format("{} must be a number", field.name));
      continue;
    }
    bool ok = true;
    std::string_view what;
    switch (field.type) {
      case FieldType::uuid: ok = core::is_uuid(text); what = "a UUID"; break;
      case FieldType::email: ok = core::is_email(text); what = "an email address"; break;
      case FieldType::uri: ok = is_absolute_uri(text); what = "an absolute URI"; break;
      case FieldType::date: ok = is_date(text); what = "a date (YYYY-MM-DD)"; break;
      case FieldType::time: ok = is_time(text); what = "a time (HH:MM or HH:MM:SS)"; break;
      case FieldType::date_time: ok = is_date_time(text); what = "an RFC 3339 date-time"; break;
      case FieldType::string:
      case FieldType::number: break;
    }
    if (!ok && field.type == FieldType::uuid) {
      // HSDS asks for UUIDs, but an id only has to tell records apart and let
      // them point at each other, which any text does.
      warning(field.name, fmt::format("{} \"{}\" is not {}", field.name, text, what));
    } else if (!ok) {
      error(field.name, fmt::format("{} \"{}\" is not {}", field.name, text, what));
      continue;
    }
    if (!field.allowed.empty() && std::find(field.allowed.begin(), field.allowed.end(), text) == field.allowed.end())
      error(field.name, fmt::format("{} \"{}\" is not one of: {}", field.name, text, fmt::join(field.allowed, ", ")));
    if (!field.references.empty()) {
      const Entity& target = hsds::entity(field.references);
      if (!exists_anywhere(target, text, set, exists))
        warning(field.name, fmt::format("{} \"{}\": there is no {} with that id", field.name, text, target.name));
    }
  }
  // A polymorphic link names its entity, which must be one, and must resolve.
  for (const auto& [link, named] : {std::pair<std::string_view, std::string_view>{"link_id", "link_entity"},
                                    std::pair<std::string_view, std::string_view>{"resource_id", "resource_type"}}) {
    if (!entity.field(named)) continue;
    const auto id = record.text(link);
    const auto target_name = record.text(named);
    if (!target_name || target_name->empty()) continue;
    const Entity* target = find_entity(*target_name);
    if (!target) {
      warning(named, fmt::format("{} \"{}\" is not an HSDS entity, so the {} belongs to no record", named,
                                 *target_name, entity.name));
      continue;
    }
    if (!id || id->empty()) continue;
    if (!exists_anywhere(*target, *id, set, exists))
      warning(link, fmt::format("{} \"{}\": there is no {} with that id", link, *id, target->name));
  }
  const auto min_age = record.number("minimum_age");
  const auto max_age = record.number("maximum_age");
  if (min_age && max_age && *min_age > *max_age)
    warning("minimum_age", fmt::format("minimum_age {} is above maximum_age {}", *min_age, *max_age));
  return issues;
}

std::vector<Issue> validate(const RecordSet& set, const ExistsFn& exists) {
  std::vector<Issue> issues;
  for (const Entity& entity : entities())
    for (const Record* record : set.all(entity)) {
      auto found = validate_record(*record, set, exists);
      issues.insert(issues.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
    }
  return issues;
}

Validation drop_invalid(RecordSet& set, const ExistsFn& exists) {
  Validation result;
  for (;;) {
    // Records with errors, then everything that hangs off them through owned
    // links. The warnings are kept from the last round only: the records that
    // remain.
    std::vector<const Record*> doomed;
    std::set<const Record*> seen;
    std::vector<Issue> warnings;
    for (const Entity& entity : entities())
      for (const Record* record : set.all(entity)) {
        auto found = validate_record(*record, set, exists);
        const bool invalid = std::any_of(found.begin(), found.end(), [](const Issue& i) { return i.is_error(); });
        for (auto& i : found) {
          if (i.is_error())
            result.issues.push_back(std::move(i));
          else if (!invalid)
            warnings.push_back(std::move(i));
        }
        if (!invalid) continue;
        doomed.push_back(record);
        seen.insert(record);
      }
    if (doomed.empty()) {
      result.issues.insert(result.issues.end(), std::make_move_iterator(warnings.begin()),
                           std::make_move_iterator(warnings.end()));
      break;
    }
    std::deque<const Record*> queue(doomed.begin(), doomed.end());
    while (!queue.empty()) {
      const Record* parent = queue.front();
      queue.pop_front();
      if (parent->id().empty()) continue;
      for (const Child& child : parent->entity->children) {
        if (child.kind == ChildKind::reference) continue;
        const Entity& child_entity = hsds::entity(child.entity);
        const std::string_view parent_entity =
            child.kind == ChildKind::owned ? std::string_view{} : parent->entity->name;
        for (const Record* dependent : set.children(child_entity, child.link, parent->id(), parent_entity)) {
          if (!seen.insert(dependent).second) continue;
          result.issues.push_back(
              {dependent->source.empty() ? fmt::format("{}/{}", dependent->entity->name, dependent->id())
                                         : dependent->source,
               fmt::format("dropped with the {} \"{}\" it belongs to", parent->entity->name,
                           parent->id())});
          doomed.push_back(dependent);
          queue.push_back(dependent);
        }
      }
    }
    for (const Record* record : doomed) {
      const Entity& entity = *record->entity;
      const std::string id = record->id();
      if (set.remove(entity, id)) ++result.dropped;
    }
  }
  return result;
}

}  // namespace bespoke::hsds
