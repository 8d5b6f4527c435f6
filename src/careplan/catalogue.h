#pragma once
// The directory's services as the plan engine's options (plans::Catalogue):
// built once from the in-memory directory (directory::ServiceEntry, the
// Taxonomy) and a Vocabulary, then shared read-only by every proposal (any
// number of threads may use it). Option ids are dense, 1 to size(), in the
// order of the entries given; organisations get dense keys likewise.
//
// How a service becomes an option:
//   kept            active services meeting at least one need of the
//                   vocabulary; a service whose eligibility names only
//                   circumstances outside the vocabulary is left out (the
//                   engine could not tell who may use it)
//   needs           its terms in the vocabulary's need taxonomy whose code
//                   (or an ancestor's code in that taxonomy) is a need
//   ages            minimum/maximum age (none: 0 and 255)
//   circumstances   its eligibility terms in the circumstance taxonomy, by
//                   code (or an ancestor's)
//   site            the first site; none (online, by phone, at home), or a
//                   need met where the person is (Vocabulary::comes_to_you_needs,
//                   as plans_bench does for personal care): comes to the person
//   languages       its languages in the vocabulary; none listed (or none
//                   known): English only
//   cost            the lowest published cost in pence a session; free or
//                   unknown: 0
//   sessions        its weekly openings (none: arranged to suit)
//   spare places    capacity available, unless the maximum is published as 0
//                   (no limit stated, as plans_bench reads the demo)
//   kind, community-led, locally owned: the organisation's
//   interests, cultures, carer gender: keywords in its name and description
//                   (catalogue.cpp says which)
#include "careplan/vocabulary.h"
#include "directory/entry.h"
#include "directory/taxonomy.h"
#include "plans/plans.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace bespoke::careplan {

// What the plan document says about an option's service.
struct ServiceFacts {
  std::string id;               // the service's UUID, lower case
  std::string name;
  std::string organisation_id;  // "" when it has none
  std::string organisation;     // its name
};

class ServiceCatalogue {
 public:
  using ServiceFacts = careplan::ServiceFacts;

  // std::invalid_argument when the vocabulary has problems().
  ServiceCatalogue(const directory::Taxonomy& taxonomy, std::span<const directory::ServiceEntry> entries,
                   const Vocabulary& vocabulary);
  ServiceCatalogue(const ServiceCatalogue&) = delete;
  ServiceCatalogue& operator=(const ServiceCatalogue&) = delete;
  ServiceCatalogue(ServiceCatalogue&&) noexcept = default;
  ServiceCatalogue& operator=(ServiceCatalogue&&) noexcept = default;
  ~ServiceCatalogue() = default;

  [[nodiscard]] const plans::Catalogue& engine() const noexcept { return engine_; }
  // The option's service; nullptr for an id that is not a catalogue option
  // (0, a helper's, or beyond size()).
  [[nodiscard]] const ServiceFacts* facts(std::uint32_t option) const noexcept;
  // The option of the service with this id (either case); nullopt when it is
  // not in the catalogue (unknown, inactive, meeting no need).
  [[nodiscard]] std::optional<std::uint32_t> option_of(std::string_view service_id) const;
  // The engine's key for an organisation of any entry given; nullopt when unknown.
  [[nodiscard]] std::optional<std::uint32_t> organisation_key(std::string_view organisation_id) const;
  [[nodiscard]] std::size_t size() const noexcept { return facts_.size(); }

 private:
  // The options; fills facts_ and the maps (declared before engine_, so
  // constructed before it is).
  std::vector<plans::Option> options_of(const directory::Taxonomy& taxonomy,
                                        std::span<const directory::ServiceEntry> entries, const Vocabulary& vocabulary);

  std::vector<ServiceFacts> facts_;  // [option - 1]
  std::unordered_map<directory::Uuid, std::uint32_t, directory::UuidHash> by_service_;
  std::unordered_map<directory::Uuid, std::uint32_t, directory::UuidHash> by_organisation_;
  plans::Catalogue engine_;
};

}  // namespace bespoke::careplan
