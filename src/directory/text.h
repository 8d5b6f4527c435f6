#pragma once
// Words for search: how text is cut into words, folded and stemmed. The index
// and its callers (and tests) use these same functions, so a query word and
// an indexed word meet in the same form.
#include <cstddef>
#include <string>
#include <string_view>

struct sb_stemmer;  // libstemmer's (C) handle

namespace bespoke::directory {

// Reads the words of UTF-8 text, one at a time:
//   WordReader words(text);
//   while (words.next()) use(words.word());
// A word is a run of letters and digits. ASCII is lower-cased; Latin-1 and
// Latin Extended-A letters are folded to ASCII ("Café" -> "cafe", "ß" -> "ss",
// "Œuvre" -> "oeuvre"); other code points above U+017F are kept as they are,
// except punctuation, symbols and emoji, which separate words. An apostrophe
// between two letters is dropped ("children's" -> "childrens"). Invalid UTF-8
// bytes separate words.
class WordReader {
 public:
  explicit WordReader(std::string_view text) noexcept : text_(text) {}
  [[nodiscard]] bool next();
  // The current word; valid until the next call to next().
  [[nodiscard]] std::string_view word() const noexcept { return word_; }
  // The number of code points in the current word (after folding).
  [[nodiscard]] std::size_t letters() const noexcept { return letters_; }

 private:
  std::string_view text_;
  std::size_t at_ = 0;
  std::string word_;
  std::size_t letters_ = 0;
};

// True for the English words that are neither indexed nor searched for
// ("the", "and", "for", "of", ...). Takes a word as WordReader gives it.
[[nodiscard]] bool is_stop_word(std::string_view word) noexcept;

// The English Snowball stemmer (libstemmer, UTF-8).
// Thread safety: not thread-safe; use one per thread (they are cheap).
class Stemmer {
 public:
  Stemmer();
  ~Stemmer();
  Stemmer(const Stemmer&) = delete;
  Stemmer& operator=(const Stemmer&) = delete;

  // The stem of a word as WordReader gives it; valid until the next call.
  [[nodiscard]] std::string_view stem(std::string_view word);

 private:
  sb_stemmer* stemmer_;
};

// Optimal string alignment distance between two byte strings (insertions,
// deletions, substitutions and transpositions of adjacent bytes each cost
// one), or max + 1 when it is larger than max. Used for typo tolerance.
[[nodiscard]] int edit_distance(std::string_view a, std::string_view b, int max) noexcept;

}  // namespace bespoke::directory
