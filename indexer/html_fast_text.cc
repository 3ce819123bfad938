#include "indexer/html_fast_text.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <gumbo.h>

#include "indexer/html_char_refs.h"

// How this stays equal to the gumbo path (HtmlToTextWithGumbo): that path
// walks gumbo's tree and writes the text nodes in document order, with a
// space before and after every element that IsBlock lists, then collapses
// whitespace. As long as no element is moved or reopened (which the cases
// not handled are exactly the ones that do), text lands in the tree in the
// order it comes in the input, a block element's opening space sits where its
// start tag is and its closing space where HTML5 pops it off the stack of open
// elements. So a tokenizer that follows HTML5's tokenizer states, plus a
// stack of open elements that follows the "in body" insertion mode for the
// tags it knows, produces the same text and the same spaces. Before <body>
// (the "in head" and earlier modes) only whitespace, comments and the head
// elements handled here can come, none of which shows, so the whole input
// can be treated as body. Whitespace is collapsed on the fly, exactly as
// CollapseWhitespace does it.

namespace newswatch::indexer {
namespace {

// Deeper nesting is not news, and bounds the scans down the stack.
constexpr size_t kMaxDepth = 128;

// How a tag takes part in HTML5's "in body" insertion mode.
enum class Kind : std::uint8_t {
  kBlock,       // Closes an open <p>; its end tag pops up to it (div, ul...).
  kParagraph,   // p
  kHeading,     // h1-h6
  kListItem,    // li
  kDefinition,  // dd, dt
  kAnchor,      // a: a formatting element that never nests
  kFormatting,  // HTML5's other "formatting elements" (b, em, ...)
  kPhrase,      // Ordinary elements (span, sub, ...)
  kVoid,        // No content and no end tag (img, meta, ...)
  kBreak,       // br, whose end tag acts as a start tag
  kRule,        // hr: void, but closes an open <p>
  kRawText,     // script, style, iframe: content skipped to the end tag
};

struct TagInfo {
  std::string_view name;
  Kind kind;
  bool special;  // In HTML5's "special" category, as gumbo 0.10 lists it.
  bool block;    // Spaced in the gumbo path (html_text.cc's IsBlock).
};

// Every tag the fast path knows; any other tag name makes it give up.
constexpr TagInfo kTags[] = {
    {"p", Kind::kParagraph, true, true},
    {"div", Kind::kBlock, true, true},
    {"ul", Kind::kBlock, true, true},
    {"ol", Kind::kBlock, true, true},
    {"dl", Kind::kBlock, true, true},
    {"blockquote", Kind::kBlock, true, true},
    {"pre", Kind::kBlock, true, true},
    {"figure", Kind::kBlock, true, true},
    {"figcaption", Kind::kBlock, true, true},
    {"section", Kind::kBlock, true, true},
    {"article", Kind::kBlock, true, true},
    {"aside", Kind::kBlock, true, true},
    {"header", Kind::kBlock, true, true},
    {"footer", Kind::kBlock, true, true},
    {"nav", Kind::kBlock, true, true},
    {"details", Kind::kBlock, true, true},
    {"summary", Kind::kBlock, true, true},
    {"main", Kind::kBlock, false, true},  // Not special in gumbo 0.10.
    {"h1", Kind::kHeading, true, true},
    {"h2", Kind::kHeading, true, true},
    {"h3", Kind::kHeading, true, true},
    {"h4", Kind::kHeading, true, true},
    {"h5", Kind::kHeading, true, true},
    {"h6", Kind::kHeading, true, true},
    {"li", Kind::kListItem, true, true},
    {"dd", Kind::kDefinition, true, true},
    {"dt", Kind::kDefinition, true, true},
    {"a", Kind::kAnchor, false, false},
    {"b", Kind::kFormatting, false, false},
    {"i", Kind::kFormatting, false, false},
    {"em", Kind::kFormatting, false, false},
    {"strong", Kind::kFormatting, false, false},
    {"u", Kind::kFormatting, false, false},
    {"s", Kind::kFormatting, false, false},
    {"small", Kind::kFormatting, false, false},
    {"code", Kind::kFormatting, false, false},
    {"span", Kind::kPhrase, false, false},
    {"sub", Kind::kPhrase, false, false},
    {"sup", Kind::kPhrase, false, false},
    {"abbr", Kind::kPhrase, false, false},
    {"cite", Kind::kPhrase, false, false},
    {"q", Kind::kPhrase, false, false},
    {"time", Kind::kPhrase, false, false},
    {"mark", Kind::kPhrase, false, false},
    {"dfn", Kind::kPhrase, false, false},
    {"kbd", Kind::kPhrase, false, false},
    {"samp", Kind::kPhrase, false, false},
    {"var", Kind::kPhrase, false, false},
    {"del", Kind::kPhrase, false, false},
    {"ins", Kind::kPhrase, false, false},
    {"bdi", Kind::kPhrase, false, false},
    {"bdo", Kind::kPhrase, false, false},
    {"video", Kind::kPhrase, false, false},
    {"audio", Kind::kPhrase, false, false},
    {"img", Kind::kVoid, true, false},
    {"image", Kind::kVoid, true, false},  // Read as <img>.
    {"wbr", Kind::kVoid, true, false},
    {"meta", Kind::kVoid, true, false},
    {"link", Kind::kVoid, true, false},
    {"source", Kind::kVoid, true, false},
    {"track", Kind::kVoid, true, false},
    {"br", Kind::kBreak, true, true},
    {"hr", Kind::kRule, true, true},
    {"script", Kind::kRawText, true, false},
    {"style", Kind::kRawText, true, false},
    {"iframe", Kind::kRawText, true, false},
    // Every name gumbo does not know (custom elements, and <picture> and the
    // like in gumbo 0.10): gumbo takes them all for one and the same
    // ordinary element, so "</x>" closes an open <y> as "</y>" would.
    {"", Kind::kPhrase, false, false},
};
constexpr size_t kTagCount = std::size(kTags);
static_assert(kTagCount < 255);
constexpr size_t kMaxTagName = 10;  // "blockquote", "figcaption".

using TagId = std::uint8_t;

constexpr TagId FindTagId(std::string_view name) {
  for (size_t id = 0; id < kTagCount; ++id) {
    if (kTags[id].name == name) return static_cast<TagId>(id);
  }
  return kTagCount;
}
constexpr TagId kP = FindTagId("p");
constexpr TagId kLi = FindTagId("li");
constexpr TagId kUl = FindTagId("ul");
constexpr TagId kOl = FindTagId("ol");
constexpr TagId kDiv = FindTagId("div");
constexpr TagId kUnknown = FindTagId("");

// A tag name of at most kMaxTagName bytes, packed into integers so that
// names compare in two instructions.
struct TagKey {
  std::uint64_t head = 0;  // Bytes 0-7.
  std::uint32_t tail = 0;  // Bytes 8-9, and the length above them.

