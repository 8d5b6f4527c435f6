#include "careplan/vocabulary.h"

#include "demo/vocabulary.h"
#include "person/record.h"

#include <algorithm>
#include <cctype>

namespace bespoke::careplan {
namespace {

std::optional<std::size_t> index_of(const std::vector<std::string>& codes, std::string_view code) noexcept {
  const auto it = std::find(codes.begin(), codes.end(), code);
  if (it == codes.end()) return std::nullopt;
  return static_cast<std::size_t>(it - codes.begin());
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

bool has_duplicates(std::vector<std::string> codes) {
  std::sort(codes.begin(), codes.end());
  return std::adjacent_find(codes.begin(), codes.end()) != codes.end();
}

}  // namespace

Vocabulary Vocabulary::standard() {
  Vocabulary v;
  v.need_taxonomy = std::string(demo::kNeedTaxonomy);
  v.circumstance_taxonomy = std::string(demo::kCircumstanceTaxonomy);
  for (const auto& n : demo::kNeeds) v.needs.emplace_back(n.code);
  for (const auto& c : demo::kCircumstances) v.circumstances.emplace_back(c.code);
  for (const auto& l : demo::kLanguages) {
    v.languages.emplace_back(l.code);
    v.labels.languages.emplace_back(l.label);
  }
  // Faiths name a community a service may serve, except these.
  for (const auto& f : demo::kFaiths) {
    if (f.code == "none" || f.code == "other" || f.code == "not_stated") {
      v.other_faiths.emplace_back(f.code);
      continue;
    }
    v.cultures.emplace_back(f.code);
    v.labels.cultures.emplace_back(f.label);
  }
  for (const auto& i : person::kInterests) {
    v.interests.emplace_back(i.code);
    v.labels.interests.push_back(lower(i.label));
  }
  v.comes_to_you_needs.emplace_back("personal_care");
  return v;
}

std::vector<std::string> Vocabulary::problems() const {
  std::vector<std::string> out;
  if (needs.size() > 65536) out.emplace_back("needs: more than 65,536");
  if (circumstances.size() > 32) out.emplace_back("circumstances: more than 32");
  if (languages.empty() || languages.front() != "en") out.emplace_back("languages: the first must be \"en\"");
  if (languages.size() > 64) out.emplace_back("languages: more than 64");
  if (cultures.size() > 32) out.emplace_back("cultures: more than 32");
  if (interests.size() > 64) out.emplace_back("interests: more than 64");
  if (labels.languages.size() != languages.size() || labels.cultures.size() != cultures.size() ||
      labels.interests.size() != interests.size())
    out.emplace_back("labels: not parallel to the codes");
  if (has_duplicates(needs) || has_duplicates(circumstances) || has_duplicates(languages) || has_duplicates(cultures) ||
      has_duplicates(interests))
    out.emplace_back("codes: a code appears twice");
  return out;
}

std::optional<plans::NeedId> Vocabulary::need(std::string_view code) const noexcept {
  const auto i = index_of(needs, code);
  if (!i || *i > 0xFFFF) return std::nullopt;
  return static_cast<plans::NeedId>(*i);
}
std::optional<std::size_t> Vocabulary::circumstance(std::string_view code) const noexcept {
  return index_of(circumstances, code);
}
std::optional<std::size_t> Vocabulary::language(std::string_view code) const noexcept {
  return index_of(languages, code);
}
std::optional<std::size_t> Vocabulary::culture(std::string_view code) const noexcept {
  return index_of(cultures, code);
}
std::optional<std::size_t> Vocabulary::interest(std::string_view code) const noexcept {
  return index_of(interests, code);
}

std::optional<plans::ProviderKind> provider_kind(std::string_view code) noexcept {
  if (code == "informal") return plans::ProviderKind::informal;
  const auto kind = demo::provider_kind_from_code(code);
  if (!kind) return std::nullopt;
  switch (*kind) {
    case demo::ProviderKind::council: return plans::ProviderKind::council;
    case demo::ProviderKind::nhs: return plans::ProviderKind::nhs;
    case demo::ProviderKind::charity: return plans::ProviderKind::charity;
    case demo::ProviderKind::community_led: return plans::ProviderKind::community_led;
    case demo::ProviderKind::social_enterprise: return plans::ProviderKind::social_enterprise;
    case demo::ProviderKind::volunteer_group: return plans::ProviderKind::volunteer_group;
    case demo::ProviderKind::private_company: return plans::ProviderKind::private_company;
  }
  return std::nullopt;
}

}  // namespace bespoke::careplan
