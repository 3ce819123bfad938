// HttpServer: a real HTTP/1.1 server on a loopback IPv4 address for tests,
// serving responses (or handlers) the test sets per path, and remembering the
// requests it got.
//
// A thread per accepted connection, so many clients can be served at once
// (a poller's ~64 parallel transfers, a benchmark's 10,000 requests). Each
// connection is kept alive for further requests (HTTP/1.1 keep-alive) unless
// the client asks for Connection: close or speaks HTTP/1.0 without
// keep-alive; a connection idle for 10 s is closed by the server. Responses
// can be made slow (`delay`), trickled (`trickle_bytes`), or gzip-compressed
// when the client accepts it (`gzip`), to exercise a client's timeouts and
// decoding. Malformed requests get 400 and the connection is closed; clients
// that vanish mid-request or mid-response are dropped quietly.
//
// Thread-safe: the test thread sets routes and reads recorded requests while
// connection threads serve. The destructor stops promptly: it wakes every
// blocked read, write, delay and trickle and joins every connection thread
// (only a handler that itself blocks can hold it up).
#ifndef NEWSWATCH_TESTS_SUPPORT_HTTP_SERVER_H_
#define NEWSWATCH_TESTS_SUPPORT_HTTP_SERVER_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace newswatch::testing {

struct HttpResponse {
  int status = 200;
  // Sent verbatim, in map order. The server adds Content-Length (the length
  // of the body as sent, after any gzip) except for 1xx, 204 and 304, which
  // have no body. If the test sets Content-Length or Transfer-Encoding
  // itself, the server adds none, sends the body as is and closes the
  // connection after it (so a Content-Length that lies shows up as a
  // truncated response). A "Connection: close" header here also closes the
  // connection after the response.
  std::map<std::string, std::string> headers;
  std::string body;  // Not sent for HEAD, 1xx, 204 or 304.
  // How long to wait before sending the status line (a slow server). Only
  // this connection waits; others are served meanwhile.
  std::chrono::milliseconds delay{0};
  // When > 0, the body is written `trickle_bytes` at a time with
  // `trickle_interval` between writes (a server that trickles). The
  // Content-Length is still the full length.
  size_t trickle_bytes = 0;
  std::chrono::milliseconds trickle_interval{0};
  // When true and the request's Accept-Encoding mentions gzip, the body is
  // gzip-compressed and "Content-Encoding: gzip" is added; otherwise the body
  // is sent as is. (For a body that is already compressed, such as a gzip
  // bomb, leave this false and set Content-Encoding in `headers`.)
  bool gzip = false;
};

struct HttpRequest {
  std::string method;
  std::string path;  // The request target as sent, query string included.
  // Names lower-cased; a header sent more than once has its values joined
  // with ", ".
  std::map<std::string, std::string> headers;
  std::string peer_address;  // The client's IPv4 address, e.g. "127.0.0.1".
};

// An HTTP-date ("Wed, 21 Oct 2015 07:28:00 GMT") for Unix seconds, as
// servers write Last-Modified, Expires and Retry-After.
std::string HttpDate(std::int64_t unix_seconds);

// `data` gzip-compressed (a gzip header and trailer), as the server sends a
// response with `gzip` set; tests use it to build pre-compressed bodies.
std::string Gzip(const std::string& data);

class HttpServer {
 public:
  // Called on the connection's thread, without the server's lock held (so
  // it may call Set, Requests, ...), once per request to its path. An
  // exception it throws becomes a 500 whose body is the exception's what().
  using Handler = std::function<HttpResponse(const HttpRequest&)>;

  // Listening on an ephemeral port of `bind_address` (an IPv4 address such
  // as "127.0.0.2") once constructed. Throws std::invalid_argument for an
  // address that is not IPv4, std::runtime_error if it cannot listen.
  explicit HttpServer(std::string bind_address = "127.0.0.1");
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  int port() const { return port_; }
  // "http://<bind_address>:<port><path>"
  std::string Url(const std::string& path) const;

  // What a request for `path` gets; a request target must match exactly.
  // For each request the server uses, in order: the path's handler, the
  // path's response, the fallback handler, else 404 "not found\n".
  void Set(const std::string& path, HttpResponse response);
  // An empty `handler` removes the path's handler.
  void SetHandler(const std::string& path, Handler handler);
  // For every path with neither a handler nor a response; empty removes it.
  void SetFallback(Handler handler);

  // The requests received so far, oldest first (malformed ones, answered
  // with 400, are not recorded). A request is recorded before its response
  // is computed.
  std::vector<HttpRequest> Requests() const;
  // Those of Requests() whose path is exactly `path`.
  std::vector<HttpRequest> RequestsFor(const std::string& path) const;
  size_t RequestCount() const;

 private:
  // A connection's thread and socket. The thread closes the socket and sets
  // `done` under mutex_ when it ends, so the destructor never shuts down a
  // descriptor number that has been reused, and the accept loop can join
  // finished threads.
  struct Connection {
    int socket = -1;
    bool done = false;
    std::thread thread;
  };

  void Accept();
  void Serve(Connection* connection, const std::string& peer_address);
  HttpResponse Route(const HttpRequest& request);
  // Waits `duration` or until the server stops; false if it stopped.
  bool Sleep(std::chrono::milliseconds duration);
  // Sends `response` to `request`. True if the connection may serve another
  // request: `keep_alive`, the response allows it, the client is still there
  // and the server is not stopping.
  bool Respond(int socket, const HttpRequest& request, HttpResponse response,
               bool keep_alive);

  const std::string bind_address_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  // Guards everything below and is the lock of `stopped_`.
  mutable std::mutex mutex_;
  std::condition_variable stopped_;  // Notified when stopping_ is set.
  std::map<std::string, HttpResponse> routes_;
  std::map<std::string, Handler> handlers_;
  Handler fallback_;
  std::vector<HttpRequest> requests_;
  std::list<Connection> connections_;  // A list: elements never move.
  std::thread accept_thread_;
};

}  // namespace newswatch::testing

#endif  // NEWSWATCH_TESTS_SUPPORT_HTTP_SERVER_H_
