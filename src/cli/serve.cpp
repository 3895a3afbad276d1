// `subsidy serve`: the HTTP API and the web page (docs/api.md) on cpp-httplib, over the rules
// loaded once at start-up. This file owns the sockets, the threads, the limits and the access log;
// what a request gets is server::Api's (src/server/api.h), which needs no socket.
// Contracts:
//  - the RuleSet and the Api are built before the first connection and only read afterwards, by
//    every worker thread at once;
//  - at most --threads connections are served at once and --queue wait; a connection beyond both
//    is answered 503 by one overflow thread, so a flood never grows memory without bound;
//  - a body is refused (413) while it is read, past --max-body; reads and writes time out; the
//    request line and headers hold at most 64 KiB and arrive within --timeout (LimitedStream);
//  - SIGTERM or SIGINT stops accepting, lets the requests in flight finish, and exits 0;
//  - one access-log line per request on standard error, written with one write(2).
#include <arpa/inet.h>
#include <fmt/format.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <deque>
#include <iostream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "cli/app.h"
#include "cli/commands.h"
#include "cli/io.h"
#include "server/api.h"

namespace subsidy::cli {
namespace {

struct ServeOptions {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string rules_dir;
  unsigned threads = 32;
  unsigned queue = 64;
  std::size_t max_body = kMaxInputBytes;
  unsigned timeout = 5;  // seconds, per read and per write
  // Requests answered on one connection before it is closed (httplib's default): a client cannot
  // hold a thread for long while other connections wait in the queue.
  std::size_t keep_alive_requests = 5;
  Lang lang = Lang::Zh;  // for the start-up and error messages
};

// Per worker thread: the connection being served came through the overflow (answer 503), and
// when the current request started and how many streamed bytes it sent (for the access log).
thread_local bool tl_overflow = false;
thread_local std::chrono::steady_clock::time_point tl_start{};
thread_local std::size_t tl_streamed = 0;

// Serves one connection. An exception escaping httplib (out of memory outside a handler) ends
// that connection, said on stderr, rather than the whole server through std::terminate.
void serve_connection(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const std::exception& e) {
    std::cerr << "subsidy serve: connection dropped: " << e.what() << "\n";
  } catch (...) {
    std::cerr << "subsidy serve: connection dropped\n";
  }
}

// httplib's ThreadPool queues without bound. This one serves with `threads` workers and lets
// `queue` connections wait; past that a connection goes to one overflow thread that answers
// 503 (its own queue bounded by the same number; past both, the accepting thread answers it).
class BoundedPool : public httplib::TaskQueue {
 public:
  BoundedPool(unsigned threads, std::size_t queue) : capacity_(threads + queue) {
    for (unsigned i = 0; i < threads; ++i) workers_.emplace_back([this] { work(jobs_, false); });
    workers_.emplace_back([this] { work(overflow_, true); });
  }
  void enqueue(std::function<void()> fn) override {
    bool queued = true;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      // Served or waiting: at most threads + queue connections (--queue 0: none ever waits).
      if (jobs_.size() + busy_ < capacity_) {
        jobs_.push_back(std::move(fn));
      } else if (overflow_.size() < capacity_) {
        overflow_.push_back(std::move(fn));
      } else {
        queued = false;
      }
    }
    if (queued) {
      cond_.notify_all();
      return;
    }
    tl_overflow = true;
    serve_connection(fn);
    tl_overflow = false;
  }
  void shutdown() override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      shutdown_ = true;
    }
    cond_.notify_all();
    for (std::thread& t : workers_) t.join();
  }

 private:
  void work(std::deque<std::function<void()>>& jobs, bool overflow) {
    tl_overflow = overflow;
    while (true) {
      std::function<void()> fn;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        cond_.wait(lock, [&] { return !jobs.empty() || shutdown_; });
        if (jobs.empty()) return;  // shut down, and nothing left to serve
        fn = std::move(jobs.front());
        jobs.pop_front();
        if (!overflow) ++busy_;
      }
      serve_connection(fn);
      if (!overflow) {
        std::lock_guard<std::mutex> lock(mutex_);
        --busy_;
      }
    }
  }
  std::size_t capacity_;  // connections served or waiting, beyond which the overflow answers
  std::mutex mutex_;
  std::condition_variable cond_;
  std::deque<std::function<void()>> jobs_, overflow_;
  std::vector<std::thread> workers_;
  std::size_t busy_ = 0;  // connections the workers are serving
  bool shutdown_ = false;
};

