// Making untrusted text (feed titles, server messages) safe for one line of
// a log, a header or a terminal, and bounding it; and the one reading of a
// language tag that the config, the query language and the CLI share.
#ifndef NEWSWATCH_CONFIG_TEXT_H_
#define NEWSWATCH_CONFIG_TEXT_H_

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace newswatch::config {

// U+2026 HORIZONTAL ELLIPSIS, which ends text cut to a bound.
inline constexpr std::string_view kEllipsis = "\xE2\x80\xA6";

// `text` with every ASCII control character (CR and LF included), DEL, C1
// control, Unicode line/paragraph separator and bidirectional control
// replaced by a space, so it can neither break a line, drive a terminal nor
// reorder what is shown. Valid UTF-8 passes through otherwise unchanged.
std::string OneLine(std::string_view text);

// The length of the well-formed UTF-8 sequence at text[i] (i < text.size()),
// or 0 when the bytes there are not one (stray continuation byte, overlong
// form, surrogate, beyond U+10FFFF, truncated).
std::size_t Utf8SequenceLength(std::string_view text, std::size_t i);

// `text` with every byte that is not part of well-formed UTF-8 replaced by
// U+FFFD.
std::string RepairUtf8(std::string_view text);

// At most `max_bytes` bytes of `text`, cut before a UTF-8 sequence that would
// not fit whole; when cut, the result ends in kEllipsis (counted in
// `max_bytes`), or is empty if `max_bytes` is less than the ellipsis. The cut
// backs off at most three continuation bytes, so invalid UTF-8 costs no more.
std::string TruncateUtf8(std::string_view text, std::size_t max_bytes);

// A character and the text that stands for it in an escaped string.
struct Escape {
  char character;
  std::string_view replacement;
};

// `text` with each character that has an entry in `escapes` replaced by that
// entry's replacement; for markup escaping (HTML, Slack).
std::string EscapeChars(std::string_view text,
                        std::initializer_list<Escape> escapes);

// A language tag as the config's `language` keys, the query language's
// `lang:` and the CLI's --language accept it, BCP 47 in shape only: a
// primary subtag of 2-3 ASCII letters, then subtags of 1-8 ASCII letters or
// digits, each after a '-' or '_'. Returned lower-cased with '_' as '-'
// ("pt_BR" -> "pt-br"), the form articles carry and `lang:` compares
// against; nullopt when `tag` is not so shaped. The registry of subtags is
// not consulted: a tag Xapian has no stemmer for is stemmed as English, not
// refused. Callers say what and where when it is refused.
std::optional<std::string> NormalizeLanguageTag(std::string_view tag);

}  // namespace newswatch::config

#endif  // NEWSWATCH_CONFIG_TEXT_H_
