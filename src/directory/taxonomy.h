#pragma once
// The taxonomies the directory knows (esdNeed, esdCircumstance, esdServiceType,
// Open Eligibility, our own provider kinds and accessibility features): terms
// with their broader ("parent") terms, so that a filter on a term also finds
// services tagged with any narrower term.
#include "directory/entry.h"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace bespoke::directory {

struct TaxonomyInfo {
  Uuid id;
  std::string name;  // the CURIE prefix, e.g. "esdNeed"
};

struct Term {
  Uuid id;
  std::uint32_t taxonomy = 0;  // index into Taxonomy::taxonomies()
  std::string code;            // e.g. "69"
  std::string name;            // the label people read
  std::optional<TermIndex> parent;
};

class Taxonomy {
 public:
  // Adds a taxonomy, or returns the index of the one with this id.
  std::uint32_t add_taxonomy(TaxonomyInfo info);
  // Adds a term or replaces the one with the same id (keeping its index).
  // REQUIRES: the parent, when given, is already present and is not the term
  // itself or below it (throws std::invalid_argument otherwise).
  TermIndex add_term(Term term);

  [[nodiscard]] std::optional<TermIndex> find(const Uuid& id) const;
  [[nodiscard]] std::optional<std::uint32_t> find_taxonomy(const Uuid& id) const;
  [[nodiscard]] const Term& term(TermIndex index) const { return terms_[index]; }
  [[nodiscard]] std::span<const Term> terms() const { return terms_; }
  [[nodiscard]] std::span<const TaxonomyInfo> taxonomies() const { return taxonomies_; }
  // True when `term` is `ancestor` or lies below it.
  [[nodiscard]] bool is_within(TermIndex term, TermIndex ancestor) const;

 private:
  std::vector<TaxonomyInfo> taxonomies_;
  std::vector<Term> terms_;
  std::unordered_map<Uuid, TermIndex, UuidHash> by_id_;
  std::unordered_map<Uuid, std::uint32_t, UuidHash> taxonomy_by_id_;
};

}  // namespace bespoke::directory