  constexpr void Add(size_t k, char c) {
    const auto byte = static_cast<unsigned char>(c);
    if (k < 8) {
      head |= std::uint64_t{byte} << (8 * k);
    } else {
      tail |= std::uint32_t{byte} << (8 * (k - 8));
    }
  }
  constexpr void SetLength(size_t length) {
    tail |= static_cast<std::uint32_t>(length) << 16;
  }
  constexpr bool operator==(const TagKey&) const = default;
};

constexpr TagKey MakeTagKey(std::string_view name) {
  TagKey key;
  for (size_t k = 0; k < name.size(); ++k) key.Add(k, name[k]);
  key.SetLength(name.size());
  return key;
}

// An open-addressing hash of kTags by name, built at compile time.
constexpr size_t kTagHashSize = 256;

constexpr size_t TagHash(const TagKey& key) {
  return static_cast<size_t>(((key.head ^ key.tail) * 0x9E3779B97F4A7C15) >>
                             56);
}

// Entries are id + 1; 0 is empty.
constexpr std::array<std::uint8_t, kTagHashSize> kTagHash = [] {
  std::array<std::uint8_t, kTagHashSize> table{};
  for (size_t id = 0; id < kTagCount; ++id) {
    size_t slot = TagHash(MakeTagKey(kTags[id].name));
    while (table[slot] != 0) slot = (slot + 1) % kTagHashSize;
    table[slot] = static_cast<std::uint8_t>(id + 1);
  }
  return table;
}();

constexpr bool AllTagNamesFit() {
  for (const TagInfo& tag : kTags) {
    if (tag.name.size() > kMaxTagName) return false;
  }
  return true;
}
static_assert(AllTagNamesFit());

constexpr std::array<TagKey, kTagCount> kTagKeys = [] {
  std::array<TagKey, kTagCount> keys{};
  for (size_t id = 0; id < kTagCount; ++id)
    keys[id] = MakeTagKey(kTags[id].name);
  return keys;
}();

// The id of the tag whose lower-case name is `key`, or kTagCount.
TagId LookupTag(const TagKey& key) {
  for (size_t slot = TagHash(key); kTagHash[slot] != 0;
       slot = (slot + 1) % kTagHashSize) {
    const TagId id = kTagHash[slot] - 1;
    if (kTagKeys[id] == key) return id;
  }
  return kTagCount;
}

// What a byte of text means to the tokenizer's data state.
enum ByteClass : std::uint8_t {
  kPlain,     // Printable ASCII, copied.
  kSpace,     // ASCII whitespace as HTML5 and CollapseWhitespace see it.
  kReplaced,  // A control gumbo turns into U+FFFD.
  kLess,      // '<'
  kAmpersand,
  kNonAscii,  // Lead (or stray) byte of a UTF-8 sequence.
  kNul,
};

constexpr std::array<ByteClass, 256> kByteClass = [] {
  std::array<ByteClass, 256> table{};
  for (int c = 0; c < 256; ++c) {
    ByteClass value = kPlain;
    if (c == 0) {
      value = kNul;
    } else if (c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ') {
      value = kSpace;
    } else if (c < 0x20 || c == 0x7F) {
      value = kReplaced;  // Including \v, which gumbo does not allow.
    } else if (c == '<') {
      value = kLess;
    } else if (c == '&') {
      value = kAmpersand;
    } else if (c >= 0x80) {
      value = kNonAscii;
    }
    table[c] = value;
  }
  return table;
}();

// A byte of a tag name lower-cased, or kEndOfName (space, '/' or '>'), or
// kNotInName for bytes that no tag of kTags has in its name.
constexpr char kEndOfName = 0;
constexpr char kNotInName = 1;
constexpr std::array<char, 256> kTagNameByte = [] {
  std::array<char, 256> table{};
  for (int c = 0; c < 256; ++c) {
    char value = kNotInName;
    if (c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ' ||
        c == '/' || c == '>') {
      value = kEndOfName;
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      value = static_cast<char>(c);
    } else if (c >= 'A' && c <= 'Z') {
      value = static_cast<char>(c - 'A' + 'a');
    }
    table[c] = value;
  }
  return table;
}();

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";

bool IsTagSpace(char c) {
  return c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}

bool IsAttributeNameEnd(char c) {
  return IsTagSpace(c) || c == '/' || c == '>' || c == '=';
}

bool IsAlpha(char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

bool IsAlnum(char c) { return IsAlpha(c) || (c >= '0' && c <= '9'); }

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? (c | 0x20) : c; }

int DigitValue(char c, bool hex) {
  if (c >= '0' && c <= '9') return c - '0';
  if (hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f')
    return (c | 0x20) - 'a' + 10;
  return -1;
}

// Code points that gumbo's input stream replaces by U+FFFD (besides invalid
// UTF-8): C1 controls and noncharacters. (C0 ones are in kByteClass.)
bool IsReplacedByGumbo(char32_t code_point) {
  return code_point <= 0x9F || (code_point >= 0xFDD0 && code_point <= 0xFDEF) ||
         (code_point & 0xFFFE) == 0xFFFE;
}

// One character of UTF-8 input as gumbo's input stream reads it: an
// ill-formed sequence is one U+FFFD per maximal valid prefix (RFC 3629
// ranges), whose length it has.
struct Utf8Char {
  size_t length;
  char32_t code_point;
  bool valid;
};

// Reads the character whose first byte, html[i], is not ASCII.
Utf8Char DecodeUtf8(std::string_view html, size_t i) {
  const auto byte = [&](size_t k) {
    return static_cast<unsigned char>(html[k]);
  };
  const unsigned char lead = byte(i);
  size_t length = 0;
  unsigned char low = 0x80;  // Range of the second byte.
  unsigned char high = 0xBF;
  char32_t code_point = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code_point = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code_point = lead & 0x0F;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code_point = lead & 0x07;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return {1, 0xFFFD, false};
  }
  for (size_t k = 1; k < length; ++k) {
    const bool valid = i + k < html.size() &&
                       (k == 1 ? byte(i + k) >= low && byte(i + k) <= high
                               : (byte(i + k) & 0xC0) == 0x80);
    if (!valid) return {k, 0xFFFD, false};
    code_point = (code_point << 6) | (byte(i + k) & 0x3F);
  }
  return {length, code_point, true};
}

// The non-ASCII code points that CollapseWhitespace takes for whitespace.
bool IsUnicodeSpace(char32_t code_point) {
  return code_point == 0xA0 || code_point == 0x2028 || code_point == 0x2029;
}

// Scanning runs of text a block at a time: FirstStop(in, space_before)
// gives the index in in[0, kBlock) of the first byte that ends the copying
// of text as it is, or kBlock. Such bytes are those other than printable
// ASCII, '<' and '&' (non-ASCII is decided one character at a time), and a
// space that follows a space (`space_before`: the byte before in[0] is one).
#if defined(__SSE2__)
constexpr size_t kBlock = 16;

size_t FirstStop(const char* in, bool space_before) {
  const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in));
  const auto equal = [&](char c) {
    return _mm_cmpeq_epi8(bytes, _mm_set1_epi8(c));
  };
  // Signed: catches the bytes from 0x80 as well as the controls.
  const __m128i below_0x21 = _mm_cmplt_epi8(bytes, _mm_set1_epi8(0x21));
  const auto stops = static_cast<unsigned>(
      _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(below_0x21, equal('\x7F')),
                                     _mm_or_si128(equal('<'), equal('&')))));
  const auto spaces = static_cast<unsigned>(_mm_movemask_epi8(equal(' ')));
  const unsigned result =
      (stops & ~spaces) | (spaces & ((spaces << 1) | (space_before ? 1 : 0)));
  return result == 0 ? kBlock : static_cast<size_t>(std::countr_zero(result));
}
#else
// Eight bytes at a time in a register, where each byte of a mask has 0x80
// where it holds, without carries across bytes.
constexpr size_t kBlock = 8;
constexpr std::uint64_t kOnes = 0x0101010101010101;
constexpr std::uint64_t kHighBits = 0x8080808080808080;
constexpr std::uint64_t kLowBits = 0x7F7F7F7F7F7F7F7F;

