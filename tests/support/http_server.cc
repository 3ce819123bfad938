#include "tests/support/http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <exception>
#include <iterator>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <utility>

namespace newswatch::testing {

namespace {

// A connection with no byte from the client for this long is closed.
constexpr int kIdleTimeoutMs = 10'000;
// A request head (request line and headers) larger than this gets 431.
constexpr size_t kMaxHeadBytes = 64 * 1024;

const char* ReasonPhrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 410:
      return "Gone";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Status";
  }
}

std::string Lower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return lower;
}

std::string_view Trim(std::string_view text) {
  const size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return {};
  return text.substr(begin, text.find_last_not_of(" \t") - begin + 1);
}

// Whether `value` (a header value) mentions `word`, ignoring case. A
// substring test is enough for the Connection and Accept-Encoding values
// real clients send.
bool Mentions(std::string_view value, std::string_view word) {
  return Lower(value).find(word) != std::string::npos;
}

// The value of header `name` in `headers`, ignoring the case of names, or
// nullptr.
const std::string* FindHeader(const std::map<std::string, std::string>& headers,
                              std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (Lower(key) == name) return &value;
  }
  return nullptr;
}

// Whether every byte of `text` is visible ASCII (no spaces, no controls).
bool Visible(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](unsigned char c) { return c > 0x20 && c < 0x7f; });
}

// False once the client has gone away (or the socket was shut down).
bool SendAll(int socket, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = send(socket, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// Appends what the client sends next to `buffer`. False at end of stream, on
// an error, after kIdleTimeoutMs without a byte, or once the socket is shut
// down by the destructor.
bool ReadMore(int socket, std::string* buffer) {
  pollfd readable{socket, POLLIN, 0};
  int ready;
  do {
    ready = poll(&readable, 1, kIdleTimeoutMs);
  } while (ready < 0 && errno == EINTR);
  if (ready <= 0) return false;
  char chunk[16384];
  ssize_t n;
  do {
    n = recv(socket, chunk, sizeof chunk, 0);
  } while (n < 0 && errno == EINTR);
  if (n <= 0) return false;
  buffer->append(chunk, static_cast<size_t>(n));
  return true;
}

// Drops the next `length` bytes from the client (a request body), the first
// of which may already be in `pending`.
bool Discard(int socket, std::string* pending, size_t length) {
  while (true) {
    const size_t taken = std::min(length, pending->size());
    pending->erase(0, taken);
    length -= taken;
    if (length == 0) return true;
    if (!ReadMore(socket, pending)) return false;
  }
}

// Parses "METHOD SP target SP HTTP/1.x" and the header lines after it into
// `request` and `version`. False for a malformed request line; header lines
// without a colon are ignored.
bool ParseHead(std::string_view head, HttpRequest* request,
               std::string* version) {
  const size_t line_end = std::min(head.find("\r\n"), head.size());
  const std::string_view line = head.substr(0, line_end);
  const size_t first = line.find(' ');
  if (first == std::string_view::npos) return false;
  const size_t second = line.find(' ', first + 1);
  if (second == std::string_view::npos) return false;
  const std::string_view method = line.substr(0, first);
  const std::string_view target = line.substr(first + 1, second - first - 1);
  const std::string_view http_version = line.substr(second + 1);
  if (method.empty() || !Visible(method) || target.empty() ||
      !Visible(target) || http_version.size() != 8 ||
      !http_version.starts_with("HTTP/1.") ||
      !std::isdigit(static_cast<unsigned char>(http_version.back()))) {
    return false;
  }
  request->method = method;
  request->path = target;
  *version = http_version;

  size_t start = line_end + 2;
  while (start < head.size()) {
    const size_t end = std::min(head.find("\r\n", start), head.size());
    const std::string_view header = head.substr(start, end - start);
    start = end + 2;
    const size_t colon = header.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string name = Lower(Trim(header.substr(0, colon)));
    const std::string_view value = Trim(header.substr(colon + 1));
    auto [entry, inserted] = request->headers.try_emplace(name, value);
    if (!inserted) entry->second.append(", ").append(value);
  }
  return true;
}

// A complete error response after which the server closes the connection.
std::string ErrorResponse(int status, std::string_view message) {
  return "HTTP/1.1 " + std::to_string(status) + " " + ReasonPhrase(status) +
         "\r\nContent-Length: " + std::to_string(message.size()) +
         "\r\nConnection: close\r\n\r\n" + std::string(message);
}

// Ends the connection without losing the last response: closes the sending
// side, then reads (and drops) what the client still sends until it closes,
// briefly. Closing a socket with unread input makes the kernel send a reset,
// which can destroy a response the client has not read yet.
void LingeringClose(int socket) {
  shutdown(socket, SHUT_WR);
  char chunk[4096];
  for (size_t drained = 0; drained < 1024 * 1024;) {
    pollfd readable{socket, POLLIN, 0};
    if (poll(&readable, 1, 500) <= 0) return;
    const ssize_t n = recv(socket, chunk, sizeof chunk, 0);
    if (n <= 0) return;
    drained += static_cast<size_t>(n);
  }
}

}  // namespace

std::string HttpDate(std::int64_t unix_seconds) {
  const auto time = static_cast<std::time_t>(unix_seconds);
  std::tm parts{};
  gmtime_r(&time, &parts);
  char text[64];
  std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &parts);
  return text;
}

