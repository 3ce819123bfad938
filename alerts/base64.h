// Base64 (RFC 4648, standard alphabet, padded), for webhook secrets and
// signatures and for MIME encoded-words.
#ifndef NEWSWATCH_ALERTS_BASE64_H_
#define NEWSWATCH_ALERTS_BASE64_H_

#include <optional>
#include <string>
#include <string_view>

namespace newswatch::alerts {

std::string Base64Encode(std::string_view bytes);

// nullopt when `text` is not padded standard base64.
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace newswatch::alerts

#endif  // NEWSWATCH_ALERTS_BASE64_H_