// The request line and headers of one request: at most this many bytes (httplib 0.11 limits each
// line to 8 KiB but not their number), arriving within --timeout seconds in all (httplib times
// out each read only, so a client dripping a byte at a time would hold a thread for ever).
constexpr std::size_t kMaxHeaderBytes = 64 * 1024;

// A body must arrive at this many bytes a second at least, after a first --timeout (its pieces
// extend the deadline): a client dripping a byte now and then cannot hold a thread, nor the
// drain at SIGTERM, for ever; a long /v1/batch upload at any usable speed goes on.
constexpr long long kMinBodyRate = 16 * 1024;

// httplib's socket stream, with the two limits above. httplib's request parser calls
// get_remote_ip_and_port right after reading the headers: from then on the body is read, under
// the per-read timeout and --max-body only. Reads are buffered: the parser reads headers a byte
// at a time.
class LimitedStream : public httplib::Stream {
 public:
  LimitedStream(int sock, std::chrono::seconds read_timeout, std::chrono::seconds write_timeout)
      : sock_(sock), read_timeout_(read_timeout), write_timeout_(write_timeout) {}

  void start_request() {
    in_headers_ = true;
    line_start_ = true;
    matched_ = 0;
    header_bytes_ = 0;
    deadline_ = std::chrono::steady_clock::now() + read_timeout_;
  }
  bool buffered() const { return pos_ < len_; }
  bool is_readable() const override { return buffered() || wait(POLLIN, read_timeout_); }
  bool is_writable() const override { return wait(POLLOUT, write_timeout_); }