// windowBits 15 + 16: a gzip header and trailer.
std::string Gzip(const std::string& data) {
  z_stream stream{};
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
                   Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  std::string out(deflateBound(&stream, static_cast<uLong>(data.size())), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int status = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  if (status != Z_STREAM_END) throw std::runtime_error("deflate failed");
  return out;
}

HttpServer::HttpServer(std::string bind_address)
    : bind_address_(std::move(bind_address)) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = 0;  // Ephemeral.
  if (inet_pton(AF_INET, bind_address_.c_str(), &address.sin_addr) != 1) {
    throw std::invalid_argument("HttpServer: not an IPv4 address: " +
                                bind_address_);
  }
  // Close-on-exec, here and for accepted sockets: tests spawn processes
  // (the real binary), which must not inherit the server's sockets.
  listener_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listener_ < 0) {
    throw std::system_error(errno, std::generic_category(), "HttpServer");
  }
  socklen_t length = sizeof address;
  if (bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) !=
          0 ||
      listen(listener_, SOMAXCONN) != 0 ||
      getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) !=
          0) {
    const int error = errno;
    close(listener_);
    throw std::system_error(error, std::generic_category(),
                            "HttpServer: cannot listen on " + bind_address_);
  }
  port_ = ntohs(address.sin_port);
  accept_thread_ = std::thread([this] { Accept(); });
}

HttpServer::~HttpServer() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  stopped_.notify_all();  // Ends delays and trickles.
  // On Linux this wakes the accept loop's poll at once; elsewhere the loop
  // notices stopping_ within its poll timeout.
  shutdown(listener_, SHUT_RDWR);
  accept_thread_.join();  // No connection is added after this.
  close(listener_);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    // Blocked reads return end of stream, blocked writes fail.
    for (Connection& connection : connections_) {
      if (!connection.done) shutdown(connection.socket, SHUT_RDWR);
    }
  }
  // Without the lock: each thread takes it to mark itself done. The list
  // itself no longer changes.
  for (Connection& connection : connections_) connection.thread.join();
}

std::string HttpServer::Url(const std::string& path) const {
  return "http://" + bind_address_ + ":" + std::to_string(port_) + path;
}

void HttpServer::Set(const std::string& path, HttpResponse response) {
  std::lock_guard<std::mutex> lock(mutex_);
  routes_[path] = std::move(response);
}

void HttpServer::SetHandler(const std::string& path, Handler handler) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (handler) {
    handlers_[path] = std::move(handler);
  } else {
    handlers_.erase(path);
  }
}

void HttpServer::SetFallback(Handler handler) {
  std::lock_guard<std::mutex> lock(mutex_);
  fallback_ = std::move(handler);
}

std::vector<HttpRequest> HttpServer::Requests() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return requests_;
}

