#pragma once
// The codes the bridge to the plan engine turns into the engine's dense
// indices (plans/model.h): needs (a NeedId is the index), and circumstances,
// languages, cultures and interests (each a bit index). Built once; plain
// values, so a test may make a small one by hand.
#include "plans/model.h"
#include "plans/plans.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bespoke::careplan {

struct Vocabulary {
  // The directory taxonomies (by name, the CURIE prefix) whose terms' codes
  // are needs and circumstances.
  std::string need_taxonomy;
  std::string circumstance_taxonomy;

  std::vector<std::string> needs;          // NeedId = index (at most 65,536)
  std::vector<std::string> circumstances;  // bit index (at most 32)
  std::vector<std::string> languages;      // bit index (at most 64); [0] is "en", English
  std::vector<std::string> cultures;       // faith codes of communities a service may serve: bit index (at most 32)
  std::vector<std::string> other_faiths;   // faith codes that name no community ("none", "not_stated"): no bit
  std::vector<std::string> interests;      // person::kInterests codes: bit index (at most 64)
  // Needs met where the person is (personal care at home): a service meeting
  // one comes to the person, whatever its site.
  std::vector<std::string> comes_to_you_needs;
  // The words explanations use, parallel to languages, cultures and interests.
  plans::Names labels;

  // The demo place's vocabularies (demo/vocabulary.h, person::kInterests).
  [[nodiscard]] static Vocabulary standard();

  // Problems that make it unusable (sizes, English first, labels not parallel); empty when fine.
  [[nodiscard]] std::vector<std::string> problems() const;

  [[nodiscard]] std::optional<plans::NeedId> need(std::string_view code) const noexcept;
  [[nodiscard]] std::optional<std::size_t> circumstance(std::string_view code) const noexcept;
  [[nodiscard]] std::optional<std::size_t> language(std::string_view code) const noexcept;
  [[nodiscard]] std::optional<std::size_t> culture(std::string_view code) const noexcept;
  [[nodiscard]] std::optional<std::size_t> interest(std::string_view code) const noexcept;

  // Names for plans::explain: language labels ("Polish"), faith labels as
  // community names ("Muslim"), interest labels in lower case ("gardening").
  [[nodiscard]] const plans::Names& names() const noexcept { return labels; }
};

// A provider kind's code (demo/vocabulary.h's, and "informal" for the
// person's family and neighbours) as the engine's kind; nullopt when unknown.
[[nodiscard]] std::optional<plans::ProviderKind> provider_kind(std::string_view code) noexcept;

}  // namespace bespoke::careplan
