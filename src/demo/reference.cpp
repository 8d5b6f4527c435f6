#include "demo/reference.h"

#include "core/embedded.h"

#include <stdexcept>

namespace bespoke::demo {
namespace reference_embedded {
const std::vector<core::EmbeddedFile>& embedded_files();
}  // namespace reference_embedded

std::string_view open_eligibility_xml() {
  for (const auto& f : reference_embedded::embedded_files())
    if (f.name == "taxonomy.xml") return f.text;
  throw std::logic_error("the Open Eligibility taxonomy is not embedded");
}

}  // namespace bespoke::demo
