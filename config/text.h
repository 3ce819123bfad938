// Making untrusted text (feed titles, server messages) safe for one line of
// a log, a header or a terminal.
#ifndef NEWSWATCH_CONFIG_TEXT_H_
#define NEWSWATCH_CONFIG_TEXT_H_

#include <string>
#include <string_view>

namespace newswatch::config {

// `text` with every ASCII control character (CR and LF included), DEL, C1
// control, Unicode line/paragraph separator and bidirectional control
// replaced by a space, so it can neither break a line, drive a terminal nor
// reorder what is shown. Valid UTF-8 passes through otherwise unchanged.
std::string OneLine(std::string_view text);

}  // namespace newswatch::config

#endif  // NEWSWATCH_CONFIG_TEXT_H_
