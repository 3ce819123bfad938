// The one error type that crosses library boundaries, and Result<T>.
//
// Every wrapper of a third-party library (toml++, pugixml, Xapian, SQLite,
// libcurl) catches that library's exceptions or return codes in its own .cc
// file and converts them to an Error that says what went wrong, where (file,
// key, feed URL, search name) and how the caller should react.
#ifndef NEWSWATCH_CONFIG_ERROR_H_
#define NEWSWATCH_CONFIG_ERROR_H_

#include <string>
#include <utility>
#include <variant>

namespace newswatch::config {

// How a caller should react to an error.
enum class ErrorKind {
  kTransient,  // Try again later (network down, server busy, lock held).
  kPermanent,  // Give up on this item (bad feed, bad query), carry on.
  kFatal,      // Stop the program (bad config, unusable data_dir).
};

struct Error {
  ErrorKind kind = ErrorKind::kPermanent;
  std::string where;  // File and key, feed URL, search name; may be empty.
  std::string what;   // What is wrong, in words an operator understands.

  static Error Transient(std::string where, std::string what) {
    return {ErrorKind::kTransient, std::move(where), std::move(what)};
  }
  static Error Permanent(std::string where, std::string what) {
    return {ErrorKind::kPermanent, std::move(where), std::move(what)};
  }
  static Error Fatal(std::string where, std::string what) {
    return {ErrorKind::kFatal, std::move(where), std::move(what)};
  }

  // "where: what", or just "what" when there is no location.
  std::string ToString() const {
    return where.empty() ? what : where + ": " + what;
  }
};

// Either a value or an Error. Cheap to move; check ok() before value().
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : state_(std::move(error)) {}  // NOLINT

  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  const Error& error() const { return std::get<Error>(state_); }

 private:
  std::variant<T, Error> state_;
};

// A Result that carries no value: success or an Error.
struct Ok {};
using Status = Result<Ok>;

}  // namespace newswatch::config

#endif  // NEWSWATCH_CONFIG_ERROR_H_
