#include "hsds/taxonomy_files.h"

#include "core/csv.h"
#include "core/ids.h"

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <sstream>

namespace bespoke::hsds {
namespace pt = boost::property_tree;
namespace {

std::string trim(std::string_view s) {
  const auto begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  const auto end = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(begin, end - begin + 1));
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Record taxonomy_record(std::string_view name, std::string_view description, std::string_view uri,
                       std::string_view version) {
  Record t(entity("taxonomy"));
  t.set("id", core::taxonomy_uuid(name));
  t.set("name", std::string(name));
  t.set("description", std::string(description.empty() ? name : description));
  if (!uri.empty()) t.set("uri", std::string(uri));
  if (!version.empty()) t.set("version", std::string(version));
  return t;
}

Record term_record(std::string_view taxonomy, std::string_view code, std::string_view name,
                   std::string_view description) {
  Record r(entity("taxonomy_term"));
  r.set("id", core::taxonomy_term_uuid(taxonomy, code));
  r.set("code", std::string(code));
  r.set("name", std::string(name));
  r.set("description", std::string(description.empty() ? name : description));
  r.set("taxonomy", std::string(taxonomy));
  r.set("taxonomy_id", core::taxonomy_uuid(taxonomy));
  return r;
}

constexpr std::string_view levels[] = {"top_level", "second_level", "third_level", "fourth_level", "fifth_level"};

class OpenEligibility {
 public:
  explicit OpenEligibility(TaxonomyRead& out) : out_(out) {}

  void tree(const pt::ptree& node, std::string_view tree_name, const std::map<std::string, std::string>& descriptions,
            const std::string& parent_code, std::size_t depth) {
    for (const auto& [tag, child] : node) {
      if (std::find(std::begin(levels), std::end(levels), tag) == std::end(levels)) continue;
      const auto code = trim(child.get<std::string>("<xmlattr>.id", ""));
      const auto title = trim(child.get<std::string>("<xmlattr>.title", ""));
      if (code.empty() || title.empty()) {
        out_.issues.push_back({fmt::format("taxonomy.xml/{}/{}", tree_name, tag), "a term without an id or title"});
        continue;
      }
      if (!codes_.insert(code).second) {
        // The first term keeps the code; this one's children are read under it.
        out_.issues.push_back({fmt::format("taxonomy.xml/{}/{}", tree_name, code),
                               fmt::format("id {} appears twice; \"{}\" is skipped", code, title)});
        tree(child, tree_name, descriptions, code, depth + 1);
        continue;
      }
      const auto d = descriptions.find(code);
      Record term = term_record(open_eligibility_name, code, title, d == descriptions.end() ? title : d->second);
      if (!parent_code.empty()) term.set("parent_id", core::taxonomy_term_uuid(open_eligibility_name, parent_code));
      term.source = fmt::format("taxonomy.xml/{}/{}", tree_name, code);
      out_.records.add(std::move(term));
      tree(child, tree_name, descriptions, code, depth + 1);
    }
  }

