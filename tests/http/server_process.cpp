#include "http/server_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <random>
#include <stdexcept>

#ifndef BESPOKE_BINARY
#error "BESPOKE_BINARY must name the program under test"
#endif

namespace bespoke::testing {
namespace {

using Clock = std::chrono::steady_clock;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

pid_t spawn(const std::vector<std::string>& args, int out_fd) {
  std::vector<std::string> argv_store{BESPOKE_BINARY};
  argv_store.insert(argv_store.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_store) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    dup2(out_fd, STDERR_FILENO);
    dup2(out_fd, STDOUT_FILENO);
    const int devnull = open("/dev/null", O_RDONLY);
    dup2(devnull, STDIN_FILENO);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

int wait_for(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  int status = 0;
  while (Clock::now() < deadline) {
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return -1;
}

int connect_to(std::uint16_t port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    throw std::runtime_error("cannot connect to port " + std::to_string(port));
  }
  return fd;
}

// Reads into buffer until pred(buffer) holds, the peer closes, or the deadline passes.
template <class Pred>
bool read_until(int fd, std::string& buffer, Clock::time_point deadline, Pred pred) {
  char chunk[16384];
  while (!pred(buffer)) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left)) <= 0) continue;
    const ssize_t n = recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return pred(buffer);
    buffer.append(chunk, static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

CommandResult run_bespoke(const std::vector<std::string>& args, std::chrono::seconds timeout) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  const pid_t pid = spawn(args, fds[1]);
  close(fds[1]);
  CommandResult result;
  std::thread reader([&] {
    char buf[4096];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof buf)) > 0) result.output.append(buf, static_cast<std::size_t>(n));
  });
  result.exit_code = wait_for(pid, timeout);
  if (result.exit_code == -1) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
  }
  reader.join();
  close(fds[0]);
  return result;
}

ServerProcess::ServerProcess(const std::string& db, const std::vector<std::string>& extra_flags) {
  std::vector<std::string> args{"serve", "--listen", "127.0.0.1:0", "--db", db};
  args.insert(args.end(), extra_flags.begin(), extra_flags.end());
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  pid_ = spawn(args, fds[1]);
  close(fds[1]);
  stderr_fd_ = fds[0];
  reader_ = std::thread([this] {
    char buf[4096];
    ssize_t n;
    while ((n = read(stderr_fd_, buf, sizeof buf)) > 0) {
      std::lock_guard lock(mutex_);
      log_.append(buf, static_cast<std::size_t>(n));
    }
  });
  // The server announces its address in a JSON line: {"msg":"listening","address":"127.0.0.1:PORT",...}
  const auto deadline = Clock::now() + std::chrono::seconds(60);
  while (Clock::now() < deadline) {
    {
      std::lock_guard lock(mutex_);
      const auto at = log_.find("\"msg\":\"listening\"");
      if (at != std::string::npos) {
        const auto line_start = log_.rfind('\n', at) == std::string::npos ? 0 : log_.rfind('\n', at) + 1;
        const auto addr = log_.find("127.0.0.1:", line_start);
        if (addr != std::string::npos) {
          port_ = static_cast<std::uint16_t>(std::stoi(log_.substr(addr + 10)));
          return;
        }
      }
    }
    if (!running()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const std::string output = log();
  stop(SIGKILL);
  throw std::runtime_error("bespoke serve did not start:\n" + output);
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) stop(SIGKILL, std::chrono::seconds(5));
  if (reader_.joinable()) reader_.join();
  if (stderr_fd_ >= 0) close(stderr_fd_);
}

std::string ServerProcess::log() const {
  std::lock_guard lock(mutex_);
  return log_;
}

bool ServerProcess::running() {
  if (pid_ <= 0) return false;
  int status = 0;
  const pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    pid_ = -1;
    return false;
  }
  return true;
}

int ServerProcess::stop(int signal_number, std::chrono::seconds timeout) {
  if (!running()) return exit_status_;
  kill(pid_, signal_number);
  exit_status_ = wait_for(pid_, timeout);
  if (exit_status_ == -1) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  pid_ = -1;
  return exit_status_;
}

std::string Reply::header(const std::string& name) const {
  const auto it = headers.find(lower(name));
  return it == headers.end() ? std::string{} : it->second;
}

Reply http(std::uint16_t port, const std::string& method, const std::string& target,
           const std::vector<std::pair<std::string, std::string>>& headers, const std::string& body) {
  RawConnection c(port);
  std::string request = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  bool has_length = false;
  for (const auto& [k, v] : headers) {
    request += k + ": " + v + "\r\n";
    if (lower(k) == "content-length") has_length = true;
  }
  if (!body.empty() && !has_length) request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  request += "\r\n" + body;
  c.send(request);
  return c.read_reply(std::chrono::milliseconds(30'000));
}

RawConnection::RawConnection(std::uint16_t port) : fd_(connect_to(port)) {}

RawConnection::~RawConnection() {
  if (fd_ >= 0) close(fd_);
}

bool RawConnection::send(const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

Reply RawConnection::read_reply(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  Reply reply;
  if (!read_until(fd_, buffer_, deadline, [](const std::string& b) { return b.find("\r\n\r\n") != std::string::npos; }))
    return reply;
  const auto header_end = buffer_.find("\r\n\r\n");
  const std::string head = buffer_.substr(0, header_end);
  buffer_.erase(0, header_end + 4);
  std::size_t line_end = head.find("\r\n");
  const std::string status_line = head.substr(0, line_end);
  if (status_line.size() >= 12) reply.status = std::stoi(status_line.substr(9, 3));
  while (line_end != std::string::npos && line_end < head.size()) {
    const std::size_t next = head.find("\r\n", line_end + 2);
    const std::string line = head.substr(line_end + 2, next == std::string::npos ? std::string::npos : next - line_end - 2);
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      reply.headers.emplace(lower(line.substr(0, colon)), value);
    }
    line_end = next;
  }
  const std::string length = reply.header("content-length");
  const std::size_t want = length.empty() ? 0 : std::stoul(length);
  read_until(fd_, buffer_, deadline, [want](const std::string& b) { return b.size() >= want; });
  reply.body = buffer_.substr(0, std::min(want, buffer_.size()));
  buffer_.erase(0, reply.body.size());
  return reply;
}

bool RawConnection::closed_within(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  char chunk[4096];
  while (Clock::now() < deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(std::max<long>(1, left))) <= 0) continue;
    const ssize_t n = recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return true;
  }
  return false;
}

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return condition();
}

std::string temp_sqlite_path(const std::string& name) {
  static const std::filesystem::path dir = [] {
    std::random_device rd;
    auto d = std::filesystem::temp_directory_path() / ("bespoke-http-" + std::to_string(rd()));
    std::filesystem::create_directories(d);
    return d;
  }();
  static const struct Cleanup {
    ~Cleanup() {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
  } cleanup;
  return (dir / (name + ".db")).string();
}

}  // namespace bespoke::testing