  ssize_t read(char* ptr, std::size_t size) override {
    if (in_headers_) {
      if (header_bytes_ >= kMaxHeaderBytes) return -1;
      size = std::min(size, kMaxHeaderBytes - header_bytes_);
    }
    if (!buffered()) {
      // The headers within --timeout in all; the body at kMinBodyRate at least, each piece
      // received moving the deadline on by the time that rate gives it.
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline_ - std::chrono::steady_clock::now());
      if (left.count() <= 0) return -1;
      if (!wait(POLLIN, std::min<std::chrono::milliseconds>(read_timeout_, left))) return -1;
      ssize_t n;
      do {
        n = ::recv(sock_, buffer_, sizeof buffer_, 0);
      } while (n < 0 && errno == EINTR);
      if (n <= 0) return n;
      pos_ = 0;
      len_ = static_cast<std::size_t>(n);
      if (!in_headers_) deadline_ += std::chrono::microseconds(n * 1'000'000 / kMinBodyRate);
    }
    std::size_t n = std::min(size, len_ - pos_);
    if (in_headers_ && names_range(buffer_ + pos_, n)) return -1;
    std::memcpy(ptr, buffer_ + pos_, n);
    pos_ += n;
    if (in_headers_) header_bytes_ += n;
    return static_cast<ssize_t>(n);
  }
  ssize_t write(const char* ptr, std::size_t size) override {
    if (!is_writable()) return -1;
    ssize_t n;
    do {
      n = ::send(sock_, ptr, size, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    return n;
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    in_headers_ = false;  // the headers are read: the body follows
    deadline_ = std::chrono::steady_clock::now() + read_timeout_;
    address(::getpeername, ip, port);
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    address(::getsockname, ip, port);
  }
  socket_t socket() const override { return sock_; }

 private:
  // Whether these header bytes complete a `Range:` header line. No resource here is served in
  // ranges, and httplib would cut any response, an error included, into as many copies as a
  // Range names (thousands fit in one header): such a request fails to read (400, closed).
  bool names_range(const char* p, std::size_t n) {
    static constexpr std::string_view kRange = "range:";
    for (std::size_t i = 0; i < n; ++i) {
      char c = static_cast<char>(std::tolower(static_cast<unsigned char>(p[i])));
      if (c == '\n') {
        line_start_ = true;
        matched_ = 0;
        continue;
      }
      if (line_start_ && matched_ < kRange.size() && c == kRange[matched_]) {
        if (++matched_ == kRange.size()) return true;
        continue;
      }
      line_start_ = false;
    }
    return false;
  }
  template <class Duration>
  bool wait(short events, Duration timeout) const {
    pollfd p{sock_, events, 0};
    int ms =
        static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(timeout).count());
    int r;
    do {
      r = ::poll(&p, 1, ms);
    } while (r < 0 && errno == EINTR);
    return r > 0 && (p.revents & (events | POLLHUP | POLLERR)) != 0;
  }
  void address(int (*get)(int, sockaddr*, socklen_t*), std::string& ip, int& port) const {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    ip.clear();
    port = 0;
    if (get(sock_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return;
    char text[INET6_ADDRSTRLEN] = {};
    if (addr.ss_family == AF_INET) {
      auto* in = reinterpret_cast<sockaddr_in*>(&addr);
      ::inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
      port = ntohs(in->sin_port);
    } else if (addr.ss_family == AF_INET6) {
      auto* in = reinterpret_cast<sockaddr_in6*>(&addr);
      ::inet_ntop(AF_INET6, &in->sin6_addr, text, sizeof text);
      port = ntohs(in->sin6_port);
    }
    ip = text;
  }

  int sock_;
  std::chrono::seconds read_timeout_, write_timeout_;
  mutable bool in_headers_ = true;
  std::size_t header_bytes_ = 0;
  mutable std::chrono::steady_clock::time_point deadline_;
  bool line_start_ = true;   // the header bytes read so far end a line
  std::size_t matched_ = 0;  // how much of "range:" the current line begins with
  char buffer_[4096];
  std::size_t pos_ = 0, len_ = 0;
};

// httplib's server with its connection loop replaced (process_and_close_socket is virtual) to
// read through a LimitedStream; the rest (parsing, routing, writing) is httplib's.
class Server : public httplib::Server {
 public:
  explicit Server(unsigned timeout) : timeout_(timeout) {}

  // httplib listens with a backlog of 5: connections arriving faster than they are accepted
  // (50 clients reconnecting after their keep-alive limit) lost their SYN and retried a second or
  // three later, the load test's p99 of seconds. Linux lets listen() widen it on the bound socket.
  bool widen_backlog() { return ::listen(svr_sock_, SOMAXCONN) == 0; }

 private:
  bool process_and_close_socket(socket_t sock) override {
    LimitedStream stream(sock, timeout_, timeout_);
    bool ok = false;
    for (std::size_t count = keep_alive_max_count_; count > 0; --count) {
      if (!next_request(stream, sock)) break;
      bool closed = false;
      stream.start_request();
      ok = process_request(stream, count == 1 || svr_sock_ == INVALID_SOCKET, closed, nullptr);
      if (!ok || closed) break;
    }
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
    return ok;
  }
  // Waits for a request on a kept-alive connection (--keep-alive seconds), in short steps so
  // that a stopping server does not wait for idle connections.
  bool next_request(const LimitedStream& stream, socket_t sock) const {
    if (stream.buffered()) return true;
    auto end = std::chrono::steady_clock::now() + std::chrono::seconds(keep_alive_timeout_sec_);
    while (svr_sock_ != INVALID_SOCKET && std::chrono::steady_clock::now() < end) {
      pollfd p{sock, POLLIN, 0};
      int r = ::poll(&p, 1, 100);
      if (r > 0) return true;
      if (r < 0 && errno != EINTR) return false;
    }
    return false;
  }
  std::chrono::seconds timeout_;
};

server::Request to_api(const httplib::Request& req) {
  server::Request r;
  r.method = req.method;
  r.path = req.path;
  for (const auto& [k, v] : req.params) r.query.emplace_back(k, v);
  r.content_type = req.get_header_value("Content-Type");
  r.body = req.body;
  return r;
}

void send(const server::Response& from, httplib::Response& res) {
  res.status = from.status;
  for (const auto& [k, v] : from.headers) res.set_header(k, v);
  res.set_content(from.body, from.content_type);
}

// The language of a request's messages: its ?lang, Chinese when absent or not zh|en.
Lang request_language(const httplib::Request& req) {
  const LangInfo* asked = lang_of(req.get_param_value("lang"));
  return asked ? asked->lang : Lang::Zh;
}

// An answer the server gives itself, before or instead of the API's: its status, code, message
// and, for a busy server, when to try again.
struct ServerError {
  int status;
  const char* code;
  Message message;
  const char* retry_after = nullptr;
};

const ServerError kBusy{503, server::kSaturated,
                        msg("the server is busy: try again shortly", "服务器繁忙：请稍后再试"),
                        "1"};
const ServerError kUnfinished{
    500, server::kInternal,
    msg("the server could not finish this request", "服务器未能完成此请求")};
const ServerError kCutOff{400, server::kBadRequest,
                          msg("the request body broke off: the records above are all that was read",
                              "请求正文中断：以上记录即已读取的全部")};
const ServerError kBodyTooLarge{
    413, server::kTooLarge,
    msg("request body over the limit: what was read before it is answered, the rest is not",
        "请求正文超过上限：之前读到的部分已作答，其余未读取")};

server::Response answer(const ServerError& e, Lang lang) {
  server::Response r = server::error_response(e.status, e.code, e.message, lang);
  if (e.retry_after) r.headers.emplace_back("Retry-After", e.retry_after);
  return r;
}

// A field of an access-log line: "-" when empty; spaces, control characters and DEL as %XX, so a
// decoded path (%0A, %20) can neither split a line nor forge one.
std::string log_field(std::string_view text) {
  if (text.empty()) return "-";
  std::string out;
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7f) {
      out += fmt::format("%{:02X}", byte);
    } else {
      out += c;
    }
  }
  return out;
}

