// Internal to indexer/: an interning table of strings to dense ids, built
// for the matcher's hot loop: a lookup hashes once and probes a flat array,
// comparing strings only on a full hash match. std::unordered_map's node
// per entry made every lookup a chain of cache misses.
#ifndef NEWSWATCH_INDEXER_TERM_TABLE_H_
#define NEWSWATCH_INDEXER_TERM_TABLE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace newswatch::indexer {

class TermTable {
 public:
  // The id of `text`, adding it (with the next id) when new.
  std::uint32_t Intern(std::string_view text);
  std::optional<std::uint32_t> Find(std::string_view text) const;

  size_t size() const { return strings_.size(); }
  const std::string& String(std::uint32_t id) const { return strings_[id]; }
  size_t MemoryBytes() const;

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t id = kEmpty;
  };
  static constexpr std::uint32_t kEmpty = 0xffffffffu;

  static std::uint64_t Hash(std::string_view text) {
    return std::hash<std::string_view>{}(text);
  }
  void Grow();

  std::vector<Slot> slots_ = std::vector<Slot>(64);  // A power of two.
  std::vector<std::string> strings_;
};

inline std::optional<std::uint32_t> TermTable::Find(
    std::string_view text) const {
  const std::uint64_t hash = Hash(text);
  const size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (slot.id == kEmpty) return std::nullopt;
    if (slot.hash == hash && strings_[slot.id] == text) return slot.id;
  }
}

}  // namespace newswatch::indexer

#endif  // NEWSWATCH_INDEXER_TERM_TABLE_H_
