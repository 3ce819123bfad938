#include "indexer/term_table.h"

namespace newswatch::indexer {

std::uint32_t TermTable::Intern(std::string_view text) {
  if (std::optional<std::uint32_t> id = Find(text)) return *id;
  // At most half full, so probe runs stay short.
  if (2 * (strings_.size() + 1) > slots_.size()) Grow();
  const std::uint64_t hash = Hash(text);
  const size_t mask = slots_.size() - 1;
  size_t i = hash & mask;
  while (slots_[i].id != kEmpty) i = (i + 1) & mask;
  slots_[i] = {hash, static_cast<std::uint32_t>(strings_.size())};
  strings_.emplace_back(text);
  return slots_[i].id;
}

void TermTable::Grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.size() * 2, Slot{});
  const size_t mask = slots_.size() - 1;
  for (const Slot& slot : old) {
    if (slot.id == kEmpty) continue;
    size_t i = slot.hash & mask;
    while (slots_[i].id != kEmpty) i = (i + 1) & mask;
    slots_[i] = slot;
  }
}

size_t TermTable::MemoryBytes() const {
  size_t bytes = slots_.capacity() * sizeof(Slot) +
                 strings_.capacity() * sizeof(std::string);
  for (const std::string& text : strings_) {
    if (text.capacity() > 15) bytes += text.capacity() + 1;
  }
  return bytes;
}

}  // namespace newswatch::indexer
