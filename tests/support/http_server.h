// HttpServer: a real HTTP/1.1 server on 127.0.0.1 for tests, serving
// responses the test sets per path, and remembering the requests it got.
//
// One connection at a time, Connection: close after each response: enough to
// exercise a real client over a real socket. Thread-safe: the test thread
// sets routes while the server thread serves.
#ifndef NEWSWATCH_TESTS_SUPPORT_HTTP_SERVER_H_
#define NEWSWATCH_TESTS_SUPPORT_HTTP_SERVER_H_

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace newswatch::testing {

struct HttpResponse {
  int status = 200;
  std::map<std::string, std::string> headers;  // Content-Length is added.
  std::string body;
};

struct HttpRequest {
  std::string method;
  std::string path;
  std::map<std::string, std::string> headers;  // Names lower-cased.
};

class HttpServer {
 public:
  HttpServer();  // Listening on an ephemeral port once constructed.
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  int port() const { return port_; }
  // "http://127.0.0.1:<port><path>"
  std::string Url(const std::string& path) const;

  void Set(const std::string& path, HttpResponse response);
  std::vector<HttpRequest> Requests() const;

 private:
  void Serve();
  void Handle(int connection);

  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  std::map<std::string, HttpResponse> routes_;
  std::vector<HttpRequest> requests_;
  std::thread thread_;
};

}  // namespace newswatch::testing

#endif  // NEWSWATCH_TESTS_SUPPORT_HTTP_SERVER_H_