void access_log(const httplib::Request& req, const httplib::Response& res) {
  double ms = 0;
  if (tl_start != std::chrono::steady_clock::time_point{}) {
    ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - tl_start)
             .count();
  }
  std::size_t bytes = res.body.size() + tl_streamed;
  std::string line = fmt::format("{} {} {} {} {} {:.1f}ms\n", log_field(req.remote_addr),
                                 log_field(req.method), log_field(req.path), res.status, bytes, ms);
  // One write: lines from different threads do not interleave. A failed log write is not a
  // reason to fail the request.
  [[maybe_unused]] ssize_t n = ::write(STDERR_FILENO, line.data(), line.size());
  tl_start = {};
  tl_streamed = 0;
}

// Whether the request declares a body longer than `max` (a length too long to be a number is).
// A body the limit cannot be held to while it is read, refused before reading it: one whose length
// is not declared (chunked), except /v1/batch's, which counts its lines as they stream; and any
// compressed one, whose declared length says nothing of what it unpacks to (httplib would inflate
// it whole). nullopt for a body that may be read.
std::optional<server::Response> unbounded_body(const httplib::Request& req) {
  Lang lang = request_language(req);
  std::string encoding = req.get_header_value("Content-Encoding");
  if (!encoding.empty() && encoding != "identity") {
    return server::error_response(
        415, server::kMediaType,
        msg("compressed request bodies (Content-Encoding: {0}) are not accepted",
            "不接受压缩的请求正文（Content-Encoding: {0}）", encoding),
        lang);
  }
  bool chunked = req.get_header_value_count("Transfer-Encoding") > 0;
  if (chunked && req.path != "/v1/batch") {
    return server::error_response(
        411, server::kBadRequest,
        msg("give the body's length (Content-Length); only /v1/batch takes a chunked body",
            "请给出正文长度（Content-Length）；只有 /v1/batch 接受分块传输的正文"),
        lang);
  }
  return std::nullopt;
}

bool declared_over(const httplib::Request& req, std::size_t max) {
  if (req.get_header_value_count("Content-Length") == 0) return false;
  std::string text = req.get_header_value("Content-Length");
  std::size_t length = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), length);
  return ec == std::errc::result_out_of_range || (ec == std::errc() && length > max);
}

// POST /v1/batch: records stream out while the body streams in (chunked response).
void serve_batch(const server::Api& api, const httplib::Request& req, httplib::Response& res,
                 const httplib::ContentReader& reader) {
  server::Request request = to_api(req);
  server::Response checked =
      tl_overflow ? answer(kBusy, request_language(req)) : api.batch_check(request);
  if (checked.status != 0) {
    reader([](const char*, std::size_t) { return true; });  // keeps the connection in step
    send(checked, res);
    return;
  }
  std::size_t max_body = api.config().max_body;
  Lang lang = lang_of(checked.body)->lang;  // batch_check's body: the id of a known language
  auto stream = std::make_shared<server::BatchStream>(api.rules(), lang, max_body);
  res.set_chunked_content_provider(
      "application/x-ndjson; charset=utf-8",
      [stream, reader, lang, max_body](std::size_t, httplib::DataSink& sink) {
        bool written = true;  // every write reached the client so far
        auto put = [&sink, &written](const std::string& out) {
          tl_streamed += out.size();
          written = written && (out.empty() || sink.write(out.data(), out.size()));
          return written;
        };
        // httplib does not count a body read through a ContentReader: counted here, so the
        // limit holds for a chunked body too.
        std::size_t seen = 0;
        bool over = false;
        bool read = false;
        try {
          read = reader([&](const char* data, std::size_t size) {
            seen += size;
            if (seen > max_body) {
              over = true;
              return false;
            }
            return put(stream->feed(std::string_view(data, size)));
          });
        } catch (const std::exception& e) {  // out of memory scoring a line: this request only
          std::cerr << "subsidy serve: /v1/batch: " << e.what() << "\n";
          if (written) put(nlohmann::json::parse(answer(kUnfinished, lang).body).dump() + "\n");
          return false;
        }
        if (read) {
          put(stream->finish());
        } else if (over) {
          // The headers are sent: the limit is told as a last line, an error object.
          put(nlohmann::json::parse(answer(kBodyTooLarge, lang).body).dump() + "\n");
        } else {
          // The body broke off (a timeout, a reset, a malformed chunk): said in a last line, and
          // the response is left unterminated, so that no client takes it for the whole input.
          if (written) put(nlohmann::json::parse(answer(kCutOff, lang).body).dump() + "\n");
          return false;
        }
        sink.done();
        return true;
      });
}

