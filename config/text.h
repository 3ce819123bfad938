// Making untrusted text (feed titles, server messages) safe for one line of
// a log, a header or a terminal.
#ifndef NEWSWATCH_CONFIG_TEXT_H_
#define NEWSWATCH_CONFIG_TEXT_H_

#include <string>
#include <string_view>

namespace newswatch::config {

// `text` with every ASCII control character (CR and LF included), DEL and
// C1 control replaced by a space, so it can neither break a line nor drive a
// terminal. Valid UTF-8 passes through otherwise unchanged.
std::string OneLine(std::string_view text);

}  // namespace newswatch::config

#endif  // NEWSWATCH_CONFIG_TEXT_H_