constexpr std::uint64_t BytesEqual(std::uint64_t word, unsigned char c) {
  const std::uint64_t diff = word ^ (kOnes * c);
  return ~(((diff & kLowBits) + kLowBits) | diff) & kHighBits;
}

size_t FirstStop(const char* in, bool space_before) {
  std::uint64_t word = 0;
  for (size_t k = 0; k < 8; ++k) {  // Little-endian, whatever the machine.
    word |= std::uint64_t{static_cast<unsigned char>(in[k])} << (8 * k);
  }
  const std::uint64_t low = word & kLowBits;
  const std::uint64_t at_least_0x21 = (low + kOnes * (0x80 - 0x21)) & kHighBits;
  const std::uint64_t is_0x7f = (low + kOnes) & kHighBits;
  const std::uint64_t spaces = BytesEqual(word, ' ');
  const std::uint64_t controls = ~at_least_0x21 & kHighBits & ~spaces;
  const std::uint64_t double_spaces =
      spaces & ((spaces << 8) | (space_before ? 0x80 : 0));
  const std::uint64_t stops = (word & kHighBits) | is_0x7f | controls |
                              double_spaces | BytesEqual(word, '<') |
                              BytesEqual(word, '&');
  return stops == 0 ? kBlock : static_cast<size_t>(std::countr_zero(stops)) / 8;
}
#endif

