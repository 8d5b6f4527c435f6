#pragma once
// The HSDS reference files under data/reference/hsds, for the tests.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace bespoke::hsds::test_files {

inline std::filesystem::path reference_dir() {
  return std::filesystem::path(BESPOKE_SOURCE_DIR) / "data" / "reference" / "hsds";
}

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The JSON examples of a folder (relative to reference_dir()), sorted.
inline std::vector<std::filesystem::path> json_files(const std::string& folder) {
  std::vector<std::filesystem::path> out;
  for (const auto& entry : std::filesystem::directory_iterator(reference_dir() / folder))
    if (entry.path().extension() == ".json") out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

// The example folders the reader must accept.
inline const std::vector<std::string>& example_folders() {
  static const std::vector<std::string> folders = {"hsds-3.0/examples", "hsds-3.1/examples", "oruk-3.0/examples",
                                                   "oruk-validator/mocks/V3.0-UK-Default"};
  return folders;
}

}  // namespace bespoke::hsds::test_files
