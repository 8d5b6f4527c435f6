#include "directory/text.h"

#include <libstemmer.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <new>
#include <vector>

namespace bespoke::directory {
namespace {

// Folding of U+00C0..U+017F to ASCII; "" marks a non-letter (× and ÷).
struct FoldRange {
  char32_t first;
  char32_t last;
  const char* ascii;
};
constexpr FoldRange kFolds[] = {
    {0xC0, 0xC5, "a"},    {0xC6, 0xC6, "ae"},   {0xC7, 0xC7, "c"},    {0xC8, 0xCB, "e"},
    {0xCC, 0xCF, "i"},    {0xD0, 0xD0, "d"},    {0xD1, 0xD1, "n"},    {0xD2, 0xD6, "o"},
    {0xD7, 0xD7, ""},     {0xD8, 0xD8, "o"},    {0xD9, 0xDC, "u"},    {0xDD, 0xDD, "y"},
    {0xDE, 0xDE, "th"},   {0xDF, 0xDF, "ss"},   {0xE0, 0xE5, "a"},    {0xE6, 0xE6, "ae"},
    {0xE7, 0xE7, "c"},    {0xE8, 0xEB, "e"},    {0xEC, 0xEF, "i"},    {0xF0, 0xF0, "d"},
    {0xF1, 0xF1, "n"},    {0xF2, 0xF6, "o"},    {0xF7, 0xF7, ""},     {0xF8, 0xF8, "o"},
    {0xF9, 0xFC, "u"},    {0xFD, 0xFD, "y"},    {0xFE, 0xFE, "th"},   {0xFF, 0xFF, "y"},
    {0x100, 0x105, "a"},  {0x106, 0x10D, "c"},  {0x10E, 0x111, "d"},  {0x112, 0x11B, "e"},
    {0x11C, 0x123, "g"},  {0x124, 0x127, "h"},  {0x128, 0x131, "i"},  {0x132, 0x133, "ij"},
    {0x134, 0x135, "j"},  {0x136, 0x138, "k"},  {0x139, 0x142, "l"},  {0x143, 0x14B, "n"},
    {0x14C, 0x151, "o"},  {0x152, 0x153, "oe"}, {0x154, 0x159, "r"},  {0x15A, 0x161, "s"},
    {0x162, 0x167, "t"},  {0x168, 0x173, "u"},  {0x174, 0x175, "w"},  {0x176, 0x178, "y"},
    {0x179, 0x17E, "z"},  {0x17F, 0x17F, "s"},
};

const char* fold(char32_t cp) noexcept {
  for (const auto& r : kFolds) {
    if (cp >= r.first && cp <= r.last) return r.ascii;
  }
  return "";
}

// Code points above U+017F that separate words.
bool is_separator(char32_t cp) noexcept {
  return (cp >= 0x2000 && cp <= 0x2BFF) ||    // punctuation, symbols, arrows, shapes
         (cp >= 0x3000 && cp <= 0x303F) ||    // CJK punctuation
         (cp >= 0xFE00 && cp <= 0xFE0F) ||    // variation selectors
         cp == 0xFEFF ||                      // byte order mark
         (cp >= 0xFF00 && cp <= 0xFF0F) ||    // full-width punctuation
         (cp >= 0x1F000 && cp <= 0x1FAFF) ||  // emoji and pictographs
         (cp >= 0xE000 && cp <= 0xF8FF);      // private use
}

bool is_apostrophe(char32_t cp) noexcept { return cp == '\'' || cp == 0x2019; }

// Decodes one code point at text[at]; returns its length, or 0 when invalid.
std::size_t decode(std::string_view text, std::size_t at, char32_t& cp) noexcept {
  const auto b0 = static_cast<unsigned char>(text[at]);
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  std::size_t len = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (at + len > text.size()) return 0;
  for (std::size_t i = 1; i < len; ++i) {
    const auto b = static_cast<unsigned char>(text[at + i]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

// Sorted, for binary search.
constexpr std::array<std::string_view, 40> kStopWords{
    "a",     "about", "all",  "an",   "and",  "any",   "are",  "as",   "at",   "be",
    "been",  "but",   "by",   "can",  "for",  "from",  "has",  "have", "in",   "into",
    "is",    "it",    "its",  "of",   "on",   "or",    "our",  "so",   "that", "the",
    "their", "them",  "they", "this", "to",   "was",   "we",   "were", "with", "you"};

}  // namespace

bool WordReader::next() {
  word_.clear();
  letters_ = 0;
  bool pending_apostrophe = false;
  while (at_ < text_.size()) {
    char32_t cp = 0;
    const std::size_t len = decode(text_, at_, cp);
    if (len == 0) {  // invalid byte: a separator
      ++at_;
      if (!word_.empty()) return true;
      continue;
    }
    const std::size_t start = at_;
    at_ += len;
    // Classify: append the folded form, or end the word.
    if (cp < 0x80) {
      char c = static_cast<char>(cp);
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        pending_apostrophe = false;
        word_.push_back(c);
        ++letters_;
        continue;
      }
    } else if (cp <= 0x17F) {
      const char* ascii = cp >= 0xC0 ? fold(cp) : "";
      if (*ascii != '\0') {
        pending_apostrophe = false;
        for (; *ascii != '\0'; ++ascii) {
          word_.push_back(*ascii);
          ++letters_;
        }
        continue;
      }
    } else if (!is_separator(cp)) {
      pending_apostrophe = false;
      word_.append(text_.substr(start, len));
      ++letters_;
      continue;
    }
    // A separator.
    if (is_apostrophe(cp) && !word_.empty() && !pending_apostrophe) {
      pending_apostrophe = true;  // dropped if a letter follows
      continue;
    }
    if (!word_.empty()) return true;
    pending_apostrophe = false;
  }
  return !word_.empty();
}

bool is_stop_word(std::string_view word) noexcept {
  return std::binary_search(kStopWords.begin(), kStopWords.end(), word);
}

Stemmer::Stemmer() : stemmer_(sb_stemmer_new("english", "UTF_8")) {
  if (stemmer_ == nullptr) throw std::bad_alloc();
}

Stemmer::~Stemmer() { sb_stemmer_delete(stemmer_); }

std::string_view Stemmer::stem(std::string_view word) {
  const sb_symbol* out =
      sb_stemmer_stem(stemmer_, reinterpret_cast<const sb_symbol*>(word.data()), static_cast<int>(word.size()));
  if (out == nullptr) throw std::bad_alloc();
  return {reinterpret_cast<const char*>(out), static_cast<std::size_t>(sb_stemmer_length(stemmer_))};
}

int edit_distance(std::string_view a, std::string_view b, int max) noexcept {
  const auto la = static_cast<int>(a.size());
  const auto lb = static_cast<int>(b.size());
  if (std::abs(la - lb) > max) return max + 1;
  std::vector<int> prev2(static_cast<std::size_t>(lb) + 1), prev(static_cast<std::size_t>(lb) + 1),
      row(static_cast<std::size_t>(lb) + 1);
  for (int j = 0; j <= lb; ++j) prev[static_cast<std::size_t>(j)] = j;
  for (int i = 1; i <= la; ++i) {
    row[0] = i;
    int best = row[0];
    for (int j = 1; j <= lb; ++j) {
      const auto uj = static_cast<std::size_t>(j);
      const int cost = a[static_cast<std::size_t>(i - 1)] == b[uj - 1] ? 0 : 1;
      int v = std::min({prev[uj] + 1, row[uj - 1] + 1, prev[uj - 1] + cost});
      if (i > 1 && j > 1 && a[static_cast<std::size_t>(i - 1)] == b[uj - 2] &&
          a[static_cast<std::size_t>(i - 2)] == b[uj - 1]) {
        v = std::min(v, prev2[uj - 2] + 1);
      }
      row[uj] = v;
      best = std::min(best, v);
    }
    if (best > max) return max + 1;
    std::swap(prev2, prev);
    std::swap(prev, row);
  }
  return std::min(prev[static_cast<std::size_t>(lb)], max + 1);
}

}  // namespace bespoke::directory