// Whether the non-ASCII character at html[i] goes to the output as it is: it
// is valid, gumbo keeps it, and it is no whitespace. Its length if so, else
// 0.
size_t VerbatimUtf8Length(std::string_view html, size_t i) {
  const Utf8Char character = DecodeUtf8(html, i);
  if (!character.valid || IsReplacedByGumbo(character.code_point) ||
      IsUnicodeSpace(character.code_point)) {
    return 0;
  }
  return character.length;
}

// Writes `code_point` as UTF-8 to out[0, 4); returns the length.
size_t EncodeUtf8(char32_t code_point, char* out) {
  if (code_point < 0x80) {
    out[0] = static_cast<char>(code_point);
    return 1;
  }
  if (code_point < 0x800) {
    out[0] = static_cast<char>(0xC0 | (code_point >> 6));
    out[1] = static_cast<char>(0x80 | (code_point & 0x3F));
    return 2;
  }
  if (code_point < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (code_point >> 12));
    out[1] = static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (code_point & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (code_point >> 18));
  out[1] = static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (code_point & 0x3F));
  return 4;
}

// One conversion. Each step returns false to give up ("not handled").
class Converter {
 public:
  explicit Converter(std::string_view html) : html_(html) {
    // Enough but for replacement characters, as text copied or decoded
    // never grows and a space replaces at least one byte.
    buffer_.resize(html.size());
  }

  bool Run();
  std::string TakeText() {
    buffer_.resize(length_);
    return std::move(buffer_);
  }

 private:
  // Output, collapsed as CollapseWhitespace collapses it: a run of spaces
  // becomes one space, written only between two visible characters.
  // buffer_[0, length_) is the text so far.
  void Space() { pending_space_ = true; }
  // Makes room for `extra` more bytes after one pending space.
  void Reserve(size_t extra) {
    if (length_ + 1 + extra > buffer_.size()) {
      buffer_.resize(std::max(2 * buffer_.size(), length_ + 1 + extra));
    }
  }
  void BeforeVisible() {
    if (pending_space_) {
      if (length_ > 0) buffer_[length_++] = ' ';
      pending_space_ = false;
    }
  }
  void Append(std::string_view visible) {
    Reserve(visible.size());
    BeforeVisible();
    std::memcpy(buffer_.data() + length_, visible.data(), visible.size());
    length_ += visible.size();
  }
  void AppendCharRef(char32_t code_point);
  void CopyVerbatimRun();

