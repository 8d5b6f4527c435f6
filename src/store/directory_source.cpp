#include "store/directory_source.h"

#include "core/time.h"
#include "store/in_list.h"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <set>
#include <thread>
#include <unordered_map>
#include <utility>

namespace bespoke::store {
namespace {

using directory::ServiceEntry;
using directory::TermIndex;
using directory::Uuid;
using directory::UuidHash;

// ---- Reading the rows whose key is one of some ids ----

// Runs `select` ("SELECT ... FROM table", optionally with " WHERE cond") on the
// rows whose `key_column` is one of `keys` (in_list.h).
// (A whole table is read with Connection::for_each_row, in one streamed scan in
// storage order.)
template <class F>
void scan(Connection& c, const std::string& select, std::string_view key_column, const std::vector<std::string>& keys,
          F&& each) {
  const std::string glue = select.find(" WHERE ") == std::string::npos ? " WHERE " : " AND ";
  detail::for_each_in_list(c, select + glue + std::string(key_column) + " IN (", keys, each);
}

const std::string* text_at(const Row& row, std::size_t i) { return std::get_if<std::string>(&row.value(i)); }

std::string_view view_at(const Row& row, std::size_t i) {
  const auto* s = text_at(row, i);
  return s ? std::string_view(*s) : std::string_view();
}

std::optional<Uuid> uuid_at(const Row& row, std::size_t i) {
  const auto* s = text_at(row, i);
  return s ? Uuid::parse(*s) : std::nullopt;
}

// ---- Parsing HSDS values ----

// "HH:MM" or "HH:MM:SS" (anything after the minutes, such as seconds or a zone, is
// ignored) -> minutes after midnight, 0..1440.
std::optional<int> parse_time(std::string_view s) {
  if (s.size() < 5 || s[2] != ':') return std::nullopt;
  const auto digit = [&](std::size_t i) { return s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : -1; };
  const int h1 = digit(0), h2 = digit(1), m1 = digit(3), m2 = digit(4);
  if (h1 < 0 || h2 < 0 || m1 < 0 || m2 < 0) return std::nullopt;
  const int h = h1 * 10 + h2;
  const int m = m1 * 10 + m2;
  if (m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
  if (s.size() > 5 && s[5] != ':' && s[5] != 'Z' && s[5] != '+' && s[5] != '-' && s[5] != '.') return std::nullopt;
  return h * 60 + m;
}

// "YYYY-MM-DD" (a longer date-time is cut at the date) -> days since 1970-01-01.
std::optional<std::int32_t> parse_date(std::string_view s) {
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  int y = 0, m = 0, d = 0;
  const auto num = [&](std::size_t at, std::size_t len, int& out) {
    const auto [end, ec] = std::from_chars(s.data() + at, s.data() + at + len, out);
    return ec == std::errc{} && end == s.data() + at + len;
  };
  if (!num(0, 4, y) || !num(5, 2, m) || !num(8, 2, d)) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
                                        std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return static_cast<std::int32_t>(std::chrono::sys_days{ymd}.time_since_epoch().count());
}

// "MO" ... "SU" -> 0 ... 6.
std::optional<std::uint8_t> parse_day(std::string_view s) {
  static constexpr std::string_view kDays[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
  for (std::uint8_t i = 0; i < 7; ++i)
    if (s == kDays[i]) return i;
  return std::nullopt;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Calls out(WeeklyOpening) for each opening of a WEEKLY schedule row.
template <class Out>
void add_weekly(std::string_view byday, std::optional<std::int32_t> dtstart, int opens, int closes, Out&& out) {
  const auto add_day = [&](std::uint8_t day) {
    if (opens == closes) {
      if (opens == 0) out(directory::WeeklyOpening{day, 0, 1440});  // 00:00-00:00: all day
      return;
    }
    if (closes == 0) closes = 1440;
    if (closes > opens) {
      out(directory::WeeklyOpening{day, static_cast<std::uint16_t>(opens), static_cast<std::uint16_t>(closes)});
    } else {  // past midnight: the rest of this day and the start of the next
      out(directory::WeeklyOpening{day, static_cast<std::uint16_t>(opens), 1440});
      out(directory::WeeklyOpening{static_cast<std::uint8_t>((day + 1) % 7), 0, static_cast<std::uint16_t>(closes)});
    }
  };
  if (trim(byday).empty()) {
    // RFC 5545: a weekly rule without BYDAY repeats on DTSTART's weekday.
    if (!dtstart) return;
    const std::chrono::weekday wd{std::chrono::sys_days{std::chrono::days{*dtstart}}};
    add_day(static_cast<std::uint8_t>((wd.c_encoding() + 6) % 7));
  }
  while (!byday.empty()) {
    const auto comma = byday.find(',');
    const auto token = trim(byday.substr(0, comma));
    byday = comma == std::string_view::npos ? std::string_view() : byday.substr(comma + 1);
    if (const auto d = parse_day(token)) add_day(*d);  // "1MO" (monthly forms) is not weekly
  }
}

std::optional<std::array<char, 3>> language_code(std::string_view code) {
  code = trim(code);
  const auto dash = code.find_first_of("-_");
  if (dash != std::string_view::npos) code = code.substr(0, dash);
  if (code.size() < 2 || code.size() > 3) return std::nullopt;
  std::array<char, 3> out{};
  for (std::size_t i = 0; i < code.size(); ++i) {
    char ch = code[i];
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    if (ch < 'a' || ch > 'z') return std::nullopt;
    out[i] = ch;
  }
  return out;
}

std::optional<directory::ProviderKind> provider_kind(std::string_view code) {
  using directory::ProviderKind;
  static constexpr std::pair<std::string_view, ProviderKind> kKinds[] = {
      {"council", ProviderKind::council},
      {"nhs", ProviderKind::nhs},
      {"charity", ProviderKind::charity},
      {"community_led", ProviderKind::community_led},
      {"social_enterprise", ProviderKind::social_enterprise},
      {"volunteer_group", ProviderKind::volunteer_group},
      {"private_company", ProviderKind::private_company},
  };
  for (const auto& [c, k] : kKinds)
    if (c == code) return k;
  return std::nullopt;
}

template <class T>
void sort_unique(std::vector<T>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

std::optional<std::int32_t> clamp_to_int32(double d) {
  if (!std::isfinite(d)) return std::nullopt;
  d = std::round(d);
  d = std::clamp(d, static_cast<double>(std::numeric_limits<std::int32_t>::min()),
                 static_cast<double>(std::numeric_limits<std::int32_t>::max()));
  return static_cast<std::int32_t>(d);
}

// ---- Ids ----

// Uuid::parse, eight hex digits at a time (the load parses millions of ids).

constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;

// Per byte of x (each < 0x80): 0x80 where lo <= byte <= hi, else 0. No carry
// crosses bytes: byte + 0x80 - lo and byte + 0x7F - hi stay below 0x100.
constexpr std::uint64_t bytes_within(std::uint64_t x, unsigned lo, unsigned hi) {
  return (x + (0x80 - lo) * kOnes) & ~(x + (0x7F - hi) * kOnes) & kHighBits;
}

// The 8 hex digits in x's bytes (the first at the lowest address), or false
// when a byte is not 0-9, a-f or A-F; sets `upper` when one is A-F.
inline bool hex8(std::uint64_t x, std::uint64_t& out, bool& upper) {
  if (x & kHighBits) return false;
  const std::uint64_t upper_letter = bytes_within(x, 'A', 'F');
  if ((bytes_within(x, '0', '9') | bytes_within(x, 'a', 'f') | upper_letter) != kHighBits) return false;
  upper = upper || upper_letter != 0;
  std::uint64_t v = (x & 0x0F0F0F0F0F0F0F0FULL) + 9 * ((x >> 6) & kOnes);  // letters have bit 0x40
  v = __builtin_bswap64(v);  // the first digit most significant
  v = (v | (v >> 4)) & 0x00FF00FF00FF00FFULL;
  v = (v | (v >> 8)) & 0x0000FFFF0000FFFFULL;
  out = (v | (v >> 16)) & 0xFFFFFFFFULL;
  return true;
}

// `upper`, when given, is set when the text has an upper-case hex digit.
std::optional<Uuid> parse_uuid(std::string_view s, bool* upper = nullptr) noexcept {
  static_assert(std::endian::native == std::endian::little);
  if (s.size() != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-') return std::nullopt;
  const char* p = s.data();
  std::uint64_t x[6];
  std::memcpy(&x[0], p, 8);
  std::uint32_t four[4];
  std::memcpy(&four[0], p + 9, 4);
  std::memcpy(&four[1], p + 14, 4);
  std::memcpy(&four[2], p + 19, 4);
  std::memcpy(&four[3], p + 24, 4);
  for (int i = 0; i < 4; ++i) x[i + 1] = four[i] | 0x3030303000000000ULL;  // "xxxx0000": the value << 16
  std::memcpy(&x[5], p + 28, 8);
  std::uint64_t g[6];
  bool up = false;
  for (int i = 0; i < 6; ++i)
    if (!hex8(x[i], g[i], up)) return std::nullopt;
  if (upper) *upper = up;
  return Uuid{(g[0] << 32) | (g[1] >> 16 << 16) | (g[2] >> 16), (g[3] >> 16 << 48) | (g[4] >> 16 << 32) | g[5]};
}

// Uuid -> dense number, open addressing: one probe where a node-based map
// chases two or three pointers, at a few million lookups per load.
class UuidMap {
 public:
  static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

  // The number stored for `key`, else stores `value` and returns it.
  std::uint32_t insert(const Uuid& key, std::uint32_t value) {
    if ((size_ + 1) * 2 > slots_.size()) grow();
    Slot& s = slot_for(key);
    if (s.value == kNone) {
      s = {key, value};
      ++size_;
    }
    return s.value;
  }
  // Stores `value` for `key`, replacing any number stored for it.
  void assign(const Uuid& key, std::uint32_t value) {
    if ((size_ + 1) * 2 > slots_.size()) grow();
    Slot& s = slot_for(key);
    if (s.value == kNone) ++size_;
    s = {key, value};
  }
  void reserve(std::size_t n) {
    if (slots_.size() < n * 2) grow(std::bit_ceil(n * 2));
  }
  [[nodiscard]] std::uint32_t find(const Uuid& key) const {
    if (slots_.empty()) return kNone;
    return const_cast<UuidMap*>(this)->slot_for(key).value;
  }

 private:
  struct Slot {
    Uuid key;
    std::uint32_t value = kNone;
  };
  Slot& slot_for(const Uuid& key) {
    for (std::size_t i = UuidHash{}(key) & mask_;; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.value == kNone || s.key == key) return s;
    }
  }
  void grow(std::size_t slots = 0) {
    std::vector<Slot> old(std::max<std::size_t>({slots, slots_.size() * 2, 1024}));
    old.swap(slots_);
    mask_ = slots_.size() - 1;
    for (const Slot& s : old)
      if (s.value != kNone) slot_for(s.key) = s;
  }
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

// Records (services, organizations, ...) numbered in the order their rows are
// read, and found again by id. Child rows usually come in the order of their
// parents' rows, so a lookup first tries the record after the one it found
// last: a hash probe is a cache (and TLB) miss in a table of millions, this a
// read next to the last one. The hash map is built on the first miss only.
class IdIndex {
 public:
  // Of several records with the same UUID (ids differing only in letter case),
  // the one all lookups find.
  enum class Keep { first, last };
  explicit IdIndex(Keep keep) : keep_(keep) {}

  std::uint32_t add(const Uuid& id, bool upper) {
    ids_.push_back(id);
    maybe_duplicates_ = maybe_duplicates_ || upper;  // all lower case: the ids (primary keys) are distinct UUIDs
    return static_cast<std::uint32_t>(ids_.size() - 1);
  }
  [[nodiscard]] std::size_t size() const { return ids_.size(); }
  void reserve(std::size_t n) { ids_.reserve(n); }
  [[nodiscard]] const Uuid& id(std::uint32_t n) const { return ids_[n]; }

  // The record kept for this id, or UuidMap::kNone; `cursor` is the record the
  // caller found last. Only once every row of the table has been added.
  std::uint32_t find(const Uuid& id, std::uint32_t& cursor) {
    seal();
    const std::uint32_t next = cursor + 1;  // kNone + 1 == 0
    if (next < ids_.size() && ids_[next] == id) {
      cursor = next;
      return kept(next);
    }
    build_map();
    const auto n = map_.find(id);
    if (n != UuidMap::kNone) cursor = n;
    return n;
  }
  // Is record n the one kept for its id? Only after seal().
  [[nodiscard]] bool kept_itself(std::uint32_t n) const { return kept(n) == n; }

  // Once every row of the table has been added: finds the records with the
  // same UUID (when some ids had upper-case letters).
  void seal() {
    if (!maybe_duplicates_) return;
    maybe_duplicates_ = false;
    build_map();
    kept_.resize(ids_.size());
    for (std::uint32_t n = 0; n < ids_.size(); ++n) kept_[n] = map_.find(ids_[n]);
  }

 private:
  [[nodiscard]] std::uint32_t kept(std::uint32_t n) const { return kept_.empty() ? n : kept_[n]; }
  void build_map() {
    if (mapped_) return;
    map_.reserve(ids_.size());
    for (std::uint32_t n = 0; n < ids_.size(); ++n) {
      if (keep_ == Keep::first) {
        map_.insert(ids_[n], n);
      } else {
        map_.assign(ids_[n], n);
      }
    }
    mapped_ = true;
  }

  Keep keep_;
  std::vector<Uuid> ids_;
  std::vector<std::uint32_t> kept_;  // empty: every record is kept
  UuidMap map_;
  bool mapped_ = false;
  bool maybe_duplicates_ = false;
};

// Looks up the UUID text of one column in an IdIndex, remembering the last text
// (rows of one parent usually come together) and the last record found.
class Lookup {
 public:
  // nullopt when the text is not a UUID; else the record, or UuidMap::kNone.
  std::optional<std::uint32_t> operator()(IdIndex& index, std::string_view text) {
    if (!valid_ || text != last_) {
      last_.assign(text);
      valid_ = true;
      const auto id = parse_uuid(text);
      result_ = id ? std::optional<std::uint32_t>(index.find(*id, cursor_)) : std::nullopt;
    }
    return result_;
  }

 private:
  std::string last_;
  bool valid_ = false;
  std::optional<std::uint32_t> result_;
  std::uint32_t cursor_ = UuidMap::kNone;
};

// ---- Rows in batches ----

std::optional<double> parse_number(std::string_view s) {
  double d = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (ec == std::errc{} && end == s.data() + s.size()) return d;
  return std::nullopt;
}

// Rows copied out of the driver's Row (valid only during its callback) into
// flat storage: numbers in cells, text in one buffer; or, for the columns in
// `own` (a bit per column), in strings of their own, for the builder to take
// (so that the thread that reads allocates them, see RowPipe).
class RowBatch {
 public:
  void reset(std::size_t columns, std::uint32_t own) {
    columns_ = columns;
    own_ = own;
    cells_.clear();
    text_.clear();
    owned_.clear();
  }
  void add(const Row& row) {
    for (std::size_t i = 0; i < columns_; ++i) {
      const Value& v = row.value(i);
      Cell& c = cells_.emplace_back();
      if (const auto* s = std::get_if<std::string>(&v)) {
        c.kind = Cell::text_cell;
        c.length = static_cast<std::uint32_t>(s->size());
        if (own_ >> i & 1) {
          c.kind = Cell::owned_cell;
          c.offset = owned_.size();
          owned_.push_back(*s);
        } else {
          c.offset = text_.size();
          text_.append(*s);
        }
      } else if (const auto* d = std::get_if<double>(&v)) {
        c.kind = Cell::real_cell;
        c.real = *d;
      } else if (const auto* n = std::get_if<std::int64_t>(&v)) {
        c.kind = Cell::integer_cell;
        c.integer = *n;
      }
    }
  }
  [[nodiscard]] std::size_t size() const { return columns_ == 0 ? 0 : cells_.size() / columns_; }
  [[nodiscard]] std::size_t text_bytes() const { return text_.size(); }

  // One row. view(): text values only (NULL and numbers read as ""); number():
  // reals, integers, or text that is wholly a number.
  class Ref {
   public:
    Ref(RowBatch& b, std::size_t row) : b_(b), first_(row * b.columns_) {}
    // Text, or "" for NULL and numbers.
    [[nodiscard]] std::string_view view(std::size_t i) const {
      const Cell& c = b_.cells_[first_ + i];
      switch (c.kind) {
        case Cell::text_cell:
          return std::string_view(b_.text_.data() + c.offset, c.length);
        case Cell::owned_cell:
          return b_.owned_[c.offset];
        default:
          return std::string_view();
      }
    }
    // view(i) as a string, moved out of the batch when the column is owned.
    [[nodiscard]] std::string take(std::size_t i) const {
      const Cell& c = b_.cells_[first_ + i];
      return c.kind == Cell::owned_cell ? std::move(b_.owned_[c.offset]) : std::string(view(i));
    }
    [[nodiscard]] std::optional<double> number(std::size_t i) const {
      const Cell& c = b_.cells_[first_ + i];
      switch (c.kind) {
        case Cell::real_cell:
          return c.real;
        case Cell::integer_cell:
          return static_cast<double>(c.integer);
        case Cell::text_cell:
        case Cell::owned_cell:
          return parse_number(view(i));
        default:
          return std::nullopt;
      }
    }

   private:
    RowBatch& b_;
    std::size_t first_;
  };
  [[nodiscard]] Ref operator[](std::size_t row) { return Ref(*this, row); }

 private:
  struct Cell {
    enum Kind : std::uint8_t { null_cell, integer_cell, real_cell, text_cell, owned_cell } kind = null_cell;
    std::uint32_t length = 0;
    union {
      std::int64_t integer;
      double real;
      std::size_t offset = 0;  // text_cell: in text_; owned_cell: in owned_
    };
  };
  std::size_t columns_ = 0;
  std::uint32_t own_ = 0;
  std::vector<Cell> cells_;
  std::string text_;
  std::vector<std::string> owned_;
};

// The tables, in the order a whole-directory load reads them: each one's rows
// need the records of the tables before it (a service_at_location its
// service, an attribute its service, organization or location). The schedule
// is last: the slowest to read and among the quickest to build from, so that
// the building thread finishes soon after the reading one.
enum class Table : std::uint8_t {
  service,
  service_at_location,
  location,
  organization,
  attribute,
  language,
  cost_option,
  service_capacity,
  schedule,
};

// Carries rows from the thread reading them from the driver to the code that
// builds the entries: on a second thread when `threaded` (reading and building
// then overlap, for a whole directory), else in the calling thread. When that
// second thread has no rows to build from, it calls `idle` for work that does
// not wait for more rows, as long as idle() returns true.
class RowPipe {
 public:
  using Consumer = std::function<void(Table, RowBatch&)>;

  RowPipe(Consumer consume, std::function<bool()> idle, bool threaded)
      : consume_(std::move(consume)), idle_(std::move(idle)) {
    if (threaded) worker_ = std::thread([this] { work(); });
  }
  ~RowPipe() {
    if (!worker_.joinable()) return;
    {
      std::lock_guard lock(m_);
      stop_ = true;  // reading failed: drop what is queued
    }
    to_worker_.notify_all();
    worker_.join();
  }
  RowPipe(const RowPipe&) = delete;
  RowPipe& operator=(const RowPipe&) = delete;

  // `own`: the columns to copy into strings of their own (see RowBatch).
  void add(Table table, const Row& row, std::uint32_t own = 0) {
    if (filling_ && (filling_->table != table || filling_->rows.size() >= kBatchRows ||
                     filling_->rows.text_bytes() >= kBatchText))
      ship();
    if (!filling_) {
      filling_ = spare();
      filling_->table = table;
      filling_->rows.reset(row.size(), own);
    }
    filling_->rows.add(row);
  }

  // Returns when every row added so far has been consumed (in the calling
  // thread: the pipe must not be threaded).
  void drain() {
    if (worker_.joinable()) throw std::logic_error("RowPipe::drain on a threaded pipe");
    if (filling_) ship();
  }

  // Consumes the rows still queued and ends the worker; rethrows the
  // consumer's exception.
  void finish() {
    if (filling_) ship();
    if (!worker_.joinable()) return;
    {
      std::lock_guard lock(m_);
      closing_ = true;
    }
    to_worker_.notify_all();
    worker_.join();
    if (error_) std::rethrow_exception(error_);
  }

 private:
  static constexpr std::size_t kBatchRows = 2048;
  static constexpr std::size_t kBatchText = 1 << 19;
  static constexpr std::size_t kMaxQueued = 8;

  struct Batch {
    Table table = Table::service;
    RowBatch rows;
  };

  std::unique_ptr<Batch> spare() {
    std::lock_guard lock(m_);
    if (spare_.empty()) return std::make_unique<Batch>();
    auto b = std::move(spare_.back());
    spare_.pop_back();
    return b;
  }

  void ship() {
    auto batch = std::move(filling_);
    if (!worker_.joinable()) {
      consume_(batch->table, batch->rows);
      std::lock_guard lock(m_);
      spare_.push_back(std::move(batch));
      return;
    }
    std::unique_lock lock(m_);
    to_reader_.wait(lock, [&] { return error_ || queue_.size() < kMaxQueued; });
    if (error_) std::rethrow_exception(error_);  // stops the read
    queue_.push_back(std::move(batch));
    lock.unlock();
    to_worker_.notify_one();
  }

  void work() {
    bool idle_work = true;  // may idle_() have something to do?
    for (;;) {
      std::unique_ptr<Batch> batch;
      {
        std::unique_lock lock(m_);
        // Nothing queued while the reader reads on: idle work, if any.
        const bool idle_now = idle_work && queue_.empty() && !stop_ && !closing_;
        if (!idle_now) {
          to_worker_.wait(lock, [&] { return stop_ || closing_ || !queue_.empty(); });
          if (stop_ || queue_.empty()) return;
          batch = std::move(queue_.front());
          queue_.pop_front();
        }
      }
      std::exception_ptr error;
      try {
        if (batch) {
          to_reader_.notify_one();  // room in the queue
          consume_(batch->table, batch->rows);
          idle_work = true;  // what the idle work waits for may be here now
        } else {
          idle_work = idle_();
        }
      } catch (...) {
        error = std::current_exception();
      }
      std::lock_guard lock(m_);
      if (batch) spare_.push_back(std::move(batch));
      if (error) {
        error_ = error;
        to_reader_.notify_one();
        return;
      }
    }
  }

  Consumer consume_;
  std::function<bool()> idle_;
  std::unique_ptr<Batch> filling_;
  std::mutex m_;
  std::condition_variable to_worker_, to_reader_;
  std::deque<std::unique_ptr<Batch>> queue_;
  std::vector<std::unique_ptr<Batch>> spare_;
  bool closing_ = false, stop_ = false;
  std::exception_ptr error_;
  std::thread worker_;  // last: started once everything above exists
};

// Runs a and b, on two threads when `parallel`.
template <class A, class B>
void both(bool parallel, A&& a, B&& b) {
  if (!parallel) {
    a();
    b();
    return;
  }
  std::exception_ptr error;
  std::thread other([&] {
    try {
      a();
    } catch (...) {
      error = std::current_exception();
    }
  });
  try {
    b();
  } catch (...) {
    other.join();
    throw;
  }
  other.join();
  if (error) std::rethrow_exception(error);
}

// ---- Building the entries ----

// The values of one vector field of the entries, gathered while consecutive
// rows belong to the same entry and appended in one go when the entry changes
// (rows usually come grouped by their owner): one allocation per entry rather
// than one per doubling.
template <class T>
class Gather {
 public:
  explicit Gather(std::vector<T> ServiceEntry::*field) : field_(field) {}
  void add(std::vector<ServiceEntry>& entries, std::uint32_t entry, const T& value) {
    if (entry != entry_) flush(entries);
    entry_ = entry;
    run_.push_back(value);
  }
  void flush(std::vector<ServiceEntry>& entries) {
    if (entry_ != UuidMap::kNone && !run_.empty()) {
      auto& out = entries[entry_].*field_;
      out.insert(out.end(), run_.begin(), run_.end());
    }
    run_.clear();
    entry_ = UuidMap::kNone;
  }

 private:
  std::vector<T> ServiceEntry::*field_;
  std::uint32_t entry_ = UuidMap::kNone;
  std::vector<T> run_;
};

// A loop over [0, size) that can be run a slice at a time.
struct Pass {
  std::size_t next = 0;
  bool done = false;
  // Runs f(i) on the next `slice` indexes; true once all are done.
  template <class F>
  bool run(std::size_t size, std::size_t slice, F&& f) {
    const std::size_t end = std::min(size, next + slice);
    for (; next < end; ++next) f(next);
    done = next >= size;
    return done;
  }
};

struct OrgInfo {
  std::string name;
  directory::ProviderKind kind = directory::ProviderKind::unknown;
  bool community_led = false;
  bool locally_owned = false;
  bool kind_set = false;
  std::string kind_attribute{};  // the id of the attribute `kind` is from
};

struct LocationInfo {
  std::optional<double> latitude;
  std::optional<double> longitude;
  std::vector<TermIndex> accessibility;
};

struct SalInfo {
  std::uint32_t service = 0;  // entry number
  Uuid location;
};

struct CostSeen {
  bool free = false;
  bool paid = false;
  std::optional<std::int64_t> lowest_pence;  // of the amounts >= 0
};

// A cost_option amount (a decimal number of pounds) in pence, rounded to the
// nearest penny; nullopt for a negative or non-finite amount, or one too
// large to be a price.
std::optional<std::int64_t> pence_of(double pounds) {
  if (!std::isfinite(pounds) || pounds < 0 || pounds > 1e12) return std::nullopt;
  return static_cast<std::int64_t>(std::llround(pounds * 100.0));
}

struct CapacityRow {
  std::uint32_t entry = 0;
  std::uint32_t id_length = 0;
  std::size_t id_offset = 0;  // in capacity_ids_
  double available = 0, maximum = 0;
  bool has_available = false, has_maximum = false;
};

// The SELECTs, their columns as the on_* functions below read them.
constexpr const char* kServiceSql =
    "SELECT id, organization_id, status, name, description, minimum_age, maximum_age, last_modified FROM service";
// The entries' strings (name, description): the building thread has the most
// to do while the service table is read (each entry is new memory), so the
// reading thread makes them.
constexpr std::uint32_t kServiceOwn = 1u << 3 | 1u << 4;
constexpr const char* kSalSql = "SELECT id, service_id, location_id FROM service_at_location";
constexpr const char* kLocationSql = "SELECT id, latitude, longitude FROM location";
constexpr const char* kOrganizationSql = "SELECT id, name FROM organization";
constexpr const char* kAttributeSql =
    "SELECT id, link_id, link_entity, link_type, taxonomy_term_id FROM attribute WHERE taxonomy_term_id IS NOT NULL";
constexpr const char* kLanguageSql = "SELECT service_id, code FROM language WHERE service_id IS NOT NULL";
constexpr const char* kCostSql = "SELECT service_id, amount FROM cost_option WHERE amount IS NOT NULL";
constexpr const char* kCapacitySql = "SELECT id, service_id, available, maximum FROM service_capacity";
constexpr const char* kScheduleSql =
    "SELECT service_id, service_at_location_id, freq, byday, opens_at, closes_at, valid_from, valid_to, dtstart"
    " FROM schedule";

// Entries are numbered in the order their service rows are read; the other
// tables' rows find them by that number, and finish() sorts them by id.
//
// A whole directory is read on the calling thread and built on a second one
// (RowPipe). What needs only some of the tables (the sites, the organizations'
// fields, sorting what is complete) the second thread does while it waits for
// rows, mostly during the schedule's long read; finish() does the rest, on two
// threads.
class EntryBuilder {
 public:
  EntryBuilder(Connection& c, const directory::Taxonomy& taxonomy, const std::vector<std::string>* service_ids)
      : c_(c), taxonomy_(taxonomy), only_(service_ids) {}

  std::vector<ServiceEntry> build() { return only_ == nullptr ? build_all() : build_some(); }

 private:
  using RowRef = RowBatch::Ref;
  static constexpr std::size_t kSlice = 8192;  // entries per slice of idle work
  static constexpr std::size_t kParallel = 10'000;  // entries worth a second thread in finish()

  std::vector<ServiceEntry> build_all() {
    // Room for every service up front, and as much for the other tables'
    // records (a guess): growing a vector copies it and touches twice the
    // memory, while room never used costs only address space.
    if (const auto n = c_.scalar("SELECT count(*) FROM service")) {
      const auto count = static_cast<std::size_t>(std::max<std::int64_t>(0, Row({*n}).integer(0)));
      entries_.reserve(count);
      services_.reserve(count);
      has_org_.reserve(count);
      sals_.reserve(count);
      sal_index_.reserve(count);
      locations_.reserve(count);
      location_index_.reserve(count);
      orgs_.reserve(count);
      org_index_.reserve(count);
      capacities_.reserve(count);
      capacity_ids_.reserve(count * 36);
    }
    RowPipe pipe([this](Table t, RowBatch& rows) { consume(t, rows); }, [this] { return idle(); }, true);
    const auto read = [&](Table t, const char* select) {
      const std::uint32_t own = t == Table::service ? kServiceOwn : 0;
      c_.for_each_row(select, {}, [&](const Row& row) { pipe.add(t, row, own); });
    };
    read(Table::service, kServiceSql);
    read(Table::service_at_location, kSalSql);
    read(Table::location, kLocationSql);
    read(Table::organization, kOrganizationSql);
    read(Table::attribute, kAttributeSql);
    read(Table::language, kLanguageSql);
    read(Table::cost_option, kCostSql);
    read(Table::service_capacity, kCapacitySql);
    read(Table::schedule, kScheduleSql);
    pipe.finish();
    return finish();
  }

  // Each read needs the ids the one before found: all on this thread.
  std::vector<ServiceEntry> build_some() {
    RowPipe pipe([this](Table t, RowBatch& rows) { consume(t, rows); }, {}, false);
    const auto read = [&](Table t, const std::string& select, std::string_view key,
                          const std::vector<std::string>& keys) {
      scan(c_, select, key, keys, [&](const Row& row) { pipe.add(t, row); });
    };
    read(Table::service, kServiceSql, "id", *only_);
    pipe.drain();
    if (entries_.empty()) return {};
    std::vector<std::string> service_ids, org_ids;
    for (std::size_t i = 0; i < entries_.size(); ++i) {
      service_ids.push_back(entries_[i].id.text());
      if (has_org_[i]) org_ids.push_back(entries_[i].organization_id.text());
    }
    sort_unique(service_ids);
    sort_unique(org_ids);
    read(Table::service_at_location, kSalSql, "service_id", service_ids);
    pipe.drain();
    sort_unique(sal_ids_);
    sort_unique(location_ids_);
    read(Table::location, kLocationSql, "id", location_ids_);
    read(Table::organization, kOrganizationSql, "id", org_ids);
    std::vector<std::string> owners = service_ids;
    owners.insert(owners.end(), org_ids.begin(), org_ids.end());
    owners.insert(owners.end(), location_ids_.begin(), location_ids_.end());
    sort_unique(owners);
    read(Table::attribute, kAttributeSql, "link_id", owners);
    read(Table::language, kLanguageSql, "service_id", service_ids);
    read(Table::cost_option, kCostSql, "service_id", service_ids);
    read(Table::service_capacity, kCapacitySql, "service_id", service_ids);
    read(Table::schedule, kScheduleSql, "service_id", service_ids);
    // A service_at_location's own schedules, when they carry no service_id.
    read(Table::schedule, std::string(kScheduleSql) + " WHERE service_id IS NULL", "service_at_location_id", sal_ids_);
    pipe.finish();
    return finish();
  }

  void consume(Table table, RowBatch& rows) {
    // Tables come in order: the ones before this are complete.
    reading_ = std::max(reading_, table);
    const auto each = [&](auto&& on_row) {
      for (std::size_t i = 0; i < rows.size(); ++i) on_row(rows[i]);
    };
    switch (table) {
      case Table::service:
        return each([&](const RowRef& r) { on_service(r); });
      case Table::service_at_location:
        return each([&](const RowRef& r) { on_service_at_location(r); });
      case Table::location:
        return each([&](const RowRef& r) { on_location(r); });
      case Table::organization:
        return each([&](const RowRef& r) { on_organization(r); });
      case Table::attribute:
        return each([&](const RowRef& r) { on_attribute(r); });
      case Table::language:
        return each([&](const RowRef& r) { on_language(r); });
      case Table::cost_option:
        return each([&](const RowRef& r) { on_cost(r); });
      case Table::service_capacity:
        return each([&](const RowRef& r) { on_capacity(r); });
      case Table::schedule:
        return each([&](const RowRef& r) { on_schedule(r); });
    }
  }

  // ---- One row at a time ----

  void on_service(const RowRef& row) {
    bool upper = false;
    const auto id = parse_uuid(row.view(0), &upper);
    if (!id) return;
    services_.add(*id, upper);
    ServiceEntry& e = entries_.emplace_back();
    e.id = *id;
    e.active = row.view(2) == "active";
    e.name = row.take(3);
    e.description = row.take(4);
    if (const auto a = row.number(5); a && std::isfinite(*a))
      e.minimum_age = static_cast<std::uint8_t>(std::ceil(std::clamp(*a, 0.0, 130.0)));
    if (const auto a = row.number(6); a && std::isfinite(*a))
      e.maximum_age = static_cast<std::uint8_t>(std::floor(std::clamp(*a, 0.0, 130.0)));
    if (const auto modified = core::parse_rfc3339(row.view(7))) e.last_modified = modified->time_since_epoch().count();
    const auto org = parse_uuid(row.view(1));
    if (org) e.organization_id = *org;
    has_org_.push_back(org.has_value());
  }

  // The entry with the id in `text`: nullopt when the text is not a UUID,
  // kNone when there is no such service.
  std::optional<std::uint32_t> service_entry(Lookup& lookup, std::string_view text) { return lookup(services_, text); }

  void on_service_at_location(const RowRef& row) {
    bool upper = false;
    const auto id = parse_uuid(row.view(0), &upper);
    const auto service = service_entry(sal_service_, row.view(1));
    const auto location = parse_uuid(row.view(2));
    if (!id || !service || !location || *service == UuidMap::kNone) return;
    sal_index_.add(*id, upper);
    sals_.push_back({*service, *location});
    if (only_ != nullptr) {
      sal_ids_.push_back(id->text());
      location_ids_.push_back(location->text());
    }
  }

  void on_location(const RowRef& row) {
    bool upper = false;
    const auto id = parse_uuid(row.view(0), &upper);
    if (!id) return;
    location_index_.add(*id, upper);
    auto& info = locations_.emplace_back();
    info.latitude = row.number(1);
    info.longitude = row.number(2);
  }

  void on_organization(const RowRef& row) {
    bool upper = false;
    const auto id = parse_uuid(row.view(0), &upper);
    if (!id) return;
    org_index_.add(*id, upper);
    orgs_.emplace_back().name = row.view(1);
  }

  void on_attribute(const RowRef& row) {
    // The link's lookups, remembered for the rows that follow with the same link.
    const auto link_text = row.view(1);
    if (!link_valid_ || link_text != link_text_) {
      link_text_.assign(link_text);
      link_valid_ = true;
      link_ = parse_uuid(link_text);
      link_service_ = link_org_ = link_location_ = kNotLooked;
    }
    if (!link_) return;
    const auto term_id = parse_uuid(row.view(4));
    if (!term_id) return;
    const auto term = taxonomy_.find(*term_id);
    if (!term) return;
    const auto entity = row.view(2);
    const auto type = row.view(3);
    const bool any = entity.empty();
    if (any || entity == "service") {
      if (link_service_ == kNotLooked) link_service_ = services_.find(*link_, attribute_service_cursor_);
      if (link_service_ != UuidMap::kNone) {
        (type == "eligibility" ? eligible_ : terms_).add(entries_, link_service_, *term);
        return;
      }
    }
    if (any || entity == "organization") {
      if (link_org_ == kNotLooked) link_org_ = org_index_.find(*link_, attribute_org_cursor_);
      if (link_org_ != UuidMap::kNone) {
        auto& org = orgs_[link_org_];
        const auto& code = taxonomy_.term(*term).code;
        if (type == "provider_kind") {
          // Several: the attribute with the greatest id wins, whatever the read order.
          const auto attribute_id = row.view(0);
          if (const auto k = provider_kind(code); k && (!org.kind_set || attribute_id >= org.kind_attribute)) {
            org.kind = *k;
            org.kind_set = true;
            org.kind_attribute = attribute_id;
          }
        } else if (type == "organisation_feature") {
          if (code == "community_led") org.community_led = true;
          if (code == "locally_owned") org.locally_owned = true;
        }
        return;
      }
    }
    if ((any || entity == "location") && type == "accessibility") {
      if (link_location_ == kNotLooked) link_location_ = location_index_.find(*link_, attribute_location_cursor_);
      if (link_location_ != UuidMap::kNone) locations_[link_location_].accessibility.push_back(*term);
    }
  }

  void on_language(const RowRef& row) {
    const auto e = service_entry(language_service_, row.view(0));
    if (!e || *e == UuidMap::kNone) return;
    if (const auto code = language_code(row.view(1))) languages_.add(entries_, *e, *code);
  }

  void on_cost(const RowRef& row) {
    const auto e = service_entry(cost_service_, row.view(0));
    const auto amount = row.number(1);
    if (!e || *e == UuidMap::kNone || !amount) return;
    if (costs_.size() != entries_.size()) costs_.resize(entries_.size());
    auto& seen = costs_[*e];
    if (*amount == 0) seen.free = true;
    if (*amount > 0) seen.paid = true;
    if (const auto pence = pence_of(*amount); pence && (!seen.lowest_pence || *pence < *seen.lowest_pence))
      seen.lowest_pence = pence;
  }

  void on_capacity(const RowRef& row) {
    const auto e = service_entry(capacity_service_, row.view(1));
    if (!e || *e == UuidMap::kNone) return;
    const auto id = row.view(0);
    const auto available = row.number(2);
    const auto maximum = row.number(3);
    capacities_.push_back({*e, static_cast<std::uint32_t>(id.size()), capacity_ids_.size(), available.value_or(0),
                           maximum.value_or(0), available.has_value(), maximum.has_value()});
    capacity_ids_.append(id);
  }

  void on_schedule(const RowRef& row) {
    // The service's (service_id), else its service_at_location's.
    std::uint32_t e = UuidMap::kNone;
    if (const auto s = service_entry(schedule_service_, row.view(0))) {
      e = *s;
    } else if (const auto sal = schedule_sal_(sal_index_, row.view(1)); sal && *sal != UuidMap::kNone) {
      e = sals_[*sal].service;
    }
    if (e == UuidMap::kNone) return;
    const auto freq = row.view(2);
    const auto opens = parse_time(row.view(4));
    const auto closes = parse_time(row.view(5));
    if (freq == "WEEKLY") {
      if (opens && closes)
        add_weekly(row.view(3), parse_date(row.view(8)), *opens, *closes,
                   [&](const directory::WeeklyOpening& w) { weekly_.add(entries_, e, w); });
      return;
    }
    if (!freq.empty()) return;  // MONTHLY: not a weekly pattern nor a dated exception
    const auto from = parse_date(row.view(6));
    if (!from) return;
    const auto to = parse_date(row.view(7)).value_or(*from);
    directory::DatedOpening d;
    d.first_day = *from;
    d.last_day = std::max(*from, to);
    if (opens) {
      d.closed = false;
      d.opens = static_cast<std::uint16_t>(*opens);
      int c = closes.value_or(1440);
      if (c <= *opens) c = 1440;
      d.closes = static_cast<std::uint16_t>(c);
    }
    dated_.add(entries_, e, d);
  }

  // ---- Once some tables are complete ----

  // Sites and accessibility from the locations (after the attributes).
  void add_sites_of(std::size_t n) {
    const auto& sal = sals_[n];
    const auto at = location_index_.find(sal.location, sites_cursor_);
    if (at == UuidMap::kNone) return;
    auto& e = entries_[sal.service];
    const auto& loc = locations_[at];
    e.terms.insert(e.terms.end(), loc.accessibility.begin(), loc.accessibility.end());
    if (loc.latitude && loc.longitude)
      e.sites.push_back({sal_index_.id(static_cast<std::uint32_t>(n)), sal.location, *loc.latitude, *loc.longitude});
  }

  // The organization's fields (after the attributes).
  void add_organization_of(std::size_t i) {
    if (!has_org_[i]) return;
    auto& e = entries_[i];
    if (const auto at = org_index_.find(e.organization_id, org_fields_cursor_); at != UuidMap::kNone) {
      const auto& org = orgs_[at];
      e.organization_name = org.name;
      e.provider_kind = org.kind;
      e.community_led = org.community_led;
      e.locally_owned = org.locally_owned;
    }
  }

  // After the sites.
  void sort_terms_of(std::size_t i) {
    auto& e = entries_[i];
    sort_unique(e.terms);
    sort_unique(e.eligible_circumstances);
    std::sort(e.sites.begin(), e.sites.end(),
              [](const auto& a, const auto& b) { return a.service_at_location_id < b.service_at_location_id; });
  }

  // After the schedules.
  void sort_hours_of(std::size_t i) {
    auto& e = entries_[i];
    std::sort(e.weekly.begin(), e.weekly.end(), [](const auto& a, const auto& b) {
      return std::tie(a.day, a.opens, a.closes) < std::tie(b.day, b.opens, b.closes);
    });
    e.weekly.erase(std::unique(e.weekly.begin(), e.weekly.end()), e.weekly.end());
    std::sort(e.dated.begin(), e.dated.end(), [](const auto& a, const auto& b) {
      return std::tie(a.first_day, a.last_day, a.closed, a.opens, a.closes) <
             std::tie(b.first_day, b.last_day, b.closed, b.opens, b.closes);
    });
    e.dated.erase(std::unique(e.dated.begin(), e.dated.end()), e.dated.end());
  }

  // Summed in order of id, so the (floating-point) sums do not depend on the read order.
  void sum_capacities() {
    const auto capacity_id = [&](const CapacityRow& r) {
      return std::string_view(capacity_ids_.data() + r.id_offset, r.id_length);
    };
    std::sort(capacities_.begin(), capacities_.end(), [&](const CapacityRow& a, const CapacityRow& b) {
      return a.entry != b.entry ? a.entry < b.entry : capacity_id(a) < capacity_id(b);
    });
    for (std::size_t first = 0; first < capacities_.size();) {
      const auto entry = capacities_[first].entry;
      double available = 0, maximum = 0;
      bool any = false, any_maximum = false;
      for (; first < capacities_.size() && capacities_[first].entry == entry; ++first) {
        const auto& r = capacities_[first];
        if (r.has_available) {
          available += r.available;
          any = true;
        }
        if (r.has_maximum) {
          maximum += r.maximum;
          any_maximum = true;
        }
      }
      if (any) entries_[entry].capacity_available = clamp_to_int32(available);
      if (any_maximum) entries_[entry].capacity_maximum = clamp_to_int32(maximum);
    }
    capacities_summed_ = true;
  }

  // The work that waits only for tables already read, a slice at a time;
  // false when there is none (for now).
  bool idle() {
    if (reading_ > Table::attribute) {
      if (!sites_.done) {
        if (sites_.next == 0) {
          terms_.flush(entries_);
          eligible_.flush(entries_);
        }
        sites_.run(sals_.size(), kSlice, [&](std::size_t n) { add_sites_of(n); });
        return true;
      }
      if (!org_fields_.done) {
        org_fields_.run(entries_.size(), kSlice, [&](std::size_t i) { add_organization_of(i); });
        return true;
      }
      if (!terms_sorted_.done) {
        terms_sorted_.run(entries_.size(), kSlice, [&](std::size_t i) { sort_terms_of(i); });
        return true;
      }
    }
    if (reading_ > Table::language && !languages_sorted_.done) {
      if (languages_sorted_.next == 0) languages_.flush(entries_);
      languages_sorted_.run(entries_.size(), kSlice, [&](std::size_t i) { sort_unique(entries_[i].languages); });
      return true;
    }
    if (reading_ > Table::service_capacity && !capacities_summed_) {
      sum_capacities();
      return true;
    }
    return false;
  }

  std::vector<ServiceEntry> finish() {
    const std::size_t n = entries_.size();
    const bool parallel = n >= kParallel;

    // What idle() has not done.
    if (!sites_.done || !org_fields_.done) {
      if (sites_.next == 0) {
        terms_.flush(entries_);
        eligible_.flush(entries_);
      }
      // Two lookup tables, different fields of the entries: two threads.
      both(
          parallel, [&] { sites_.run(sals_.size(), sals_.size(), [&](std::size_t s) { add_sites_of(s); }); },
          [&] { org_fields_.run(n, n, [&](std::size_t i) { add_organization_of(i); }); });
    }
    if (languages_sorted_.next == 0) languages_.flush(entries_);
    if (!capacities_summed_) sum_capacities();
    weekly_.flush(entries_);
    dated_.flush(entries_);

    // Each entry's cost and the lists not sorted yet, and the order by id.
    services_.seal();
    std::vector<std::pair<Uuid, std::uint32_t>> by_id;
    const auto complete = [&](std::size_t first, std::size_t last) {
      for (std::size_t i = first; i < last; ++i) {
        auto& e = entries_[i];
        const auto& cost = i < costs_.size() ? costs_[i] : CostSeen{};
        e.cost = cost.free ? directory::Cost::free : cost.paid ? directory::Cost::paid : directory::Cost::unknown;
        e.lowest_cost_pence = cost.lowest_pence;
        if (i >= terms_sorted_.next) sort_terms_of(i);
        if (i >= languages_sorted_.next) sort_unique(e.languages);
        sort_hours_of(i);
      }
    };
    const std::size_t half = n / 2;
    both(
        parallel,
        [&] {
          by_id.reserve(n);
          for (std::uint32_t i = 0; i < n; ++i)
            if (services_.kept_itself(i)) by_id.emplace_back(services_.id(i), i);
          std::sort(by_id.begin(), by_id.end());
          complete(half, n);
        },
        [&] { complete(0, half); });

    if (by_id.size() != n) {  // some duplicates to leave out
      std::vector<ServiceEntry> out;
      out.reserve(by_id.size());
      for (const auto& [id, i] : by_id) out.push_back(std::move(entries_[i]));
      return out;
    }
    // Permute in place, cycle by cycle: entry j becomes entries_[by_id[j].second].
    for (std::uint32_t start = 0; start < n; ++start) {
      if (by_id[start].second == start) continue;
      ServiceEntry held = std::move(entries_[start]);
      std::uint32_t j = start;
      for (;;) {
        const std::uint32_t from = by_id[j].second;
        by_id[j].second = j;  // done
        if (from == start) {
          entries_[j] = std::move(held);
          break;
        }
        entries_[j] = std::move(entries_[from]);
        j = from;
      }
    }
    return std::move(entries_);
  }

  static constexpr std::uint32_t kNotLooked = UuidMap::kNone - 1;

  Connection& c_;
  const directory::Taxonomy& taxonomy_;
  const std::vector<std::string>* only_;  // null: every service

  std::vector<ServiceEntry> entries_;  // in the order read
  // Each table's records and their ids, numbered alike. Of several rows with
  // the same UUID, the first service or service_at_location counts, the last
  // location or organization.
  IdIndex services_{IdIndex::Keep::first};
  std::vector<bool> has_org_;
  std::vector<SalInfo> sals_;
  IdIndex sal_index_{IdIndex::Keep::first};
  std::vector<LocationInfo> locations_;
  IdIndex location_index_{IdIndex::Keep::last};
  std::vector<OrgInfo> orgs_;
  IdIndex org_index_{IdIndex::Keep::last};
  std::vector<CostSeen> costs_;
  std::vector<CapacityRow> capacities_;
  std::string capacity_ids_;
  Gather<TermIndex> terms_{&ServiceEntry::terms};
  Gather<TermIndex> eligible_{&ServiceEntry::eligible_circumstances};
  Gather<std::array<char, 3>> languages_{&ServiceEntry::languages};
  Gather<directory::WeeklyOpening> weekly_{&ServiceEntry::weekly};
  Gather<directory::DatedOpening> dated_{&ServiceEntry::dated};

  Lookup sal_service_, language_service_, cost_service_, capacity_service_, schedule_service_, schedule_sal_;
  std::string link_text_;
  bool link_valid_ = false;
  std::optional<Uuid> link_;
  std::uint32_t link_service_ = kNotLooked, link_org_ = kNotLooked, link_location_ = kNotLooked;
  std::uint32_t attribute_service_cursor_ = UuidMap::kNone, attribute_org_cursor_ = UuidMap::kNone,
                attribute_location_cursor_ = UuidMap::kNone;

  // Progress: the table being read, and the work done once others are complete.
  Table reading_ = Table::service;
  Pass sites_, org_fields_, terms_sorted_, languages_sorted_;
  std::uint32_t sites_cursor_ = UuidMap::kNone, org_fields_cursor_ = UuidMap::kNone;
  bool capacities_summed_ = false;

  // Some services: the keys of the reads that follow.
  std::vector<std::string> sal_ids_, location_ids_;
};

}  // namespace

directory::Taxonomy load_taxonomy(Connection& c) {
  directory::Taxonomy tax;
  struct TaxRow {
    Uuid id;
    std::string name;
  };
  std::vector<TaxRow> taxonomies;
  c.for_each_row("SELECT id, name FROM taxonomy", {}, [&](const Row& row) {
    if (const auto id = uuid_at(row, 0)) taxonomies.push_back({*id, row.text(1)});
  });
  std::sort(taxonomies.begin(), taxonomies.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  std::unordered_map<std::string, std::uint32_t> by_name;
  for (auto& t : taxonomies) {
    const auto index = tax.add_taxonomy({t.id, t.name});
    by_name.emplace(t.name, index);
  }

  struct TermRow {
    Uuid id;
    std::optional<Uuid> taxonomy_id;
    std::string taxonomy_name;
    std::string code;
    std::string name;
    std::optional<Uuid> parent;
  };
  std::vector<TermRow> rows;
  c.for_each_row("SELECT id, taxonomy_id, taxonomy, code, name, parent_id FROM taxonomy_term", {}, [&](const Row& row) {
    const auto id = uuid_at(row, 0);
    if (!id) return;
    rows.push_back({*id, uuid_at(row, 1), row.text(2), row.text(3), row.text(4), uuid_at(row, 5)});
  });
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  std::unordered_map<Uuid, std::size_t, UuidHash> row_of;
  for (std::size_t i = 0; i < rows.size(); ++i) row_of.emplace(rows[i].id, i);

  std::optional<std::uint32_t> placeholder;
  const auto taxonomy_of = [&](const TermRow& t) -> std::uint32_t {
    if (t.taxonomy_id) {
      if (const auto i = tax.find_taxonomy(*t.taxonomy_id)) return *i;
    }
    if (const auto it = by_name.find(t.taxonomy_name); !t.taxonomy_name.empty() && it != by_name.end()) return it->second;
    if (!placeholder) placeholder = tax.add_taxonomy({Uuid{}, ""});
    return *placeholder;
  };

  // Parents first: walk up from each term to a term already added (or a root),
  // then add the path top-down. A walk that meets its own path found a cycle:
  // the last term on it becomes top-level.
  enum : std::uint8_t { kNew, kOnPath, kAdded };
  std::vector<std::uint8_t> state(rows.size(), kNew);
  std::vector<std::optional<TermIndex>> index(rows.size());
  std::vector<std::size_t> path;
  for (std::size_t start = 0; start < rows.size(); ++start) {
    path.clear();
    std::optional<std::size_t> at = start;
    while (at && state[*at] == kNew) {
      state[*at] = kOnPath;
      path.push_back(*at);
      const auto& p = rows[*at].parent;
      const auto it = p ? row_of.find(*p) : row_of.end();
      at = it == row_of.end() ? std::nullopt : std::optional<std::size_t>(it->second);
    }
    const bool cycle = at && state[*at] == kOnPath;
    for (auto it = path.rbegin(); it != path.rend(); ++it) {
      const std::size_t r = *it;
      std::optional<TermIndex> parent;
      const bool cut = cycle && it == path.rbegin();
      if (!cut && rows[r].parent) {
        if (const auto p = row_of.find(*rows[r].parent); p != row_of.end() && state[p->second] == kAdded)
          parent = index[p->second];
      }
      auto& t = rows[r];
      index[r] = tax.add_term({t.id, taxonomy_of(t), std::move(t.code), std::move(t.name), parent});
      state[r] = kAdded;
    }
  }
  return tax;
}

std::vector<directory::ServiceEntry> load_service_entries(Connection& c, const directory::Taxonomy& taxonomy) {
  return EntryBuilder(c, taxonomy, nullptr).build();
}

std::vector<directory::ServiceEntry> load_service_entries(Connection& c, const directory::Taxonomy& taxonomy,
                                                          std::span<const std::string> service_ids) {
  std::vector<std::string> ids(service_ids.begin(), service_ids.end());
  sort_unique(ids);
  if (ids.empty()) return {};
  return EntryBuilder(c, taxonomy, &ids).build();
}

AffectedServices services_affected(Connection& c, std::span<const Change> changes) {
  AffectedServices out;
  std::map<std::string, std::vector<std::string>, std::less<>> by_entity;
  for (const auto& ch : changes) {
    if (ch.entity == "*" || ch.entity == "taxonomy" || ch.entity == "taxonomy_term") {
      out.full_rebuild = true;
      return out;
    }
    by_entity[ch.entity].push_back(ch.record_id);
  }
  for (auto& [entity, ids] : by_entity) sort_unique(ids);

  std::vector<std::string> orgs, locations;
  const auto ids_of = [&](std::string_view entity) -> const std::vector<std::string>& {
    static const std::vector<std::string> none;
    const auto it = by_entity.find(entity);
    return it == by_entity.end() ? none : it->second;
  };
  const auto collect = [&](const std::string& select, std::string_view key, const std::vector<std::string>& keys,
                           std::vector<std::string>& into) {
    if (keys.empty()) return;
    scan(c, select, key, keys, [&](const Row& row) {
      if (const auto* s = text_at(row, 0)) into.push_back(*s);
    });
  };
  std::vector<std::string> direct(ids_of("service"));
  orgs = ids_of("organization");
  locations = ids_of("location");
  std::vector<std::string> sals(ids_of("service_at_location"));

  for (const char* table : {"service_at_location", "language", "cost_option", "service_capacity"})
    collect(std::string("SELECT service_id FROM ") + table + " WHERE service_id IS NOT NULL", "id", ids_of(table),
            direct);
  if (const auto& schedules = ids_of("schedule"); !schedules.empty()) {
    collect("SELECT service_id FROM schedule WHERE service_id IS NOT NULL", "id", schedules, direct);
    collect("SELECT service_at_location_id FROM schedule WHERE service_id IS NULL", "id", schedules, sals);
  }
  if (const auto& attributes = ids_of("attribute"); !attributes.empty()) {
    scan(c, "SELECT link_id, link_entity FROM attribute", "id", attributes, [&](const Row& row) {
      const auto* link = text_at(row, 0);
      if (!link) return;
      const auto entity = view_at(row, 1);
      if (entity.empty() || entity == "service") direct.push_back(*link);
      if (entity.empty() || entity == "organization") orgs.push_back(*link);
      if (entity.empty() || entity == "location") locations.push_back(*link);
    });
  }
  sort_unique(sals);
  sort_unique(orgs);
  sort_unique(locations);
  collect("SELECT service_id FROM service_at_location WHERE service_id IS NOT NULL", "id", sals, direct);
  collect("SELECT id FROM service WHERE organization_id IS NOT NULL", "organization_id", orgs, direct);
  collect("SELECT service_id FROM service_at_location WHERE service_id IS NOT NULL", "location_id", locations, direct);

  // An attribute without link_entity may name anything: keep only real services.
  // Ids named by a "service" change are kept even when deleted.
  std::set<std::string> named(ids_of("service").begin(), ids_of("service").end());
  sort_unique(direct);
  std::vector<std::string> unknown;
  for (auto& id : direct)
    if (!named.contains(id)) unknown.push_back(id);
  collect("SELECT id FROM service", "id", unknown, out.service_ids);
  for (auto& id : named) out.service_ids.push_back(id);
  sort_unique(out.service_ids);
  return out;
}

}  // namespace bespoke::store
