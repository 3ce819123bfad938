// Character encodings of feed documents: whatever a server sends -> UTF-8.
#ifndef NEWSWATCH_INDEXER_TEXT_ENCODING_H_
#define NEWSWATCH_INDEXER_TEXT_ENCODING_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace newswatch::indexer {

// Returns the XML document `bytes` as UTF-8 without a byte order mark, so
// that an XML parser can be given UTF-8 only and every offset it reports is
// an offset into the returned text.
//
// The encoding is the byte order mark's (UTF-8, UTF-16LE/BE, UTF-32LE/BE),
// else UTF-16 when the first two bytes are '<' and a NUL (in either order),
// else the one named in the XML declaration if it looks like a charset name,
// else UTF-8. Latin-1 and ASCII labels mean
// windows-1252, as browsers have it (WHATWG Encoding): feeds so labelled are
// full of its curly quotes. A declared UTF-16 or UTF-32 without a mark or
// NULs is a mislabelled ASCII-compatible document and is read as UTF-8.
//
// UTF-8 input is returned as a view of `bytes` itself, not copied and not
// validated: invalid sequences pass through as they are. Other input is
// converted as by ConvertToUtf8 into *storage, which the result then views.
// When the converter does not know the encoding, "unknown encoding <name>;
// read as UTF-8" is appended to *warnings and `bytes` is returned as is.
// Thread-safe.
std::string_view DecodeXmlToUtf8(std::string_view bytes, std::string* storage,
                                 std::vector<std::string>* warnings);

// Returns `bytes`, read in the encoding iconv(3) names `encoding`, as valid
// UTF-8, with U+FFFD for each byte that does not decode (a sequence cut
// short at the end included); nullopt when iconv does not know `encoding`.
// Converting from "UTF-8" thus repairs invalid UTF-8. Replacement goes byte
// by byte, so in UTF-16 or UTF-32 what follows a bad code unit may decode
// misaligned: garbled, but still valid UTF-8. Thread-safe.
std::optional<std::string> ConvertToUtf8(std::string_view bytes,
                                         const std::string& encoding);

}  // namespace newswatch::indexer

#endif  // NEWSWATCH_INDEXER_TEXT_ENCODING_H_
