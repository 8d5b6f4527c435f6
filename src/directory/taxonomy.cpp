#include "directory/taxonomy.h"

#include <stdexcept>

namespace bespoke::directory {

std::uint32_t Taxonomy::add_taxonomy(TaxonomyInfo info) {
  if (auto it = taxonomy_by_id_.find(info.id); it != taxonomy_by_id_.end()) return it->second;
  const auto index = static_cast<std::uint32_t>(taxonomies_.size());
  taxonomy_by_id_.emplace(info.id, index);
  taxonomies_.push_back(std::move(info));
  return index;
}

TermIndex Taxonomy::add_term(Term term) {
  const auto existing = find(term.id);
  if (term.parent) {
    if (*term.parent >= terms_.size()) throw std::invalid_argument("taxonomy term: unknown parent");
    if (existing && is_within(*term.parent, *existing)) {
      throw std::invalid_argument("taxonomy term: parent would make a cycle");
    }
  }
  if (existing) {
    terms_[*existing] = std::move(term);
    return *existing;
  }
  const auto index = static_cast<TermIndex>(terms_.size());
  by_id_.emplace(term.id, index);
  terms_.push_back(std::move(term));
  return index;
}

std::optional<TermIndex> Taxonomy::find(const Uuid& id) const {
  if (auto it = by_id_.find(id); it != by_id_.end()) return it->second;
  return std::nullopt;
}

std::optional<std::uint32_t> Taxonomy::find_taxonomy(const Uuid& id) const {
  if (auto it = taxonomy_by_id_.find(id); it != taxonomy_by_id_.end()) return it->second;
  return std::nullopt;
}

bool Taxonomy::is_within(TermIndex term, TermIndex ancestor) const {
  if (term >= terms_.size()) return false;
  std::optional<TermIndex> at = term;
  // add_term refuses cycles, so the walk ends at a root.
  while (at) {
    if (*at == ancestor) return true;
    at = terms_[*at].parent;
  }
  return false;
}

}  // namespace bespoke::directory
