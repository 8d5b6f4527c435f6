// Words, stems, edit distance, ids and the taxonomy: the pieces under the index.
#include "directory/text.h"

#include "directory/entry.h"
#include "directory/taxonomy.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace bespoke::directory {
namespace {

std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> out;
  WordReader reader(text);
  while (reader.next()) out.emplace_back(reader.word());
  return out;
}

using Words = std::vector<std::string>;

TEST(WordReader, SplitsOnPunctuationAndLowerCases) {
  EXPECT_EQ(words_of("Food bank, Tuesdays & Fridays (10-12)!"),
            (Words{"food", "bank", "tuesdays", "fridays", "10", "12"}));
  EXPECT_EQ(words_of(""), Words{});
  EXPECT_EQ(words_of("  ... --- "), Words{});
}

TEST(WordReader, FoldsLatinAccentsToAscii) {
  EXPECT_EQ(words_of("Café CRÈCHE naïve Straße Œuvre Łódź Ŵyn"),
            (Words{"cafe", "creche", "naive", "strasse", "oeuvre", "lodz", "wyn"}));
}

TEST(WordReader, KeepsOtherScriptsAndSplitsOnTypographicPunctuation) {
  EXPECT_EQ(words_of("Μέσα – “help” 日本語…ok 🙂 done"),
            (Words{"Μέσα", "help", "日本語", "ok", "done"}));
}

TEST(WordReader, DropsApostrophesInsideWords) {
  EXPECT_EQ(words_of("Children's centre, O’Brien's 'quoted'"),
            (Words{"childrens", "centre", "obriens", "quoted"}));
}

TEST(WordReader, TreatsInvalidUtf8AsASeparator) {
  EXPECT_EQ(words_of("ab\xff" "cd\xc3"), (Words{"ab", "cd"}));
}

TEST(WordReader, CountsLettersAfterFolding) {
  WordReader reader("Über 日本");
  ASSERT_TRUE(reader.next());
  EXPECT_EQ(reader.letters(), 4U);
  ASSERT_TRUE(reader.next());
  EXPECT_EQ(reader.letters(), 2U);
  EXPECT_FALSE(reader.next());
}

TEST(StopWords, AreTheCommonFunctionWords) {
  for (const char* w : {"the", "and", "for", "of", "a", "to", "with"}) EXPECT_TRUE(is_stop_word(w)) << w;
  for (const char* w : {"food", "help", "advice", "carer"}) EXPECT_FALSE(is_stop_word(w)) << w;
}

TEST(Stemmer, MergesInflections) {
  Stemmer stemmer;
  const std::string advise(stemmer.stem("advise"));
  EXPECT_EQ(stemmer.stem("advising"), advise);
  EXPECT_EQ(stemmer.stem("advised"), advise);
  EXPECT_EQ(std::string(stemmer.stem("carers")), std::string(stemmer.stem("carer")));
  EXPECT_EQ(std::string(stemmer.stem("counselling")), std::string(stemmer.stem("counseling")));
  EXPECT_EQ(std::string(stemmer.stem("benefits")), "benefit");
  // Snowball leaves "advice" one edit from "advis": typo tolerance joins them.
  EXPECT_EQ(edit_distance(stemmer.stem("advice"), advise, 2), 1);
}

TEST(EditDistance, CountsInsertionsDeletionsSubstitutionsAndSwaps) {
  EXPECT_EQ(edit_distance("benefit", "benefit", 2), 0);
  EXPECT_EQ(edit_distance("beneft", "benefit", 2), 1);
  EXPECT_EQ(edit_distance("benefit", "benafit", 2), 1);
  EXPECT_EQ(edit_distance("benefit", "bneefit", 2), 1);  // neighbours swapped
  EXPECT_EQ(edit_distance("housing", "hosuign", 2), 2);
  EXPECT_EQ(edit_distance("abc", "xyzabc", 2), 3);  // beyond max: max + 1
  EXPECT_EQ(edit_distance("", "ab", 2), 2);
}

TEST(Uuid, ParsesAndPrintsTheCanonicalForm) {
  const auto id = Uuid::parse("0123ABCD-4567-89ab-cdef-0123456789AB");
  ASSERT_TRUE(id);
  EXPECT_EQ(id->high, 0x0123abcd456789abULL);
  EXPECT_EQ(id->low, 0xcdef0123456789abULL);
  EXPECT_EQ(id->text(), "0123abcd-4567-89ab-cdef-0123456789ab");
  EXPECT_EQ(Uuid{}.text(), "00000000-0000-0000-0000-000000000000");
  EXPECT_FALSE(Uuid::parse("0123abcd-4567-89ab-cdef-0123456789a"));
  EXPECT_FALSE(Uuid::parse("0123abcd+4567-89ab-cdef-0123456789ab"));
  EXPECT_FALSE(Uuid::parse("0123abcg-4567-89ab-cdef-0123456789ab"));
}

TEST(Taxonomy, FindsTermsAndTheirAncestors) {
  Taxonomy tax;
  const auto need = tax.add_taxonomy({Uuid{1, 0}, "esdNeed"});
  EXPECT_EQ(tax.add_taxonomy({Uuid{1, 0}, "again"}), need);
  const TermIndex money = tax.add_term({Uuid{2, 1}, need, "1", "Money", std::nullopt});
  const TermIndex debt = tax.add_term({Uuid{2, 2}, need, "2", "Debt", money});
  const TermIndex loans = tax.add_term({Uuid{2, 3}, need, "3", "Loans", debt});
  EXPECT_TRUE(tax.is_within(loans, money));
  EXPECT_TRUE(tax.is_within(loans, loans));
  EXPECT_FALSE(tax.is_within(money, loans));
  EXPECT_EQ(tax.find(Uuid{2, 2}), debt);
  EXPECT_FALSE(tax.find(Uuid{2, 9}));
  EXPECT_EQ(tax.find_taxonomy(Uuid{1, 0}), need);
  // Replacing keeps the index; a cycle is refused.
  EXPECT_EQ(tax.add_term({Uuid{2, 2}, need, "2", "Debts", money}), debt);
  EXPECT_EQ(tax.term(debt).name, "Debts");
  EXPECT_THROW(tax.add_term({Uuid{2, 1}, need, "1", "Money", loans}), std::invalid_argument);
  EXPECT_THROW(tax.add_term({Uuid{2, 7}, need, "7", "X", TermIndex{99}}), std::invalid_argument);
}

}  // namespace
}  // namespace bespoke::directory