  // Tokenizer. Each starts at pos_ and leaves pos_ past what it consumed.
  void ReadNonAscii();
  bool ReadCharRef();
  bool ReadMarkup();
  bool ReadComment();
  bool ReadTag(size_t name_start, bool is_end);
  size_t SkipAttributes(size_t i) const;
  bool SkipRawText(TagId id);

  // Tree construction ("in body").
  bool StartTag(TagId id);
  bool EndTag(TagId id);
  bool Push(TagId id);
  template <typename IsTarget>
  bool PopUntilMatch(IsTarget is_target);
  bool PopUntil(TagId id) {
    return PopUntilMatch([id](TagId node) { return node == id; });
  }
  bool PopUntilHeading() {
    return PopUntilMatch(
        [](TagId node) { return kTags[node].kind == Kind::kHeading; });
  }
  bool CloseOpenParagraph() { return open_[kP] == 0 || PopUntil(kP); }
  bool CloseListItemOrDefinition(TagId id);
  bool InListItemScope() const;

  std::string_view html_;
  size_t pos_ = 0;
  std::string buffer_;
  size_t length_ = 0;
  bool pending_space_ = false;
  // The stack of open elements above <html> and <body>, which are implied
  // and never popped; neither is a scope boundary for anything handled here
  // but is special, as the empty stack is treated.
  std::array<TagId, kMaxDepth> stack_{};
  size_t depth_ = 0;
  std::array<std::uint16_t, kTagCount> open_{};  // Count per tag on stack_.
  size_t open_headings_ = 0;
};

bool Converter::Run() {
  const char* data = html_.data();
  const size_t size = html_.size();
  while (pos_ < size) {
    // Branches in order of frequency, rather than a switch.
    const ByteClass byte_class =
        kByteClass[static_cast<unsigned char>(data[pos_])];
    if (byte_class == kPlain) {
      CopyVerbatimRun();
    } else if (byte_class == kLess) {
      if (!ReadMarkup()) return false;
    } else if (byte_class == kSpace) {
      Space();
      do {
        ++pos_;
      } while (pos_ < size &&
               kByteClass[static_cast<unsigned char>(data[pos_])] == kSpace);
    } else if (byte_class == kAmpersand) {
      if (!ReadCharRef()) return false;
    } else if (byte_class == kNonAscii) {
      if (VerbatimUtf8Length(html_, pos_) == 0) {
        ReadNonAscii();
      } else {
        CopyVerbatimRun();
      }
    } else if (byte_class == kReplaced) {
      Append(kReplacementCharacter);
      ++pos_;
    } else {  // NUL: ignored in body, but not before it; not news.
      return false;
    }
  }
  return true;
}

void Converter::AppendCharRef(char32_t code_point) {
  // gumbo keeps the code point; CollapseWhitespace then spaces or drops it.
  if (code_point == ' ' || (code_point >= '\t' && code_point <= '\r') ||
      code_point == 0xA0 || code_point == 0x2028 || code_point == 0x2029) {
    Space();
  } else if (code_point < 0x20 || (code_point >= 0x7F && code_point <= 0x9F)) {
    // A control: dropped.
  } else {
    char utf8[4];
    Append(std::string_view(utf8, EncodeUtf8(code_point, utf8)));
  }
}