std::vector<HttpRequest> HttpServer::RequestsFor(
    const std::string& path) const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<HttpRequest> matching;
  std::copy_if(
      requests_.begin(), requests_.end(), std::back_inserter(matching),
      [&](const HttpRequest& request) { return request.path == path; });
  return matching;
}

size_t HttpServer::RequestCount() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return requests_.size();
}

void HttpServer::Accept() {
  while (!stopping_) {
    pollfd waiting{listener_, POLLIN, 0};
    if (poll(&waiting, 1, 100) <= 0) continue;  // Wakes to check stopping_.
    sockaddr_in peer{};
    socklen_t length = sizeof peer;
    const int socket = accept4(listener_, reinterpret_cast<sockaddr*>(&peer),
                               &length, SOCK_CLOEXEC);
    if (socket < 0) {
      // Out of descriptors, say: give the connections a moment to finish
      // rather than spin.
      if (!stopping_) Sleep(std::chrono::milliseconds(10));
      continue;
    }
    // Small writes (a trickle, a response head) go out at once instead of
    // waiting for the client's delayed acknowledgement.
    const int one = 1;
    setsockopt(socket, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    char peer_address[INET_ADDRSTRLEN] = "";
    inet_ntop(AF_INET, &peer.sin_addr, peer_address, sizeof peer_address);

    std::list<Connection> finished;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (auto it = connections_.begin(); it != connections_.end();) {
        const auto next = std::next(it);
        if (it->done) finished.splice(finished.end(), connections_, it);
        it = next;
      }
      Connection& connection = connections_.emplace_back();
      connection.socket = socket;
      try {
        // The thread cannot mark itself done before `thread` is assigned:
        // that takes the lock held here.
        connection.thread =
            std::thread([this, &connection, peer = std::string(peer_address)] {
              Serve(&connection, peer);
            });
      } catch (const std::system_error&) {  // Out of threads.
        close(socket);
        connections_.pop_back();
      }
    }
    for (Connection& connection : finished) connection.thread.join();
  }
}

void HttpServer::Serve(Connection* connection,
                       const std::string& peer_address) {
  // Only this thread changes connection->socket, when it closes it below.
  const int socket = connection->socket;
  // Bytes received but not yet consumed: pipelined requests may arrive
  // together.
  std::string pending;
  try {
    while (!stopping_) {
      size_t head_end;
      bool have_head = true;
      while ((head_end = pending.find("\r\n\r\n")) == std::string::npos) {
        if (pending.size() > kMaxHeadBytes) {
          SendAll(socket, ErrorResponse(431, "request head too large\n"));
          have_head = false;
          break;
        }
        if (!ReadMore(socket, &pending)) {  // Gone, idle, or stopping.
          have_head = false;
          break;
        }
      }
      if (!have_head) break;
      HttpRequest request;
      std::string version;
      const bool well_formed = ParseHead(
          std::string_view(pending).substr(0, head_end), &request, &version);
      pending.erase(0, head_end + 4);
      if (!well_formed) {
        SendAll(socket, ErrorResponse(400, "malformed request\n"));
        break;
      }
      request.peer_address = peer_address;

      // The request body, if any, is read and dropped. Only Content-Length
      // framing is understood.
      size_t body_length = 0;
      if (request.headers.count("transfer-encoding") != 0) {
        SendAll(socket,
                ErrorResponse(501, "request Transfer-Encoding unsupported\n"));
        break;
      }
      if (auto found = request.headers.find("content-length");
          found != request.headers.end()) {
        const std::string& text = found->second;
        const auto [end, error] = std::from_chars(
            text.data(), text.data() + text.size(), body_length);
        if (text.empty() || error != std::errc() ||
            end != text.data() + text.size()) {
          SendAll(socket, ErrorResponse(400, "bad Content-Length\n"));
          break;
        }
      }
      if (auto expect = request.headers.find("expect");
          expect != request.headers.end() &&
          Mentions(expect->second, "100-continue") &&
          body_length > pending.size()) {
        // Otherwise the client waits a while before sending the body.
        SendAll(socket, "HTTP/1.1 100 Continue\r\n\r\n");
      }
      if (!Discard(socket, &pending, body_length)) break;

      const auto connection_header = request.headers.find("connection");
      const std::string_view connection_value =
          connection_header == request.headers.end()
              ? std::string_view()
              : std::string_view(connection_header->second);
      const bool keep_alive = version == "HTTP/1.0"
                                  ? Mentions(connection_value, "keep-alive")
                                  : !Mentions(connection_value, "close");
      HttpResponse response = Route(request);
      if (!Respond(socket, request, std::move(response), keep_alive)) break;
    }
  } catch (const std::exception&) {
    // Out of memory, say, or a gzip failure: only this connection ends,
    // rather than the test process.
  }
  LingeringClose(socket);
  std::lock_guard<std::mutex> lock(mutex_);
  close(socket);
  connection->socket = -1;
  connection->done = true;
}

