// Character encodings of feed documents: whatever a server sends -> UTF-8.
#ifndef NEWSWATCH_INDEXER_TEXT_ENCODING_H_
#define NEWSWATCH_INDEXER_TEXT_ENCODING_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace newswatch::indexer {

// Returns the XML document `bytes` as valid UTF-8 without a byte order mark,
// so that an XML parser can be given UTF-8 only and every offset it reports
// is an offset into the returned text.
//
// The encoding is the byte order mark's (UTF-8, UTF-16LE/BE, UTF-32LE/BE),
// else UTF-16 when the first two bytes are '<' and a NUL (in either order),
// else the charset of `content_type` (the HTTP Content-Type header, which
// RFC 7303 puts before the document's own label), else the one named in the
// XML declaration, else UTF-8. A label must look like a charset name to
// count. Latin-1 and ASCII labels mean windows-1252, as browsers have it
// (WHATWG Encoding): feeds so labelled are full of its curly quotes. A label
// of UTF-16 or UTF-32 on bytes without a mark or NULs is a mislabelled
// ASCII-compatible document and is read as UTF-8.
//
// Valid UTF-8 input is returned as a view of `bytes` itself, not copied.
// UTF-8 input with invalid sequences is repaired into *storage as by
// RepairUtf8, with a warning; other input is converted as by ConvertToUtf8
// into *storage, which the result then views. When the converter does not
// know the encoding, "unknown encoding <name>; read as UTF-8" is appended to
// *warnings and `bytes` is read as UTF-8. Thread-safe.
std::string_view DecodeXmlToUtf8(std::string_view bytes,
                                 std::string_view content_type,
                                 std::string* storage,
                                 std::vector<std::string>* warnings);

// The charset parameter of a Content-Type header value ("text/xml;
// charset=ISO-8859-1" -> "ISO-8859-1"; quotes removed), or "" when there is
// none.
std::string CharsetOf(std::string_view content_type);

// Whether `text` is valid UTF-8 (no overlong forms, surrogates or code points
// above U+10FFFF).
bool IsValidUtf8(std::string_view text);

// Returns `text` with every byte that is not part of a valid UTF-8 sequence
// read as windows-1252 instead (its five unassigned bytes as U+FFFD): the
// usual truth when a feed claims UTF-8 and is not, wholly or in pasted
// parts. The result is valid UTF-8; valid input comes back unchanged.
// Sets *repaired_bytes to the number of bytes so read.
std::string RepairUtf8(std::string_view text, size_t* repaired_bytes);

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