// Copies the run of text at pos_ that goes to the output as it is: printable
// ASCII but '<' and '&', single spaces between such characters, and
// non-ASCII characters that gumbo keeps and that are no whitespace. The run
// starts with no space (html_[pos_] is none, and is in the run) and ends
// with none. The hot loop: most of news HTML is such runs. Scans and copies
// kBlock bytes at a time; copying past the run's end is harmless, the buffer
// having room for all the input.
void Converter::CopyVerbatimRun() {
  Reserve(html_.size() - pos_);
  BeforeVisible();
  const char* in = html_.data();
  const size_t start = pos_;
  char* out = buffer_.data() + length_;  // out[i - start] receives in[i].
  const size_t size = html_.size();
  size_t i = start;
  while (i < size) {
    while (i + kBlock <= size) {
      // Copied first: cheaper than copying only the bytes that count.
      std::memcpy(out + (i - start), in + i, kBlock);
      const size_t stop = FirstStop(in + i, i > start && in[i - 1] == ' ');
      i += stop;
      if (stop < kBlock) break;
    }
    if (i == size) break;
    const char c = in[i];
    if (kByteClass[static_cast<unsigned char>(c)] == kPlain) {
      out[i - start] = c;
      ++i;
    } else if (c == ' ' && in[i - 1] != ' ' && i + 1 < size &&
               kByteClass[static_cast<unsigned char>(in[i + 1])] == kPlain) {
      out[i - start] = c;  // Not the first: the run starts with no space.
      out[i + 1 - start] = in[i + 1];
      i += 2;
    } else if (const size_t length = VerbatimUtf8Length(html_, i)) {
      std::memcpy(out + (i - start), in + i, length);
      i += length;
    } else {
      break;
    }
  }
  if (i > start && in[i - 1] == ' ') --i;  // Left to Space().
  length_ += i - start;
  pos_ = i;
}

void Converter::ReadNonAscii() {
  const Utf8Char character = DecodeUtf8(html_, pos_);
  if (!character.valid || IsReplacedByGumbo(character.code_point)) {
    Append(kReplacementCharacter);
  } else if (IsUnicodeSpace(character.code_point)) {
    Space();
  } else {
    Append(html_.substr(pos_, character.length));
  }
  pos_ += character.length;
}

// At a '&' in text.
bool Converter::ReadCharRef() {
  const size_t size = html_.size();
  size_t i = pos_ + 1;
  if (i < size && html_[i] == '#') {
    ++i;
    const bool hex = i < size && (html_[i] | 0x20) == 'x';
    if (hex) ++i;
    const size_t digits = i;
    std::uint32_t value = 0;
    for (int digit; i < size && (digit = DigitValue(html_[i], hex)) >= 0; ++i) {
      value = value * (hex ? 16 : 10) + static_cast<std::uint32_t>(digit);
      if (value > 0x10FFFF) return false;  // gumbo's int arithmetic wraps.
    }
    if (i == digits || i == size || html_[i] != ';') return false;
    AppendCharRef(NumericCharRefCodePoint(value));
    pos_ = i + 1;
    return true;
  }
  size_t end = i;
  while (end < size && IsAlnum(html_[end])) ++end;
  const std::string_view letters = html_.substr(i, end - i);
  if (end < size && html_[end] == ';' && !letters.empty()) {
    const std::optional<char32_t> code_point = FindNamedCharRef(letters);
    if (!code_point) return false;  // Maybe one of the other 2,000 names.
    AppendCharRef(*code_point);
    pos_ = end + 1;
    return true;
  }
  if (StartsWithLegacyCharRef(letters)) return false;
  // Nothing a reference could match ("AT&T", "Q&A", "a & b"): a literal '&',
  // and the letters after it are text.
  Append("&");
  pos_ = i;
  return true;
}

// At a '<' in text.
bool Converter::ReadMarkup() {
  const size_t size = html_.size();
  const size_t next = pos_ + 1;
  if (next < size && IsAlpha(html_[next])) return ReadTag(next, false);
  if (next < size && html_[next] == '/') {
    if (next + 1 < size && IsAlpha(html_[next + 1])) {
      return ReadTag(next + 1, true);
    }
    return false;  // "</>", "</" at the end, bogus comments.
  }
  if (next < size && html_[next] == '!') return ReadComment();
  if (next < size && html_[next] == '?') return false;
  // A '<' that starts no tag ("a < b") is text.
  Append("<");
  pos_ = next;
  return true;
}

// At "<!". Only plain comments: "<!-- ... -->".
bool Converter::ReadComment() {
  const std::string_view rest = html_.substr(pos_);
  if (!rest.starts_with("<!--")) return false;  // Doctype, CDATA, bogus.
  const std::string_view body = rest.substr(4);
  // "<!-->" and "<!--->" end at once; "--!>" also ends one.
  if (body.starts_with(">") || body.starts_with("->")) return false;
  const size_t close = body.find("-->");
  if (close == std::string_view::npos) return false;
  if (body.substr(0, close).find("--!") != std::string_view::npos) {
    return false;
  }
  pos_ += 4 + close + 3;
  return true;
}