HttpResponse HttpServer::Route(const HttpRequest& request) {
  Handler handler;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    requests_.push_back(request);
    if (auto found = handlers_.find(request.path); found != handlers_.end()) {
      handler = found->second;
    } else if (auto route = routes_.find(request.path);
               route != routes_.end()) {
      return route->second;
    } else if (fallback_) {
      handler = fallback_;
    } else {
      return HttpResponse{404, {}, "not found\n"};
    }
  }
  // Called without the lock: handlers may take long, and may use the server.
  try {
    return handler(request);
  } catch (const std::exception& error) {
    return HttpResponse{500, {}, error.what()};
  } catch (...) {
    return HttpResponse{500, {}, "handler threw\n"};
  }
}

bool HttpServer::Sleep(std::chrono::milliseconds duration) {
  std::unique_lock<std::mutex> lock(mutex_);
  return !stopped_.wait_for(lock, duration,
                            [this] { return stopping_.load(); });
}

bool HttpServer::Respond(int socket, const HttpRequest& request,
                         HttpResponse response, bool keep_alive) {
  if (response.delay.count() > 0 && !Sleep(response.delay)) return false;

  const int status = response.status;
  const bool has_body =
      !(status >= 100 && status < 200) && status != 204 && status != 304;
  if (!has_body) response.body.clear();
  if (const std::string* accepted =
          FindHeader(request.headers, "accept-encoding");
      response.gzip && has_body && accepted != nullptr &&
      Mentions(*accepted, "gzip")) {
    response.body = Gzip(response.body);
    response.headers["Content-Encoding"] = "gzip";
  }
  // A test that frames the body itself gets it sent as is; the connection
  // then ends with the body, the only framing left that cannot be wrong.
  const bool framed_by_test =
      FindHeader(response.headers, "content-length") != nullptr ||
      FindHeader(response.headers, "transfer-encoding") != nullptr;
  const std::string* connection_header =
      FindHeader(response.headers, "connection");
  if (framed_by_test ||
      (connection_header != nullptr && Mentions(*connection_header, "close"))) {
    keep_alive = false;
  }

  std::string head = "HTTP/1.1 " + std::to_string(status) + " " +
                     ReasonPhrase(status) + "\r\n";
  for (const auto& [name, value] : response.headers) {
    head += name + ": " + value + "\r\n";
  }
  if (has_body && !framed_by_test) {
    head += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
  }
  if (connection_header == nullptr) {
    head += keep_alive ? "Connection: keep-alive\r\n" : "Connection: close\r\n";
  }
  head += "\r\n";

  const std::string_view body =
      request.method == "HEAD" ? std::string_view() : response.body;
  if (response.trickle_bytes == 0 || body.empty()) {
    // One write: a head and body sent apart could wait on the client's
    // delayed acknowledgement.
    head += body;
    if (!SendAll(socket, head)) return false;
  } else {
    if (!SendAll(socket, head)) return false;
    for (size_t offset = 0; offset < body.size();
         offset += response.trickle_bytes) {
      if (offset > 0 && !Sleep(response.trickle_interval)) return false;
      if (!SendAll(socket, body.substr(offset, response.trickle_bytes))) {
        return false;
      }
    }
  }
  return keep_alive;
}

}  // namespace newswatch::testing