 private:
  TaxonomyRead& out_;
  std::set<std::string> codes_;
};

}  // namespace

TaxonomyRead read_open_eligibility(std::string_view xml) {
  TaxonomyRead out;
  pt::ptree doc;
  try {
    std::istringstream in{std::string(xml)};
    pt::read_xml(in, doc, pt::xml_parser::trim_whitespace);
  } catch (const pt::xml_parser_error& e) {
    out.issues.push_back({fmt::format("taxonomy.xml:{}", e.line()), "not well-formed XML: " + e.message()});
    return out;
  }
  const auto taxonomy = doc.get_child_optional("taxonomy");
  if (!taxonomy) {
    out.issues.push_back({"taxonomy.xml", "no <taxonomy> element"});
    return out;
  }
  auto t = taxonomy_record(open_eligibility_name,
                           "Open Eligibility: a taxonomy of the human services people need (services) and of the "
                           "situations of the people who need them (situations). CC BY-SA 3.0.",
                           "https://github.com/auntbertha/openeligibility", trim(taxonomy->get<std::string>("version", "")));
  t.source = "taxonomy.xml";
  out.records.add(std::move(t));
  OpenEligibility reader(out);
  for (const std::string_view tree_name : {"services", "situations"}) {
    const auto tree = taxonomy->get_child_optional(std::string(tree_name));
    if (!tree) {
      out.issues.push_back({"taxonomy.xml", fmt::format("no <{}> tree", tree_name)});
      continue;
    }
    std::map<std::string, std::string> descriptions;
    if (const auto d = tree->get_child_optional("descriptions"))
      for (const auto& [tag, category] : *d)
        if (tag == "category") {
          auto text = trim(category.data());
          if (!text.empty()) descriptions[trim(category.get<std::string>("<xmlattr>.id", ""))] = std::move(text);
        }
    reader.tree(*tree, tree_name, descriptions, "", 0);
  }
  return out;
}

TaxonomyRead read_term_list_csv(std::istream& in, const TaxonomySpec& spec, std::string_view file_name) {
  TaxonomyRead out;
  auto issue = [&](std::size_t line, std::size_t column, std::string message) {
    out.issues.push_back(
        {column ? fmt::format("{}:{}:{}", file_name, line, column) : fmt::format("{}:{}", file_name, line),
         std::move(message)});
  };
  core::CsvReader reader(in);
  core::CsvRow row;
  auto read = reader.next(row);
  if (!read || !*read) {
    if (!read)
      issue(reader.line(), 0, read.error().message);
    else
      issue(1, 0, "the file is empty: a header of code, name is needed");
    return out;
  }
  enum Column { code, name, description, parent, term_uri, count };
  std::optional<std::size_t> at[count];
  for (std::size_t c = 0; c < row.fields.size(); ++c) {
    const auto header = lower(trim(row.fields[c]));
    std::optional<Column> column;
    if (header == "code" || header == "identifier") column = code;
    else if (header == "name" || header == "label") column = name;
    else if (header == "description") column = description;
    else if (header == "parent_code" || header == "parent") column = parent;
    else if (header == "term_uri" || header == "uri") column = term_uri;
    if (!column) {
      issue(row.line, c + 1, fmt::format("unknown column \"{}\"", row.fields[c]));
    } else if (at[*column]) {
      issue(row.line, c + 1, fmt::format("column \"{}\" appears twice", row.fields[c]));
    } else {
      at[*column] = c;
    }
  }
  if (!at[code] || !at[name]) {
    issue(row.line, 0, "the header needs a code (or Identifier) and a name (or Label) column");
    return out;
  }
  auto t = taxonomy_record(spec.name, spec.description, spec.uri, spec.version);
  t.source = std::string(file_name);
  out.records.add(std::move(t));
  struct Pending {
    std::string id, parent;
    std::size_t line;
  };
  std::vector<Pending> parents;
  std::set<std::string> codes;
  auto cell = [&](const std::optional<std::size_t>& c) -> std::string {
    return c && *c < row.fields.size() ? trim(row.fields[*c]) : std::string();
  };
  for (;;) {
    read = reader.next(row);
    if (!read) {
      issue(reader.line(), 0, read.error().message);
      break;
    }
    if (!*read) break;
    const auto term_code = cell(at[code]);
    const auto term_name = cell(at[name]);
    if (term_code.empty()) {
      issue(row.line, *at[code] + 1, "a term without a code is skipped");
      continue;
    }
    if (term_name.empty()) {
      issue(row.line, *at[name] + 1, fmt::format("term \"{}\" has no name and is skipped", term_code));
      continue;
    }
    if (!codes.insert(term_code).second) {
      issue(row.line, *at[code] + 1, fmt::format("code \"{}\" appears twice", term_code));
      continue;
    }
    Record term = term_record(spec.name, term_code, term_name, cell(at[description]));
    if (const auto uri = cell(at[term_uri]); !uri.empty()) term.set("term_uri", uri);
    term.source = fmt::format("{}:{}", file_name, row.line);
    if (const auto parent_code = cell(at[parent]); !parent_code.empty())
      parents.push_back({term.id(), parent_code, row.line});
    out.records.add(std::move(term));
  }
  const Entity& term_entity = entity("taxonomy_term");
  for (const auto& p : parents) {
    if (!codes.contains(p.parent)) {
      issue(p.line, *at[parent] + 1, fmt::format("parent code \"{}\" is not a code of this list", p.parent));
      continue;
    }
    Record update(term_entity);
    update.set("id", p.id);
    update.set("parent_id", core::taxonomy_term_uuid(spec.name, p.parent));
    out.records.add(std::move(update));
  }
  return out;
}

}  // namespace bespoke::hsds
