// Fuzz target: arbitrary bytes as a saved query. Parsing must succeed or
// report an error; a parsed query's canonical form (ToString) must parse back
// to the same tree and write out the same again; the lint must run on it.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "indexer/query.h"
#include "indexer/query_lint.h"

namespace {

using newswatch::indexer::QueryNode;

// Structural equality, every member compared (query.h has no operator==).
bool SameTree(const QueryNode& a, const QueryNode& b) {
  if (a.kind != b.kind || a.field != b.field || a.text != b.text ||
      a.distance != b.distance || a.from != b.from || a.to != b.to ||
      a.seconds != b.seconds || a.children.size() != b.children.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.children.size(); ++i) {
    if (!SameTree(a.children[i], b.children[i])) return false;
  }
  return true;
}

[[noreturn]] void Die(std::string_view what, std::string_view query,
                      const std::string& canonical) {
  std::fprintf(stderr, "%.*s\n  query: %.*s\n  canonical: %s\n",
               static_cast<int>(what.size()), what.data(),
               static_cast<int>(query.size()), query.data(), canonical.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = newswatch::indexer::ParseQuery(text);
  if (!parsed.ok()) {
    if (parsed.error().what.empty())
      Die("an error without a message", text, "");
    return 0;
  }
  const QueryNode& query = parsed.value();
  const std::string canonical = query.ToString();
  // A field before a group is written on every leaf, so the canonical form
  // of a query near the size limit may exceed it (query.h says so).
  if (canonical.size() <= newswatch::indexer::kMaxQueryBytes) {
    auto again = newswatch::indexer::ParseQuery(canonical);
    if (!again.ok()) {
      Die("the canonical form does not parse: " + again.error().what, text,
          canonical);
    }
    if (!SameTree(again.value(), query)) {
      Die("the canonical form parses to a different tree", text, canonical);
    }
    if (again.value().ToString() != canonical) {
      Die("the canonical form is not written back the same", text, canonical);
    }
  }
  (void)newswatch::indexer::LintQuery(query, 1764547200);  // 2025-12-01.
  (void)newswatch::indexer::LanguageOfQuery(query);
  return 0;
}
