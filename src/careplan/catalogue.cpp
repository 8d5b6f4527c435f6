#include "careplan/catalogue.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <functional>
#include <stdexcept>

namespace bespoke::careplan {
namespace {

using directory::ServiceEntry;
using directory::TermIndex;

// ---- Keywords ----------------------------------------------------------------
// STOP-GAP until providers publish these facts (HSDS has no field for the
// interests an activity offers, the community it serves or the gender of its
// staff): a service offers an interest, serves a faith community, or has
// women (or men) carers when its name or description contains one of these
// keywords. Matching is on whole words, ignoring ASCII case; a trailing '*'
// also matches longer words ("garden*": garden, gardens, gardening), and '_'
// joins words that must follow one another ("for_men"). Apostrophes split
// words, so "men's" is "men" then "s". A service that mentions both women and
// men has no carer gender.

struct Keywords {
  std::string_view code;
  std::string_view words;  // space-separated keywords
};

constexpr std::array<Keywords, 10> kInterestKeywords{{
    {"gardening", "garden* allotment* horticultur*"},
    {"music", "music* choir* sing singing singers song songs"},
    {"arts", "art arts artist* craft* painting drawing"},
    {"cooking", "cook* kitchen* meal meals baking"},
    {"sport", "sport* exercise* fitness football swim* gym"},
    {"walking", "walk walks walking walkers ramble* rambling"},
    {"reading", "read reading reader* book books book_club* library libraries writing writer* poetry"},
    {"computers", "computer* digital online tablet* internet laptop*"},
    {"faith", "church* mosque* temple* gurdwara* synagogue* faith* worship*"},
    {"animals", "animal* pet pets dog dogs farm farms"},
}};

constexpr std::array<Keywords, 6> kCultureKeywords{{
    {"christian", "church* christian* chapel*"},
    {"muslim", "mosque* muslim* islam*"},
    {"hindu", "hindu* temple* mandir*"},
    {"sikh", "sikh* gurdwara*"},
    {"jewish", "jewish jews synagogue*"},
    {"buddhist", "buddhis*"},
}};

constexpr std::string_view kWomenKeywords = "women woman ladies";
constexpr std::string_view kMenKeywords = "men_s for_men";

// What a keyword marks.
struct Mark {
  enum Kind : std::uint8_t { interest, culture, women, men } kind = interest;
  std::uint8_t bit = 0;
};

struct Pattern {
  std::vector<std::string> words;  // at least one
  bool prefix = false;             // the last word may continue
  Mark mark;
};

// Lower-case ASCII words of the text: runs of letters and digits.
void words_of(std::string_view text, std::vector<std::string_view>& out, std::string& buffer) {
  buffer.assign(text);
  for (auto& ch : buffer)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  out.clear();
  const auto word_char = [](char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'); };
  std::size_t i = 0;
  while (i < buffer.size()) {
    while (i < buffer.size() && !word_char(buffer[i])) ++i;
    const std::size_t start = i;
    while (i < buffer.size() && word_char(buffer[i])) ++i;
    if (i > start) out.emplace_back(buffer.data() + start, i - start);
  }
}

class KeywordMatcher {
 public:
  explicit KeywordMatcher(const Vocabulary& vocabulary) {
    for (const auto& k : kInterestKeywords)
      if (const auto bit = vocabulary.interest(k.code)) add(k.words, {Mark::interest, static_cast<std::uint8_t>(*bit)});
    for (const auto& k : kCultureKeywords)
      if (const auto bit = vocabulary.culture(k.code)) add(k.words, {Mark::culture, static_cast<std::uint8_t>(*bit)});
    add(kWomenKeywords, {Mark::women, 0});
    add(kMenKeywords, {Mark::men, 0});
  }

  struct Found {
    std::uint64_t interests = 0;
    std::uint32_t cultures = 0;
    plans::CarerGender carer_gender = plans::CarerGender::any;
  };

  Found match(const std::string& name, const std::string& description) {
    Found out;
    bool women = false, men = false;
    for (const std::string* text : {&name, &description}) {
      words_of(*text, words_, buffer_);
      for (std::size_t i = 0; i < words_.size(); ++i) {
        const auto w = words_[i];
        const auto apply = [&](const Pattern& p) {
          if (!matches(p, i)) return;
          switch (p.mark.kind) {
            case Mark::interest: out.interests |= std::uint64_t{1} << p.mark.bit; break;
            case Mark::culture: out.cultures |= std::uint32_t{1} << p.mark.bit; break;
            case Mark::women: women = true; break;
            case Mark::men: men = true; break;
          }
        };
        if (const auto it = whole_.find(w); it != whole_.end())
          for (const auto p : it->second) apply(patterns_[p]);
        for (const auto p : prefixed_[static_cast<unsigned char>(w.front())]) apply(patterns_[p]);
      }
    }
    if (women != men) out.carer_gender = women ? plans::CarerGender::female : plans::CarerGender::male;
    return out;
  }

 private:
  void add(std::string_view list, Mark mark) {
    while (!list.empty()) {
      const auto space = list.find(' ');
      auto keyword = list.substr(0, space);
      list = space == std::string_view::npos ? std::string_view() : list.substr(space + 1);
      if (keyword.empty()) continue;
      Pattern p;
      p.mark = mark;
      if (keyword.back() == '*') {
        p.prefix = true;
        keyword.remove_suffix(1);
      }
      while (!keyword.empty()) {
        const auto joint = keyword.find('_');
        p.words.emplace_back(keyword.substr(0, joint));
        keyword = joint == std::string_view::npos ? std::string_view() : keyword.substr(joint + 1);
      }
      const auto index = patterns_.size();
      // Indexed by the first word: whole, or by its first letter when it is
      // also the prefix.
      if (p.prefix && p.words.size() == 1) {
        prefixed_[static_cast<unsigned char>(p.words.front().front())].push_back(index);
      } else {
        whole_[p.words.front()].push_back(index);
      }
      patterns_.push_back(std::move(p));
    }
  }

  [[nodiscard]] bool matches(const Pattern& p, std::size_t at) const {
    if (at + p.words.size() > words_.size()) return false;
    for (std::size_t k = 0; k < p.words.size(); ++k) {
      const auto w = words_[at + k];
      const bool last = k + 1 == p.words.size();
      if (last && p.prefix ? !w.starts_with(p.words[k]) : w != p.words[k]) return false;
    }
    return true;
  }

  std::vector<Pattern> patterns_;
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::vector<std::size_t>, Hash, std::equal_to<>> whole_;
  std::array<std::vector<std::size_t>, 256> prefixed_;
  std::vector<std::string_view> words_;
  std::string buffer_;
};

// ---- Terms -------------------------------------------------------------------

// For each term, what it (or an ancestor in the same kind of taxonomy) means
// in the vocabulary: the needs, and the circumstance bits.
struct TermMeanings {
  std::vector<std::vector<plans::NeedId>> needs;
  std::vector<std::uint32_t> circumstances;

  TermMeanings(const directory::Taxonomy& taxonomy, const Vocabulary& vocabulary) {
    const auto taxonomies = taxonomy.taxonomies();
    std::vector<bool> is_need(taxonomies.size()), is_circumstance(taxonomies.size());
    for (std::size_t t = 0; t < taxonomies.size(); ++t) {
      is_need[t] = taxonomies[t].name == vocabulary.need_taxonomy;
      is_circumstance[t] = taxonomies[t].name == vocabulary.circumstance_taxonomy;
    }
    const auto terms = taxonomy.terms();
    needs.resize(terms.size());
    circumstances.resize(terms.size());
    for (TermIndex t = 0; t < terms.size(); ++t) {
      // Parents come before their terms (Taxonomy::add_term), so the walk ends.
      for (std::optional<TermIndex> at = t; at; at = terms[*at].parent) {
        const auto& term = terms[*at];
        if (term.taxonomy < is_need.size() && is_need[term.taxonomy]) {
          if (const auto need = vocabulary.need(term.code);
              need && std::find(needs[t].begin(), needs[t].end(), *need) == needs[t].end())
            needs[t].push_back(*need);
        }
        if (term.taxonomy < is_circumstance.size() && is_circumstance[term.taxonomy]) {
          if (const auto bit = vocabulary.circumstance(term.code)) circumstances[t] |= std::uint32_t{1} << *bit;
        }
      }
    }
  }
};

std::uint64_t language_bits(const ServiceEntry& e, const std::vector<std::array<char, 3>>& known) {
  std::uint64_t bits = 0;
  for (const auto& code : e.languages)
    for (std::size_t i = 0; i < known.size(); ++i)
      if (known[i] == code) bits |= std::uint64_t{1} << i;
  return bits == 0 ? 1 : bits;  // none listed or none known: English
}

plans::ProviderKind kind_of(directory::ProviderKind k) {
  switch (k) {
    case directory::ProviderKind::council: return plans::ProviderKind::council;
    case directory::ProviderKind::nhs: return plans::ProviderKind::nhs;
    case directory::ProviderKind::charity: return plans::ProviderKind::charity;
    case directory::ProviderKind::community_led: return plans::ProviderKind::community_led;
    case directory::ProviderKind::social_enterprise: return plans::ProviderKind::social_enterprise;
    case directory::ProviderKind::volunteer_group: return plans::ProviderKind::volunteer_group;
    case directory::ProviderKind::private_company: return plans::ProviderKind::private_company;
    case directory::ProviderKind::unknown: break;
  }
  return plans::ProviderKind::unknown;
}

const Vocabulary& checked(const Vocabulary& vocabulary) {
  if (const auto problems = vocabulary.problems(); !problems.empty())
    throw std::invalid_argument("careplan::ServiceCatalogue: the vocabulary's " + problems.front());
  return vocabulary;
}

}  // namespace

ServiceCatalogue::ServiceCatalogue(const directory::Taxonomy& taxonomy, std::span<const ServiceEntry> entries,
                                   const Vocabulary& vocabulary)
    : engine_(options_of(taxonomy, entries, checked(vocabulary))) {}

std::vector<plans::Option> ServiceCatalogue::options_of(const directory::Taxonomy& taxonomy,
                                                        std::span<const ServiceEntry> entries,
                                                        const Vocabulary& vocabulary) {
  const TermMeanings meanings(taxonomy, vocabulary);
  KeywordMatcher keywords(vocabulary);
  std::vector<std::array<char, 3>> languages;
  for (const auto& code : vocabulary.languages) {
    std::array<char, 3> a{};
    std::memcpy(a.data(), code.data(), std::min<std::size_t>(code.size(), 3));
    languages.push_back(a);
  }
  std::vector<plans::NeedId> at_home;
  for (const auto& code : vocabulary.comes_to_you_needs)
    if (const auto n = vocabulary.need(code)) at_home.push_back(*n);

  for (const auto& e : entries)
    if (e.organization_id != directory::Uuid{})
      by_organisation_.emplace(e.organization_id, static_cast<std::uint32_t>(by_organisation_.size() + 1));

  std::vector<plans::Option> options;
  for (const auto& e : entries) {
    if (!e.active || by_service_.contains(e.id)) continue;
    plans::Option o;
    for (const auto t : e.terms)
      if (t < meanings.needs.size())
        for (const auto n : meanings.needs[t])
          if (std::find(o.needs.begin(), o.needs.end(), n) == o.needs.end()) o.needs.push_back(n);
    if (o.needs.empty()) continue;
    std::sort(o.needs.begin(), o.needs.end());
    for (const auto t : e.eligible_circumstances)
      if (t < meanings.circumstances.size()) o.eligible_circumstances |= meanings.circumstances[t];
    if (!e.eligible_circumstances.empty() && o.eligible_circumstances == 0) continue;

    o.id = static_cast<std::uint32_t>(facts_.size() + 1);
    if (e.organization_id != directory::Uuid{}) o.organisation = by_organisation_.at(e.organization_id);
    o.kind = kind_of(e.provider_kind);
    o.community_led = e.community_led;
    o.locally_owned = e.locally_owned;
    o.minimum_age = e.minimum_age.value_or(0);
    o.maximum_age = e.maximum_age.value_or(255);
    const bool comes_to_you = std::any_of(o.needs.begin(), o.needs.end(), [&](plans::NeedId n) {
      return std::find(at_home.begin(), at_home.end(), n) != at_home.end();
    });
    if (!e.sites.empty() && !comes_to_you) o.site = core::LatLon{e.sites.front().latitude, e.sites.front().longitude};
    o.languages = language_bits(e, languages);
    o.cost_per_session = core::Pence{std::max<std::int64_t>(0, e.lowest_cost_pence.value_or(0))};
    for (const auto& w : e.weekly) {
      if (o.sessions.size() >= plans::kArrangedToSuit - 1) break;
      if (w.day > 6 || w.closes <= w.opens || w.closes > 1440) continue;
      o.sessions.push_back({w.day, w.opens, w.closes});
    }
    const bool no_limit_stated = e.capacity_maximum && *e.capacity_maximum == 0;
    if (e.capacity_available && !no_limit_stated) o.spare_places = e.capacity_available;
    const auto found = keywords.match(e.name, e.description);
    o.interests = found.interests;
    o.culture = found.cultures;
    o.carer_gender = found.carer_gender;

    by_service_.emplace(e.id, o.id);
    const bool has_org = e.organization_id != directory::Uuid{};
    facts_.push_back({e.id.text(), e.name, has_org ? e.organization_id.text() : std::string(), e.organization_name});
    options.push_back(std::move(o));
  }
  return options;
}

const ServiceFacts* ServiceCatalogue::facts(std::uint32_t option) const noexcept {
  if (option == 0 || option > facts_.size()) return nullptr;
  return &facts_[option - 1];
}

std::optional<std::uint32_t> ServiceCatalogue::option_of(std::string_view service_id) const {
  const auto id = directory::Uuid::parse(service_id);
  if (!id) return std::nullopt;
  const auto it = by_service_.find(*id);
  if (it == by_service_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::uint32_t> ServiceCatalogue::organisation_key(std::string_view organisation_id) const {
  const auto id = directory::Uuid::parse(organisation_id);
  if (!id) return std::nullopt;
  const auto it = by_organisation_.find(*id);
  if (it == by_organisation_.end()) return std::nullopt;
  return it->second;
}

}  // namespace bespoke::careplan
