// The tributary binary: `tributary --listen HOST:PORT --data-dir DIR`.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <boost/asio.hpp>
#include <boost/program_options.hpp>
#include <utility>

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <memory>
#include <thread>
#include <vector>

#include "protocol/pg_server.h"
#include "server/engine.h"
#include "server/malloc_config.h"
#include "server/mock_kafka_command.h"
#include "server/query_executor.h"
#include "server/sql_session.h"

namespace {

namespace po = boost::program_options;

struct Options {
  std::string listen = "127.0.0.1:5488";
  std::string data_dir = "./tributary-data";
  std::string log_level = "info";
  std::string auth;  // empty: trust on loopback, scram-sha-256 elsewhere
  std::string tls_cert;
  std::string tls_key;
  std::string superuser = "tributary";
  int io_threads = 0;  // 0: one per core
  int64_t query_chunk_rows = 16384;
};

boost::asio::ip::tcp::endpoint ParseListen(const std::string& listen) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos) throw std::invalid_argument("--listen must be HOST:PORT");
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  int port = std::stoi(listen.substr(colon + 1));
  if (port < 0 || port > 65535) throw std::invalid_argument("port out of range in --listen");
  return {boost::asio::ip::make_address(host), static_cast<unsigned short>(port)};
}

// Each session holds a socket, and RocksDB its files: take all the descriptors the hard
// limit allows (the soft limit is often 1024), as PostgreSQL and nginx do.
void RaiseFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max) return;
  const rlim_t before = limit.rlim_cur;
  limit.rlim_cur = limit.rlim_max;
  if (setrlimit(RLIMIT_NOFILE, &limit) == 0) {
    spdlog::debug("open file limit raised from {} to {}", before, limit.rlim_cur);
  }
}

int Run(const Options& options) {
  auto start = std::chrono::steady_clock::now();
  spdlog::set_default_logger(spdlog::stderr_color_mt("tributary"));
  spdlog::set_level(spdlog::level::from_str(options.log_level));
  RaiseFileLimit();
  boost::asio::ip::tcp::endpoint endpoint = ParseListen(options.listen);

  protocol::SecurityOptions security;
  if (!options.auth.empty()) security.auth = protocol::ParseAuthMethod(options.auth);
  if (options.tls_cert.empty() != options.tls_key.empty()) {
    throw std::invalid_argument("--tls-cert and --tls-key must be given together");
  }
  if (!options.tls_cert.empty()) protocol::LoadTls(options.tls_cert, options.tls_key, &security);
  if (options.query_chunk_rows < 1)
    throw std::invalid_argument("--query-chunk-rows must be 1 or more");
  server::SetQueryChunkRows(static_cast<size_t>(options.query_chunk_rows));

  std::unique_ptr<server::Engine> engine =
      server::Engine::Open(options.data_dir, options.superuser);
  engine->Start();
  {
    boost::asio::thread_pool pool(std::max(2u, std::thread::hardware_concurrency()));
    server::SqlBackend backend(*engine, pool);
    boost::asio::io_context io;
    // One io_context per I/O thread, connections dealt out over them: each connection's
    // reads, writes and inline key lookups stay on one thread, and with several threads
    // those lookups use every core.
    const unsigned io_threads = options.io_threads > 0
                                    ? static_cast<unsigned>(options.io_threads)
                                    : std::max(1u, std::thread::hardware_concurrency());
    std::vector<std::unique_ptr<boost::asio::io_context>> contexts;
    std::vector<boost::asio::io_context*> connection_contexts;
    using WorkGuard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
    std::vector<WorkGuard> keep_running;
    for (unsigned i = 0; i < io_threads; ++i) {
      contexts.push_back(std::make_unique<boost::asio::io_context>(1));
      connection_contexts.push_back(contexts.back().get());
      keep_running.push_back(boost::asio::make_work_guard(*contexts.back()));
    }
    std::vector<std::thread> threads;
    for (auto& context : contexts) threads.emplace_back([&context] { context->run(); });
    protocol::PgServer pg(io, backend, endpoint, security, connection_contexts);
    pg.Start();
    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code& ec, int signal) {
      if (ec) return;
      spdlog::info("received signal {}, shutting down", signal);
      pg.Stop();
      io.stop();
    });
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    spdlog::info("tributary listening on {}:{} (data in {}, ready in {} ms)",
                 pg.local_endpoint().address().to_string(), pg.local_endpoint().port(),
                 options.data_dir, elapsed.count());
    io.run();
    for (auto& context : contexts) context->stop();
    for (std::thread& t : threads) t.join();
    pool.join();
    // The writer may still be answering a transaction (posting to a session's strand, or
    // destroying the handler that holds its executor) after the client has its reply: it
    // must be done before the io_contexts go, at the end of this scope.
    engine->Stop();
  }
  engine.reset();
  spdlog::info("shut down cleanly");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  server::ConfigureMalloc();
  // Subcommands come first: `tributary mock-kafka ...` runs a Kafka mock cluster.
  if (argc > 1 && std::string(argv[1]) == "mock-kafka") {
    return server::RunMockKafka(argc - 1, argv + 1);
  }
  Options options;
  po::options_description desc("Usage: tributary [--listen HOST:PORT] [--data-dir DIR]\nOptions");
  desc.add_options()("help,h", "print this help and exit")(
      "listen", po::value(&options.listen)->default_value(options.listen),
      "address and port to accept PostgreSQL clients on")(
      "data-dir", po::value(&options.data_dir)->default_value(options.data_dir),
      "directory holding the database (created if missing)")(
      "log-level", po::value(&options.log_level)->default_value(options.log_level),
      "trace, debug, info, warn, error or off")(
      "auth", po::value(&options.auth),
      "trust, password, md5 or scram-sha-256 (default: trust for loopback clients, "
      "scram-sha-256 for others)")(
      "tls-cert", po::value(&options.tls_cert), "PEM server certificate: enables TLS")(
      "tls-key", po::value(&options.tls_key), "PEM private key of --tls-cert")(
      "superuser", po::value(&options.superuser)->default_value(options.superuser),
      "the bootstrap superuser role, created if missing")(
      "io-threads", po::value(&options.io_threads)->default_value(0),
      "threads running the wire protocol (0: one per core)")(
      "query-chunk-rows",
      po::value(&options.query_chunk_rows)->default_value(options.query_chunk_rows),
      "rows a query reads from a large table or view per step: fewer hold less memory");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, desc), vm);
    po::notify(vm);
  } catch (const std::exception& e) {
    std::cerr << "tributary: " << e.what() << "\n" << desc << "\n";
    return 2;
  }
  if (vm.count("help")) {
    std::cout
        << "Tributary: an incremental view-maintenance database server that speaks the\n"
           "PostgreSQL wire protocol.\n\n"
        << desc
        << "\nSubcommands:\n  tributary mock-kafka [--brokers N] [--topic NAME:PARTITIONS]...\n"
           "      runs librdkafka's mock Kafka cluster; prints bootstrap.servers=HOST:PORT\n";
    return 0;
  }
  try {
    return Run(options);
  } catch (const ivm::Error& e) {
    std::cerr << "tributary: " << e.message() << "\n";
    if (!e.hint().empty()) std::cerr << "hint: " << e.hint() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "tributary: " << e.what() << "\n";
    return 1;
  }
}
