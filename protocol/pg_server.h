// PgServer accepts PostgreSQL wire-protocol clients on one TCP endpoint and serves each as a
// Connection coroutine against a Backend. Construction binds and listens (throwing
// std::system_error on failure); Start() begins accepting; Stop() closes everything.
#pragma once

#include <utility>  // before Asio: Boost 1.74 uses std::exchange without including it

#include <memory>
#include <vector>

#include <boost/asio.hpp>

#include "protocol/backend.h"
#include "protocol/security.h"

namespace protocol {

class PgServer {
 public:
  // `io` and `backend` must outlive every connection, i.e. until io.run() returns.
  // `security` says how clients authenticate and whether TLS is offered. Connections run
  // on `io`, or, when `connection_contexts` is not empty, are dealt out over those in turn
  // (one io_context per thread: a connection never wakes another thread to do its I/O);
  // they too must outlive every connection.
  PgServer(boost::asio::io_context& io, Backend& backend,
           const boost::asio::ip::tcp::endpoint& listen, SecurityOptions security = {},
           std::vector<boost::asio::io_context*> connection_contexts = {});
  ~PgServer();  // calls Stop()
  PgServer(const PgServer&) = delete;
  PgServer& operator=(const PgServer&) = delete;

  // The bound endpoint; with port 0 it carries the port the system chose.
  boost::asio::ip::tcp::endpoint local_endpoint() const { return local_endpoint_; }

  // Spawns the accept loop on the io_context. Call once.
  void Start();

  // Closes the acceptor and every connection. Idempotent and thread-safe: it may be called
  // from any thread, including a signal_set handler on the same io_context. io.run() returns
  // once every connection is gone (a query in flight first waits for the engine's answer).
  void Stop();

 private:
  struct Shared;  // state that accepted connections keep alive after ~PgServer
  static boost::asio::awaitable<void> AcceptLoop(std::shared_ptr<Shared> shared);
  std::shared_ptr<Shared> shared_;
  boost::asio::ip::tcp::endpoint local_endpoint_;
};

}  // namespace protocol