// Skips the attributes of a tag from html_[i], just past its name, following
// HTML5's attribute states (quotes hide '>'); returns the index past the
// closing '>', or npos if the input ends first. Each loop below is one state;
// a `continue` goes to the "before attribute name" state.
size_t Converter::SkipAttributes(size_t i) const {
  constexpr size_t kEnd = std::string_view::npos;
  const size_t size = html_.size();
  const auto skip_spaces = [&] {
    while (i < size && IsTagSpace(html_[i])) ++i;
  };
  while (true) {
    skip_spaces();
    if (i == size) return kEnd;
    if (html_[i] == '>') return i + 1;
    if (html_[i] == '/') {  // "Self-closing start tag": '>' or reconsume.
      if (++i == size) return kEnd;
      if (html_[i] == '>') return i + 1;
      continue;
    }
    // Attribute name; its first character may be '=' or a quote.
    ++i;
    while (i < size && !IsAttributeNameEnd(html_[i])) ++i;
    skip_spaces();  // "After attribute name".
    if (i == size) return kEnd;
    if (html_[i] != '=') continue;  // '/', '>' or the next name.
    ++i;
    skip_spaces();  // "Before attribute value".
    if (i == size) return kEnd;
    const char c = html_[i];
    if (c == '"' || c == '\'') {
      const size_t quote = html_.find(c, i + 1);
      if (quote == std::string_view::npos) return kEnd;
      // "After attribute value (quoted)" acts as "before attribute name".
      i = quote + 1;
    } else if (c == '>') {
      return i + 1;
    } else {  // Unquoted, up to a space or '>'.
      while (i < size && html_[i] != '>' && !IsTagSpace(html_[i])) ++i;
    }
  }
}

// Whether gumbo knows no tag named `name` (as in the input, up to a space,
// '/' or '>').
bool IsUnknownToGumbo(std::string_view name) {
  constexpr size_t kLongestKnown = 32;  // gumbo's longest is 14 bytes.
  if (name.size() > kLongestKnown) return true;
  char lower[kLongestKnown];
  for (size_t k = 0; k < name.size(); ++k) lower[k] = Lower(name[k]);
  return gumbo_tagn_enum(lower, static_cast<unsigned int>(name.size())) ==
         GUMBO_TAG_UNKNOWN;
}

// At the first letter of a tag name.
bool Converter::ReadTag(size_t name_start, bool is_end) {
  TagKey key;
  bool in_table = true;  // Alphanumeric and not too long for kTags.
  size_t i = name_start;
  const size_t size = html_.size();
  for (; i < size; ++i) {
    const char c = kTagNameByte[static_cast<unsigned char>(html_[i])];
    if (c == kEndOfName) break;
    const size_t length = i - name_start;
    if (c == kNotInName || length == kMaxTagName) {
      in_table = false;
    } else if (in_table) {
      key.Add(length, c);
    }
  }
  const std::string_view name = html_.substr(name_start, i - name_start);
  key.SetLength(name.size());
  TagId id = in_table ? LookupTag(key) : kTagCount;
  if (id == kTagCount) {
    // One that gumbo parses by its own rules, or an unknown one.
    if (!IsUnknownToGumbo(name)) return false;
    id = kUnknown;
  }
  const size_t end = SkipAttributes(i);
  if (end == std::string_view::npos) return false;
  pos_ = end;
  return is_end ? EndTag(id) : StartTag(id);
}

// After the start tag of a raw text element: skips its content up to and
// including its end tag, which may have attributes. Script content with
// "<!--" enters the script escape states: not handled.
bool Converter::SkipRawText(TagId id) {
  const std::string_view name = kTags[id].name;
  const bool script = name == "script";
  const size_t size = html_.size();
  size_t from = pos_;
  while (true) {
    const size_t open = html_.find("</", from);
    if (open == std::string_view::npos) {
      // The content runs to the end of input.
      if (script && html_.find("<!--", pos_) != std::string_view::npos) {
        return false;
      }
      pos_ = size;
      return true;
    }
    const size_t after = open + 2 + name.size();
    if (after < size) {
      bool same_name = true;
      for (size_t k = 0; k < name.size(); ++k) {
        same_name = same_name && Lower(html_[open + 2 + k]) == name[k];
      }
      const char c = html_[after];
      if (same_name && (c == '>' || c == '/' || IsTagSpace(c))) {
        if (script && html_.substr(pos_, open - pos_).find("<!--") !=
                          std::string_view::npos) {
          return false;
        }
        const size_t end = SkipAttributes(after);
        if (end == std::string_view::npos) return false;
        pos_ = end;
        return true;
      }
    } else if (after == size) {
      return false;  // "</script" cut off by the end of input.
    }
    from = open + 2;
  }
}

bool Converter::Push(TagId id) {
  if (depth_ == kMaxDepth) return false;
  stack_[depth_++] = id;
  ++open_[id];
  if (kTags[id].kind == Kind::kHeading) ++open_headings_;
  return true;
}

