#pragma once
// Every JSON example of the standard read into one RecordSet.
#include "web/hsds/json_read.h"
#include "test_files.h"

namespace bespoke::hsds::test_files {

inline RecordSet all_examples() {
  RecordSet set;
  for (const auto& folder : example_folders())
    for (const auto& path : json_files(folder))
      if (const auto e = entity_for_file(path.filename().string()))
        (void)read_json(read_text(path), e->get(), folder + "/" + path.filename().string(), set);
  return set;
}

}  // namespace bespoke::hsds::test_files