void install_handlers(httplib::Server& svr, const server::Api& api) {
  std::size_t max_body = api.config().max_body;
  svr.set_pre_routing_handler(
      [max_body, &api](const httplib::Request& req, httplib::Response& res) {
        tl_start = std::chrono::steady_clock::now();
        // Methods no route is registered for (TRACE, CONNECT…): the API's 405 with Allow, or 404,
        // rather than httplib's 400.
        static constexpr std::string_view kRouted[] = {"GET",   "HEAD",   "POST",   "PUT",
                                                       "PATCH", "DELETE", "OPTIONS"};
        if (std::find(std::begin(kRouted), std::end(kRouted), req.method) == std::end(kRouted)) {
          send(api.handle(to_api(req)), res);
          return httplib::Server::HandlerResponse::Handled;
        }
        // Beyond threads and queue: 503 at once, before any body is read, so that the one overflow
        // thread (or the accepting thread) is never held up by a client's slow body.
        if (tl_overflow) {
          send(answer(kBusy, request_language(req)), res);
          res.set_header("Connection", "close");
          return httplib::Server::HandlerResponse::Handled;
        }
        // A declared length over the limit is refused at once: httplib would read the whole body
        // (discarding it) before answering.
        if (declared_over(req, max_body)) {
          send(answer(kBodyTooLarge, request_language(req)), res);
          res.set_header("Connection", "close");
          return httplib::Server::HandlerResponse::Handled;
        }
        if (std::optional<server::Response> refused = unbounded_body(req)) {
          send(*refused, res);
          res.set_header("Connection", "close");
          return httplib::Server::HandlerResponse::Handled;
        }
        return httplib::Server::HandlerResponse::Unhandled;
      });
  auto handle = [&api](const httplib::Request& req, httplib::Response& res) {
    server::Request request = to_api(req);
    if (tl_overflow) {
      send(answer(kBusy, request_language(req)), res);
      return;
    }
    send(api.handle(request), res);
  };
  svr.Post("/v1/batch",
           [&api](const httplib::Request& req, httplib::Response& res,
                  const httplib::ContentReader& reader) { serve_batch(api, req, res, reader); });
  const std::string any = ".*";
  svr.Get(any, handle).Post(any, handle).Put(any, handle).Patch(any, handle);
  svr.Delete(any, handle).Options(any, handle);
  // httplib's own refusals (a malformed request, 413 while reading, a URI too long): the API's
  // error body. Called for every status >= 400, so a body the API wrote is kept.
  svr.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    Message m = res.status == 413   ? msg("request body over the limit", "请求正文超过上限")
                : res.status == 414 ? msg("request URI too long", "请求 URI 过长")
                                    : msg("malformed request", "请求格式错误");
    std::string code = res.status == 413 ? server::kTooLarge : server::kBadRequest;
    send(server::error_response(res.status, code, m, request_language(req)), res);
  });
  svr.set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr) {
        send(answer(kUnfinished, request_language(req)), res);
      });
  svr.set_logger(access_log);
}