// Pops elements up to and including the topmost one that `is_target`
// accepts, which must be open. Gives up if that pops a formatting element
// that is not the target: HTML5 would reopen it for the text that follows.
template <typename IsTarget>
bool Converter::PopUntilMatch(IsTarget is_target) {
  while (depth_ > 0) {
    const TagId top = stack_[--depth_];
    --open_[top];
    const TagInfo& info = kTags[top];
    if (info.kind == Kind::kHeading) --open_headings_;
    if (info.block) Space();
    if (is_target(top)) return true;
    if (info.kind == Kind::kFormatting || info.kind == Kind::kAnchor) {
      return false;
    }
  }
  return true;
}

// The start tag of li, dd or dt closes an open one (li closes li; dd and dt
// close either) unless a special element other than address, div and p lies
// between.
bool Converter::CloseListItemOrDefinition(TagId id) {
  const Kind kind = kTags[id].kind;
  for (size_t k = depth_; k > 0; --k) {
    const TagId node = stack_[k - 1];
    if (kTags[node].kind == kind) return PopUntil(node);
    if (kTags[node].special && node != kDiv && node != kP) return true;
  }
  return true;
}

bool Converter::InListItemScope() const {
  for (size_t k = depth_; k > 0; --k) {
    const TagId node = stack_[k - 1];
    if (node == kLi) return true;
    if (node == kUl || node == kOl) return false;
  }
  return false;
}

bool Converter::StartTag(TagId id) {
  const TagInfo& info = kTags[id];
  switch (info.kind) {
    case Kind::kBlock:
    case Kind::kParagraph:
      if (!CloseOpenParagraph() || !Push(id)) return false;
      Space();
      return true;
    case Kind::kHeading:
      if (!CloseOpenParagraph()) return false;
      if (depth_ > 0 && kTags[stack_[depth_ - 1]].kind == Kind::kHeading &&
          !PopUntil(stack_[depth_ - 1])) {
        return false;
      }
      if (!Push(id)) return false;
      Space();
      return true;
    case Kind::kListItem:
    case Kind::kDefinition:
      if (!CloseListItemOrDefinition(id) || !CloseOpenParagraph() ||
          !Push(id)) {
        return false;
      }
      Space();
      return true;
    case Kind::kAnchor:
      // A second <a> runs the adoption agency on the first.
      return open_[id] == 0 && Push(id);
    case Kind::kFormatting:
      // From the fourth, HTML5 forgets the first (by attributes, which are
      // not kept here) in its list of active formatting elements.
      return open_[id] < 3 && Push(id);
    case Kind::kPhrase:
      return Push(id);
    case Kind::kVoid:
      return true;
    case Kind::kBreak:
      Space();
      return true;
    case Kind::kRule:
      if (!CloseOpenParagraph()) return false;
      Space();
      return true;
    case Kind::kRawText:
      return SkipRawText(id);
  }
  return false;
}

bool Converter::EndTag(TagId id) {
  const TagInfo& info = kTags[id];
  switch (info.kind) {
    case Kind::kBlock:
    case Kind::kDefinition:
      // Ignored when not open; else closes it and all above it.
      return open_[id] == 0 || PopUntil(id);
    case Kind::kParagraph:
      if (open_[id] == 0) {  // HTML5 inserts an empty <p>.
        Space();
        return true;
      }
      return PopUntil(id);
    case Kind::kHeading:  // Closes whichever heading is open.
      return open_headings_ == 0 || PopUntilHeading();
    case Kind::kListItem:
      return !InListItemScope() || PopUntil(id);
    case Kind::kAnchor:
    case Kind::kFormatting: {
      // The adoption agency algorithm, in the cases where it moves nothing:
      // no special element above the topmost open `id`.
      if (open_[id] == 0) return true;
      for (size_t k = depth_; k > 0 && stack_[k - 1] != id; --k) {
        if (kTags[stack_[k - 1]].special) return false;
      }
      return PopUntil(id);
    }
    case Kind::kPhrase:
      // "Any other end tag": closes `id` if no special element is above it.
      for (size_t k = depth_; k > 0; --k) {
        if (stack_[k - 1] == id) return PopUntil(id);
        if (kTags[stack_[k - 1]].special) return true;
      }
      return true;
    case Kind::kBreak:  // "</br>" is read as "<br>".
      Space();
      return true;
    case Kind::kVoid:
    case Kind::kRule:
    case Kind::kRawText:
      return true;  // Never open, so ignored.
  }
  return false;
}

}  // namespace

std::optional<std::string> FastHtmlToText(std::string_view html) {
  Converter converter(html);
  if (!converter.Run()) return std::nullopt;
  return converter.TakeText();
}

}  // namespace newswatch::indexer
