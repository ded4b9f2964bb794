// Connection serves one client socket as a coroutine on the socket's executor (a strand):
// startup handshake, then simple and extended queries, Terminate, and the error path for
// unsupported messages.
// Nothing escapes Run(): it ends quietly on Terminate, EOF, an I/O error, a FATAL or Close().
#pragma once

#include <utility>  // before Asio: Boost 1.74 uses std::exchange without including it

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio.hpp>

#include "protocol/backend.h"
#include "protocol/message_buffer.h"
#include "protocol/security.h"

namespace protocol {

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  // `backend` must outlive the connection. `on_finished` runs once, on the connection's
  // executor, after the socket is closed and the Session destroyed.
  // `security` null: trust authentication and no TLS.
  Connection(boost::asio::ip::tcp::socket socket, Backend& backend, int32_t process_id,
             int32_t secret_key, std::function<void()> on_finished,
             std::shared_ptr<const SecurityOptions> security = nullptr);
  ~Connection();

  // Spawns the connection's coroutine; it keeps the Connection alive until it ends.
  void Start();
  // Called with the process id and secret key of every CancelRequest this connection
  // receives (it then closes, as the protocol says). Set before Start().
  void set_cancel_handler(std::function<void(int32_t, int32_t)> handler) {
    on_cancel_ = std::move(handler);
  }
  // Thread-safe. Cancels the running statement if `secret_key` is this connection's.
  void Cancel(int32_t secret_key);
  int32_t process_id() const { return process_id_; }

  // Thread-safe. Sends FATAL 57P01 (after a write in progress ends, waiting at most 1 s),
  // then closes the socket; a query in flight ends when the engine completes it.
  void Close();

 private:
  boost::asio::awaitable<void> Run(std::shared_ptr<Connection> self);
  // Throws ivm::Error for conditions that end the connection with a FATAL ErrorResponse.
  boost::asio::awaitable<void> Serve();
  // Returns false when the client went away or cancelled during startup.
  boost::asio::awaitable<bool> Handshake();
  // Answers SSLRequest: 'S' and a TLS handshake when TLS is configured, else 'N'.
  boost::asio::awaitable<bool> NegotiateTls();
  // Runs the configured password exchange for `user`; throws ivm::Error 28P01 when it
  // fails. Returns false when the client went away instead of answering.
  boost::asio::awaitable<bool> Authenticate(const std::string& user);
  boost::asio::awaitable<bool> AuthenticateScram(const std::string& user,
                                                 const std::string& secret);
  // Reads the client's next PasswordMessage/SASL response ('p') into `body`.
  boost::asio::awaitable<bool> ReadPasswordMessage(std::string* body);
  boost::asio::awaitable<bool> RunQuery(std::string sql);
  // Hands a run of extended-protocol messages to the session and frames its replies.
  boost::asio::awaitable<bool> RunExtended(std::vector<ExtendedMessage> messages);
  // COPY FROM STDIN after its CopyInResponse: hands CopyData to the session in chunks until
  // CopyDone or CopyFail, then frames the outcome.
  boost::asio::awaitable<bool> RunCopyIn();
  // Frames one statement's outcome; `describe` puts a RowDescription before its rows.
  boost::asio::awaitable<bool> WriteResult(const StatementResult& result, bool describe);
  // Frames DataRows, or COPY OUT's CopyData lines, flushing as the output fills.
  boost::asio::awaitable<bool> WriteRows(const std::vector<Cells>& rows);
  boost::asio::awaitable<bool> WriteLines(const std::vector<std::string>& lines);
  // The rest of a result made while it is sent (StatementResult::more_rows), and its end.
  boost::asio::awaitable<bool> WriteMore(const StatementResult& result);
  // Whether the next message is fully buffered and is an extended-protocol one.
  bool NextBufferedIsExtended() const;
  void ArmStartupTimeout();

  // Ensures `count` unread bytes are buffered, flushing pending output before it blocks.
  // Returns false on EOF or a socket error.
  boost::asio::awaitable<bool> Fill(size_t count);
  const char* Unread() const { return in_.data() + in_begin_; }
  void Consume(size_t count);
  // Writes everything in out_ in one socket write. Returns false on a socket error.
  boost::asio::awaitable<bool> Flush();
  void CloseNow(bool notify_client);

  struct TlsStream;  // an ssl::stream over socket_, once SSLRequest was accepted

  boost::asio::ip::tcp::socket socket_;
  std::shared_ptr<const SecurityOptions> security_;
  std::unique_ptr<TlsStream> tls_;
  boost::asio::steady_timer deadline_;  // startup timeout, then Close()'s grace time
  Backend& backend_;
  const int32_t process_id_;
  const int32_t secret_key_;
  std::function<void()> on_finished_;
  std::function<void(int32_t, int32_t)> on_cancel_;
  std::unique_ptr<Session> session_;

  std::vector<char> in_;
  size_t in_begin_ = 0;
  size_t in_end_ = 0;
  MessageBuffer out_;
  bool writing_ = false;
  bool non_blocking_ = false;  // the socket is in non-blocking mode: Flush() writes at once
  bool closed_ = false;
  bool close_after_write_ = false;  // Close() came while a write was in progress
};

}  // namespace protocol