// Waits for SIGTERM or SIGINT (blocked in every thread, so only this one takes them) or for the
// server to stop on its own; then stops it, which drains the requests in flight.
void wait_for_signal(httplib::Server& svr, const std::atomic<bool>& stopped) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  timespec tick{0, 200'000'000};
  while (!stopped) {
    if (sigtimedwait(&set, nullptr, &tick) > 0) break;
  }
  // stop() does nothing until the listener runs, and a signal may come before its thread has
  // started: repeated until the listener has returned.
  while (!stopped) {
    svr.stop();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

int run_serve(const ServeOptions& options) {
  std::shared_ptr<const RuleSet> rule_set = load_rules(options.rules_dir);
  const RuleSet& rules = *rule_set;
  server::ApiConfig config;
  config.program_version = std::string(program_version());
  config.build = fmt::format("{} {}", SUBSIDY_BUILD_COMPILER, SUBSIDY_BUILD_TYPE);
  config.max_body = options.max_body;
  config.stamp = [&rules] { return report_stamp(rules); };
  report_stamp(rules);  // a bad SUBSIDY_NOW is refused now (exit 2), not per request
  const server::Api api(rules, std::move(config));

  // Blocked before any thread starts, so every thread inherits the mask and the signals wait
  // for wait_for_signal. A peer gone mid-write is an error of that write, not a signal.
  std::signal(SIGPIPE, SIG_IGN);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);

  Server svr(options.timeout);
  svr.new_task_queue = [&options] { return new BoundedPool(options.threads, options.queue); };
  svr.set_payload_max_length(options.max_body);
  svr.set_read_timeout(options.timeout, 0);
  svr.set_write_timeout(options.timeout, 0);
  svr.set_keep_alive_timeout(2);
  svr.set_keep_alive_max_count(options.keep_alive_requests);
  install_handlers(svr, api);
  int port = options.port == 0 ? svr.bind_to_any_port(options.host)
                               : (svr.bind_to_port(options.host, options.port) ? options.port : -1);
  if (port < 0 || !svr.widen_backlog()) {
    throw Fatal(kUsage,
                msg("cannot listen on {}:{} (in use, or not an address of this machine)",
                    "无法在 {}:{} 上监听（已被占用，或不是本机地址）", options.host, options.port));
  }
  std::cout << tr(options.lang, "listening on ", "正在监听 ") << "http://"
            << (options.host.find(':') != std::string::npos ? "[" + options.host + "]"
                                                            : options.host)
            << ":" << port << "/" << std::endl;
  std::atomic<bool> stopped{false};
  std::thread listener([&] {
    svr.listen_after_bind();
    stopped = true;
  });
  wait_for_signal(svr, stopped);
  listener.join();
  std::cerr << tr(options.lang, "subsidy serve: stopped\n", "subsidy serve：已停止\n");
  return kOk;
}

}  // namespace

Run setup_serve(CLI::App* cmd, Lang lang) {
  auto options = std::make_shared<ServeOptions>();
  cmd->description(tr(lang, "Serve the HTTP API (docs/api.md) and the web page at /",
                      "提供 HTTP API（见 docs/api.md）和位于 / 的网页"));
  cmd->add_option("--host", options->host,
                  tr(lang, "Address to listen on (0.0.0.0 exposes the server to the network)",
                     "监听地址（0.0.0.0 会向网络开放）"))
      ->capture_default_str();
  cmd->add_option("--port", options->port,
                  tr(lang, "Port (0: any free port, printed at start)",
                     "端口（0：任一空闲端口，启动时输出）"))
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  add_rules_option(cmd, options->rules_dir, lang);
  cmd->add_option("--threads", options->threads,
                  tr(lang, "Connections served at once", "同时服务的连接数"))
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  cmd->add_option(
         "--queue", options->queue,
         tr(lang, "Connections that may wait; beyond them: 503", "可等待的连接数；超出时返回 503"))
      ->check(CLI::Range(0, 65536))
      ->capture_default_str();
  cmd->add_option("--max-body", options->max_body,
                  tr(lang, "Largest request body in bytes; beyond it: 413",
                     "请求正文的最大字节数；超出时返回 413"))
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 30))
      ->capture_default_str();
  cmd->add_option("--timeout", options->timeout,
                  tr(lang, "Seconds a read or a write may wait", "一次读或写可等待的秒数"))
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  cmd->add_option("--keep-alive-requests", options->keep_alive_requests,
                  tr(lang, "Requests answered on one connection before it is closed",
                     "一个连接上应答多少个请求后关闭该连接"))
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000000}))
      ->capture_default_str();
  add_lang_option(cmd, options->lang, lang);
  return [options] { return run_serve(*options); };
}

}  // namespace subsidy::cli
