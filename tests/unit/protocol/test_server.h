// A PgServer on 127.0.0.1 (port chosen by the system) over a FakeBackend, with its
// io_context run by two background threads. The destructor stops it and joins them.
#pragma once

#include <utility>  // before Asio: Boost 1.74 uses std::exchange without including it

#include <string>
#include <thread>
#include <vector>

#include <boost/asio.hpp>

#include "protocol/pg_server.h"
#include "tests/unit/protocol/fake_backend.h"

namespace protocol::testing {

class TestServer {
 public:
  TestServer()
      : server_(io_, backend_,
                boost::asio::ip::tcp::endpoint(boost::asio::ip::address_v4::loopback(), 0)) {
    server_.Start();
    for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { io_.run(); });
  }
  ~TestServer() {
    server_.Stop();
    Join();
  }

  // Waits for io.run() to return on every thread: only after Stop().
  void Join() {
    for (std::thread& thread : threads_) {
      if (thread.joinable()) thread.join();
    }
  }

  uint16_t port() const { return server_.local_endpoint().port(); }
  std::string ConnInfo(const std::string& user = "tributary") const {
    return "host=127.0.0.1 port=" + std::to_string(port()) + " user=" + user +
           " dbname=tributary sslmode=prefer connect_timeout=10";
  }
  PgServer& server() { return server_; }
  boost::asio::io_context& io() { return io_; }

 private:
  boost::asio::io_context io_;
  FakeBackend backend_;
  PgServer server_;
  std::vector<std::thread> threads_;
};

}  // namespace protocol::testing
