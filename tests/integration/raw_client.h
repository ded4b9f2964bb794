// A PostgreSQL v3 client at the byte level, for tests that need what libpq does not expose
// (Execute with a row limit, hand-built pipelines, malformed messages): a blocking socket,
// frontend message builders, and a reader that splits the backend's replies into messages.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace tributary_it {

// A blocking TCP socket to 127.0.0.1:port, closed on destruction.
class RawSocket {
 public:
  explicit RawSocket(int port);
  ~RawSocket();
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;

  // Sends all of `bytes`; false when the server closed the connection first.
  bool Send(const std::string& bytes);
  // Reads until the server closes the connection or `timeout` passes; returns what came and
  // whether it was closed.
  std::string ReadUntilClosed(std::chrono::milliseconds timeout, bool* closed);

  // One backend message: its type byte and body.
  struct Message {
    char type = 0;
    std::string body;
  };
  // Reads messages until `count` ReadyForQuery ('Z') have arrived, or `timeout` passes
  // (then fails the test). Returns every message read, in order.
  std::vector<Message> ReadUntilReady(int count = 1,
                                      std::chrono::milliseconds timeout = std::chrono::seconds(10));

 private:
  int fd_ = -1;
  std::string pending_;  // bytes read past the last whole message
};

std::string Int16(uint16_t v);
std::string Int32(uint32_t v);
// StartupMessage for user and database "tributary".
std::string Startup();
std::string Query(const std::string& sql);
std::string Parse(const std::string& name, const std::string& sql,
                  const std::vector<uint32_t>& types = {});
// Bind with text parameters (nullptr-free: use BindRaw for NULLs and binary).
std::string Bind(const std::string& portal, const std::string& statement,
                 const std::vector<std::string>& parameters,
                 const std::vector<int16_t>& result_formats = {});
std::string Describe(char target, const std::string& name);
std::string Execute(const std::string& portal, int32_t max_rows = 0);
std::string Close(char target, const std::string& name);
std::string Sync();
std::string Flush();

// The type bytes of `messages` as a string ("12TDDCZ"), for compact assertions.
std::string Types(const std::vector<RawSocket::Message>& messages);
// The SQLSTATE (C field) of an ErrorResponse body.
std::string ErrorCode(const RawSocket::Message& error);

}  // namespace tributary_it
