#include "tests/integration/raw_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>

namespace tributary_it {

using Clock = std::chrono::steady_clock;

RawSocket::RawSocket(int port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd_ >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
}

RawSocket::~RawSocket() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawSocket::Send(const std::string& bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

std::string RawSocket::ReadUntilClosed(std::chrono::milliseconds timeout, bool* closed) {
  std::string out;
  *closed = false;
  const auto deadline = Clock::now() + timeout;
  char buf[65536];
  while (Clock::now() < deadline) {
    pollfd p{fd_, POLLIN, 0};
    int left = static_cast<int>(
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count());
    if (::poll(&p, 1, std::max(left, 1)) <= 0) continue;
    ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
    if (n <= 0) {
      *closed = true;
      break;
    }
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

std::vector<RawSocket::Message> RawSocket::ReadUntilReady(int count,
                                                          std::chrono::milliseconds timeout) {
  std::vector<Message> messages;
  const auto deadline = Clock::now() + timeout;
  char buf[65536];
  int ready = 0;
  while (ready < count) {
    // Split off every whole message buffered.
    while (pending_.size() >= 5) {
      const uint32_t length = (static_cast<uint32_t>(static_cast<unsigned char>(pending_[1])) << 24) |
                              (static_cast<uint32_t>(static_cast<unsigned char>(pending_[2])) << 16) |
                              (static_cast<uint32_t>(static_cast<unsigned char>(pending_[3])) << 8) |
                              static_cast<uint32_t>(static_cast<unsigned char>(pending_[4]));
      if (pending_.size() < 1 + length) break;
      messages.push_back({pending_[0], pending_.substr(5, length - 4)});
      pending_.erase(0, 1 + length);
      if (messages.back().type == 'Z' && ++ready == count) return messages;
    }
    REQUIRE(Clock::now() < deadline);
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
    REQUIRE(n > 0);  // the server must not close the connection
    pending_.append(buf, static_cast<size_t>(n));
  }
  return messages;
}

std::string Int16(uint16_t v) {
  return std::string{static_cast<char>(v >> 8), static_cast<char>(v & 0xff)};
}

std::string Int32(uint32_t v) {
  std::string s(4, '\0');
  for (int i = 0; i < 4; ++i) s[i] = static_cast<char>(v >> (24 - 8 * i));
  return s;
}

namespace {

std::string Message(char type, const std::string& body) {
  return std::string(1, type) + Int32(static_cast<uint32_t>(body.size() + 4)) + body;
}

std::string CString(const std::string& s) { return s + std::string(1, '\0'); }

}  // namespace

std::string Startup() {
  std::string body = Int32(196608) + std::string("user\0tributary\0database\0tributary\0\0", 35);
  return Int32(static_cast<uint32_t>(body.size() + 4)) + body;
}

std::string Query(const std::string& sql) { return Message('Q', CString(sql)); }

std::string Parse(const std::string& name, const std::string& sql,
                  const std::vector<uint32_t>& types) {
  std::string body = CString(name) + CString(sql) + Int16(static_cast<uint16_t>(types.size()));
  for (uint32_t t : types) body += Int32(t);
  return Message('P', body);
}

std::string Bind(const std::string& portal, const std::string& statement,
                 const std::vector<std::string>& parameters,
                 const std::vector<int16_t>& result_formats) {
  std::string body = CString(portal) + CString(statement) + Int16(0) +
                     Int16(static_cast<uint16_t>(parameters.size()));
  for (const std::string& p : parameters) body += Int32(static_cast<uint32_t>(p.size())) + p;
  body += Int16(static_cast<uint16_t>(result_formats.size()));
  for (int16_t f : result_formats) body += Int16(static_cast<uint16_t>(f));
  return Message('B', body);
}

std::string Describe(char target, const std::string& name) {
  return Message('D', std::string(1, target) + CString(name));
}

std::string Execute(const std::string& portal, int32_t max_rows) {
  return Message('E', CString(portal) + Int32(static_cast<uint32_t>(max_rows)));
}

std::string Close(char target, const std::string& name) {
  return Message('C', std::string(1, target) + CString(name));
}

std::string Sync() { return Message('S', ""); }
std::string Flush() { return Message('H', ""); }

std::string Types(const std::vector<RawSocket::Message>& messages) {
  std::string types;
  for (const RawSocket::Message& m : messages) types += m.type;
  return types;
}

std::string ErrorCode(const RawSocket::Message& error) {
  // Fields: a type byte and a NUL-terminated value each, ended by a NUL.
  size_t at = 0;
  while (at < error.body.size() && error.body[at] != '\0') {
    const char field = error.body[at];
    const size_t end = error.body.find('\0', at + 1);
    if (field == 'C') return error.body.substr(at + 1, end - at - 1);
    at = end + 1;
  }
  return "";
}

}  // namespace tributary_it
