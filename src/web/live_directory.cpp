#include "web/live_directory.h"

#include "store/directory_source.h"
#include "store/hsds_store.h"

#include <chrono>
#include <map>

namespace bespoke::web {
namespace {

// More changes than this since the last search: rebuild rather than apply.
constexpr std::size_t kMaxIncrementalChanges = 5000;

}  // namespace

LiveDirectory::LoadReport LiveDirectory::load(store::Connection& db) {
  std::lock_guard lock(catch_up_mutex_);
  const auto started = std::chrono::steady_clock::now();
  rebuild(db, 0);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return {snapshot()->index->size(), seconds};
}

std::shared_ptr<const DirectorySnapshot> LiveDirectory::current(store::Connection& db) {
  // The common case, nothing new, takes one query and no lock held across it.
  if (auto snap = snapshot(); snap && store::latest_change(db) <= applied_change()) return snap;
  {
    std::lock_guard lock(catch_up_mutex_);
    if (!snapshot()) {
      rebuild(db, 0);
    } else {
      catch_up(db);
    }
  }
  return snapshot();
}

std::shared_ptr<DirectorySnapshot> LiveDirectory::snapshot() const {
  std::lock_guard lock(snapshot_mutex_);
  return snapshot_;
}

std::int64_t LiveDirectory::applied_change() const {
  std::lock_guard lock(snapshot_mutex_);
  return applied_;
}

// Reads the taxonomy and every service in one read transaction (a consistent
// snapshot no later than `seq`'s changes), builds, swaps.
void LiveDirectory::rebuild(store::Connection& db, std::int64_t seq) {
  auto next = std::make_shared<DirectorySnapshot>();
  {
    store::Transaction tx(db, store::TxMode::read);
    seq = std::max(seq, store::latest_change(db));
    next->taxonomy = store::load_taxonomy(db);
    const auto entries = store::load_service_entries(db, next->taxonomy);
    tx.commit();
    next->index = std::make_unique<directory::DirectoryIndex>(next->taxonomy, entries);
  }
  std::lock_guard lock(snapshot_mutex_);
  snapshot_ = std::move(next);
  applied_ = seq;
}

void LiveDirectory::catch_up(store::Connection& db) {
  const std::int64_t latest = store::latest_change(db);
  if (latest <= applied_change()) return;

  const auto changes = store::changes_since(db, applied_change(), kMaxIncrementalChanges + 1);
  if (changes.size() > kMaxIncrementalChanges) {
    rebuild(db, latest);
    return;
  }
  std::int64_t seq = applied_change();
  for (const auto& c : changes) seq = std::max(seq, c.seq);

  store::Transaction tx(db, store::TxMode::read);
  const auto affected = store::services_affected(db, changes);
  if (affected.full_rebuild) {
    tx.commit();
    rebuild(db, seq);
    return;
  }
  auto current = snapshot();
  const auto entries = store::load_service_entries(db, current->taxonomy, affected.service_ids);
  tx.commit();

  // Services that no longer load were deleted.
  std::map<directory::Uuid, const directory::ServiceEntry*> loaded;
  for (const auto& e : entries) loaded.emplace(e.id, &e);
  for (const auto& id_text : affected.service_ids) {
    const auto id = directory::Uuid::parse(id_text);
    if (!id) continue;
    if (const auto it = loaded.find(*id); it != loaded.end()) {
      current->index->upsert(*it->second);
    } else {
      current->index->remove(*id);
    }
  }
  std::lock_guard slock(snapshot_mutex_);
  applied_ = seq;
}

}  // namespace bespoke::web
