// Building the email for one Message: an RFC 5322 / MIME message that is safe
// to hand to an SMTP server whatever the feeds put in their titles.
#ifndef NEWSWATCH_ALERTS_EMAIL_MESSAGE_H_
#define NEWSWATCH_ALERTS_EMAIL_MESSAGE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "alerts/notifier.h"
#include "config/config.h"
#include "config/error.h"

namespace newswatch::alerts {

// Bounds on the feed text that reaches a message, in bytes of UTF-8 (cut on
// a character boundary, "…" marking the cut).
inline constexpr std::size_t kMaxSubjectTitleBytes = 300;
inline constexpr std::size_t kMaxTitleBytes = 1000;  // In the body.
inline constexpr std::size_t kMaxSnippetBytes = 2000;
inline constexpr std::size_t kMaxUrlBytes = 2000;
inline constexpr std::size_t kMaxNameBytes = 200;  // Search and feed names.
inline constexpr std::size_t kMaxQueryBytes = 1000;
inline constexpr std::size_t kMaxMatchedBytes = 1000;  // All the terms.

// OK when `address` is a plain ASCII addr-spec, "local@domain": a dot-atom
// local part of at most 64 bytes and a host name (letters, digits, hyphens,
// dot-separated labels) or bracketed address literal as the domain, 254
// bytes at most in all. Display names ("Name <a@b>"), quoted local parts,
// comments and internationalised addresses are refused, and so is anything
// with whitespace or control characters, so an accepted address can go into
// a header or an SMTP command as it is. The error (kPermanent, `where`
// empty) says what is wrong and shows the address made single-line.
config::Status ValidateEmailAddress(std::string_view address);

// The complete message for `message` from `settings.from` to every address
// in `settings.to`, dated `now` (Unix seconds), with CRLF line endings and
// no line over 78 characters except where an address or the Message-ID is
// longer (never over 998).
//
// Headers: Date (UTC), From ("newswatch <from>"), To, Subject
// ("[newswatch] <search>: <title>", or "... : N new articles" for a
// digest), Message-ID ("<message.id@domain of from>": the same Message gives
// the same Message-ID on every retry, so receivers can drop repeats),
// MIME-Version, Auto-Submitted: auto-generated, and a multipart/alternative
// Content-Type whose two parts, text/plain and text/html (both UTF-8,
// quoted-printable), show the search, its query and for each alert its
// title, link, feed, published time, matched terms and snippet. Non-ASCII
// header text is sent as RFC 2047 encoded-words.
//
// Feed text is untrusted: invalid UTF-8 is repaired (U+FFFD), control,
// line-breaking and bidirectional characters become spaces, and every field
// is cut to the bounds above, so no title or snippet can add a header, break
// the MIME structure or make the message unbounded.
//
// A kPermanent error when the message cannot be built: a from/to address
// ValidateEmailAddress refuses, no recipients, no alerts, or a message id
// that is not a dot-atom.
config::Result<std::string> BuildEmail(const Message& message,
                                       const config::EmailSettings& settings,
                                       std::int64_t now);

}  // namespace newswatch::alerts

#endif  // NEWSWATCH_ALERTS_EMAIL_MESSAGE_H_
