#include "protocol/pg_server.h"

#include <chrono>
#include <cstdint>
#include <mutex>
#include <random>
#include <string>
#include <system_error>
#include <unordered_map>
#include <vector>

#include "protocol/connection.h"

namespace protocol {

namespace asio = boost::asio;
using asio::ip::tcp;

struct PgServer::Shared {
  Shared(asio::io_context& io_context, Backend& engine, SecurityOptions options,
         std::vector<asio::io_context*> contexts)
      : io(io_context),
        connection_contexts(std::move(contexts)),
        backend(engine),
        security(std::make_shared<const SecurityOptions>(std::move(options))),
        acceptor(asio::make_strand(io_context)) {}

  asio::io_context& io;
  std::vector<asio::io_context*> connection_contexts;  // empty: connections run on `io`
  size_t next_context = 0;                              // used only by the accept loop
  Backend& backend;
  std::shared_ptr<const SecurityOptions> security;
  tcp::acceptor acceptor;  // used only on its own strand once Start() ran

  std::mutex mu;
  bool stopped = false;                                                 // GUARDED_BY(mu)
  uint64_t next_connection_id = 0;                                      // GUARDED_BY(mu)
  int32_t next_process_id = 1;                                          // GUARDED_BY(mu)
  std::unordered_map<uint64_t, std::weak_ptr<Connection>> connections;  // GUARDED_BY(mu)
};

namespace {

void ThrowIf(const boost::system::error_code& ec, const std::string& what) {
  if (ec) throw std::system_error(ec.value(), std::system_category(), what);
}

}  // namespace

PgServer::PgServer(asio::io_context& io, Backend& backend, const tcp::endpoint& listen,
                   SecurityOptions security, std::vector<asio::io_context*> connection_contexts)
    : shared_(std::make_shared<Shared>(io, backend, std::move(security),
                                       std::move(connection_contexts))) {
  const std::string where = listen.address().to_string() + ":" + std::to_string(listen.port());
  tcp::acceptor& acceptor = shared_->acceptor;
  boost::system::error_code ec;
  acceptor.open(listen.protocol(), ec);
  ThrowIf(ec, "cannot open a socket for " + where);
  acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  ThrowIf(ec, "cannot set SO_REUSEADDR on " + where);
  acceptor.bind(listen, ec);
  ThrowIf(ec, "cannot bind " + where);
  acceptor.listen(asio::socket_base::max_listen_connections, ec);
  ThrowIf(ec, "cannot listen on " + where);
  local_endpoint_ = acceptor.local_endpoint(ec);
  ThrowIf(ec, "cannot read the local endpoint of " + where);
}

PgServer::~PgServer() { Stop(); }

void PgServer::Start() {
  asio::co_spawn(shared_->acceptor.get_executor(), AcceptLoop(shared_), asio::detached);
}

void PgServer::Stop() {
  std::vector<std::shared_ptr<Connection>> live;
  {
    std::lock_guard<std::mutex> lock(shared_->mu);
    if (shared_->stopped) return;
    shared_->stopped = true;
    for (auto& [id, weak] : shared_->connections) {
      if (auto connection = weak.lock()) live.push_back(std::move(connection));
    }
  }
  asio::dispatch(shared_->acceptor.get_executor(), [shared = shared_] {
    boost::system::error_code ignored;
    shared->acceptor.close(ignored);
  });
  for (auto& connection : live) connection->Close();
}

asio::awaitable<void> PgServer::AcceptLoop(std::shared_ptr<Shared> shared) {
  std::mt19937 random_secret{std::random_device{}()};
  asio::steady_timer backoff(shared->acceptor.get_executor());
  while (true) {
    asio::io_context& context =
        shared->connection_contexts.empty()
            ? shared->io
            : *shared->connection_contexts[shared->next_context++ %
                                           shared->connection_contexts.size()];
    tcp::socket socket(asio::make_strand(context));
    boost::system::error_code ec;
    co_await shared->acceptor.async_accept(socket, asio::redirect_error(asio::use_awaitable, ec));
    if (ec == asio::error::operation_aborted || !shared->acceptor.is_open()) co_return;
    if (ec) {
      // Out of descriptors or a connection reset before accept: pause rather than spin.
      backoff.expires_after(std::chrono::milliseconds(50));
      co_await backoff.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);

    std::shared_ptr<Connection> connection;
    {
      std::lock_guard<std::mutex> lock(shared->mu);
      if (shared->stopped) co_return;  // the socket closes as it goes out of scope
      const uint64_t id = shared->next_connection_id++;
      const int32_t process_id = shared->next_process_id++;
      if (shared->next_process_id <= 0) shared->next_process_id = 1;
      auto on_finished = [weak_shared = std::weak_ptr<Shared>(shared), id] {
        if (auto s = weak_shared.lock()) {
          std::lock_guard<std::mutex> lock(s->mu);
          s->connections.erase(id);
        }
      };
      connection = std::make_shared<Connection>(std::move(socket), shared->backend, process_id,
                                                static_cast<int32_t>(random_secret()),
                                                std::move(on_finished), shared->security);
      connection->set_cancel_handler([weak_shared = std::weak_ptr<Shared>(shared)](
                                         int32_t target, int32_t secret) {
        auto s = weak_shared.lock();
        if (!s) return;
        std::vector<std::shared_ptr<Connection>> matches;
        {
          std::lock_guard<std::mutex> lock(s->mu);
          for (auto& [other_id, weak] : s->connections) {
            auto other = weak.lock();
            if (other && other->process_id() == target) matches.push_back(std::move(other));
          }
        }
        for (auto& other : matches) other->Cancel(secret);
      });
      shared->connections.emplace(id, connection);
    }
    connection->Start();
  }
}

}  // namespace protocol
