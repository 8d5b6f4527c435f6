#include "web/json_input.h"

#include "core/utf8.h"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/error.hpp>
#include <boost/json/parse.hpp>

#include <string>
#include <unordered_set>
#include <vector>

namespace bespoke::web {
namespace {

namespace json = boost::json;

// SAX handler for the checking pass. Boost.JSON 1.81 keeps one of two duplicate
// keys silently, so duplicates must be caught before the value is built; the
// same pass tracks where it is, to name the place of any error.
class CheckHandler {
 public:
  explicit CheckHandler(std::size_t max_members) : max_members_(max_members) {}

  static constexpr std::size_t max_array_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_object_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_string_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_key_size = static_cast<std::size_t>(-1);

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }

  bool on_array_begin(json::error_code&) {
    value_begins();
    frames_.push_back(Frame{false, 0, {}, {}});
    return true;
  }
  bool on_array_end(std::size_t, json::error_code&) {
    frames_.pop_back();
    return true;
  }
  bool on_object_begin(json::error_code&) {
    value_begins();
    frames_.push_back(Frame{true, 0, {}, {}});
    return true;
  }
  bool on_object_end(std::size_t, json::error_code&) {
    frames_.pop_back();
    return true;
  }
  bool on_string_part(json::string_view, std::size_t, json::error_code&) { return true; }
  bool on_string(json::string_view, std::size_t, json::error_code&) { return scalar(); }
  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    key_.append(s.data(), s.size());
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code& ec) {
    key_.append(s.data(), s.size());
    Frame& f = frames_.back();
    f.key = key_;
    key_.clear();
    // A hash set keeps the check linear in the number of keys: a sorted vector
    // was quadratic (80,000 keys in a 1 MiB body took seconds of a worker).
    if (f.keys.size() >= max_members_) {
      too_many_ = true;
      ec = json::error::syntax;  // any failure stops the parser; too_many_ says which
      return false;
    }
    if (!f.keys.insert(f.key).second) {
      duplicate_ = true;
      ec = json::error::syntax;  // any failure stops the parser; duplicate_ says which
      return false;
    }
    return true;
  }
  bool on_number_part(json::string_view, json::error_code&) { return true; }
  bool on_int64(std::int64_t, json::string_view, json::error_code&) { return scalar(); }
  bool on_uint64(std::uint64_t, json::string_view, json::error_code&) { return scalar(); }
  bool on_double(double, json::string_view, json::error_code&) { return scalar(); }
  bool on_bool(bool, json::error_code&) { return scalar(); }
  bool on_null(json::error_code&) { return scalar(); }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }

  [[nodiscard]] bool duplicate() const noexcept { return duplicate_; }
  [[nodiscard]] bool too_many_members() const noexcept { return too_many_; }

  // The JSON pointer of the innermost place the parser has reached.
  [[nodiscard]] std::string pointer() const {
    std::string out;
    for (const Frame& f : frames_) {
      if (f.is_object) {
        if (f.keys.empty()) break;  // no key read yet: the object itself is the place
        out.push_back('/');
        for (char c : f.key) {
          if (c == '~') {
            out += "~0";
          } else if (c == '/') {
            out += "~1";
          } else {
            out.push_back(c);
          }
        }
      } else {
        out.push_back('/');
        out += std::to_string(f.index == 0 ? 0 : f.index - 1);
      }
    }
    return out;
  }

 private:
  struct Frame {
    bool is_object;
    std::size_t index;  // arrays: elements begun so far
    std::string key;    // objects: the current key
    std::unordered_set<std::string> keys;  // objects: the keys read so far
  };

  // A value starts inside the innermost container: advance its position.
  void value_begins() {
    if (frames_.empty()) return;
    Frame& f = frames_.back();
    if (!f.is_object) ++f.index;
  }
  bool scalar() {
    value_begins();
    return true;
  }

  std::size_t max_members_;
  std::vector<Frame> frames_;
  std::string key_;
  bool duplicate_ = false;
  bool too_many_ = false;
};

std::string at_byte(std::size_t offset) { return " (at byte " + std::to_string(offset) + ")"; }

}  // namespace

core::Result<json::value> parse_json_body(std::string_view body, std::size_t max_depth, std::size_t max_members) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return core::Error::invalid("", "The request body is empty; a JSON value was expected.");
  }
  // Boost.JSON rejects bad UTF-8 too, but only as a generic syntax error.
  if (!core::is_valid_utf8(body)) {
    return core::Error::invalid("", "The request body is not valid UTF-8.");
  }

  json::parse_options opts;
  opts.max_depth = max_depth;
  json::basic_parser<CheckHandler> checker(opts, max_members);
  json::error_code ec;
  const std::size_t used = checker.write_some(false, body.data(), body.size(), ec);
  const CheckHandler& h = checker.handler();
  if (ec) {
    if (h.duplicate()) {
      return core::Error::invalid(h.pointer(), "Duplicate key \"" + h.pointer() + "\": each key may appear once per object.");
    }
    if (h.too_many_members()) {
      // The pointer names the key that went over the limit; the object is its parent.
      std::string where = h.pointer();
      where.erase(where.rfind('/') == std::string::npos ? 0 : where.rfind('/'));
      return core::Error::invalid(where, "An object has more than " + std::to_string(max_members) + " members.");
    }
    if (ec == json::error::too_deep) {
      return core::Error::invalid(h.pointer(),
                                  "The JSON is nested more than " + std::to_string(max_depth) + " levels deep.");
    }
    if (ec == json::error::incomplete) {
      return core::Error::invalid(h.pointer(), "The JSON ends too early" + at_byte(used) + ".");
    }
    return core::Error::invalid(h.pointer(), "The request body is not valid JSON: " + ec.message() + at_byte(used) + ".");
  }
  if (used != body.size() && body.substr(used).find_first_not_of(" \t\r\n") != std::string_view::npos) {
    return core::Error::invalid("", "Unexpected text after the JSON value" + at_byte(used) + ".");
  }

  // The input is known good: build the value.
  json::value v = json::parse(json::string_view(body.data(), body.size()), ec, {}, opts);
  if (ec) return core::Error::invalid("", "The request body is not valid JSON: " + ec.message() + ".");
  return v;
}

}  // namespace bespoke::web
