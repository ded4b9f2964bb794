#include "protocol/connection.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <optional>

#include <openssl/rand.h>

#include <boost/asio/ssl.hpp>

#include "ivm/error.h"
#include "protocol/async_simple_query.h"
#include "protocol/auth/md5_password.h"
#include "protocol/auth/scram.h"
#include "protocol/frontend_message.h"

namespace protocol {
namespace {

namespace asio = boost::asio;

constexpr std::chrono::seconds kStartupTimeout{60};  // PostgreSQL's authentication_timeout
// How long Close() waits for a write in progress before cutting the client off.
constexpr std::chrono::seconds kCloseGraceTime{1};
constexpr size_t kInitialInputBytes = 8192;
constexpr size_t kShrinkInputAboveBytes = size_t{1} << 20;
// A huge result is streamed in chunks of about this size instead of being buffered whole.
constexpr size_t kFlushThresholdBytes = size_t{1} << 20;

// COPY FROM STDIN hands the session its data in chunks of about this size (or less, when
// no more has arrived): parsing keeps pace with the socket and never holds the whole input.
constexpr size_t kCopyChunkBytes = size_t{256} << 10;

// The most extended-protocol messages handed to the session at once (a pipeline of
// thousands of Bind/Execute pairs is answered in runs of this many).
constexpr size_t kMaxExtendedRun = 256;

bool IsExtendedMessage(char type) {
  return type == 'P' || type == 'B' || type == 'D' || type == 'E' || type == 'C' ||
         type == 'S' || type == 'H';
}

ivm::Error PasswordFailed(const std::string& user) {
  return ivm::Error(ivm::sqlstate::kInvalidPassword,
                    "password authentication failed for user \"" + user + "\"");
}

// A PasswordMessage's one C string.
std::string CString(std::string_view body) {
  const size_t nul = body.find('\0');
  if (nul == std::string_view::npos) {
    throw ivm::Error(ivm::sqlstate::kProtocolViolation, "invalid password packet");
  }
  return std::string(body.substr(0, nul));
}

}  // namespace

struct Connection::TlsStream {
  explicit TlsStream(asio::ip::tcp::socket& socket, asio::ssl::context& context)
      : stream(socket, context) {}
  asio::ssl::stream<asio::ip::tcp::socket&> stream;
};

Connection::~Connection() = default;

Connection::Connection(asio::ip::tcp::socket socket, Backend& backend, int32_t process_id,
                       int32_t secret_key, std::function<void()> on_finished,
                       std::shared_ptr<const SecurityOptions> security)
    : socket_(std::move(socket)),
      security_(std::move(security)),
      deadline_(socket_.get_executor()),
      backend_(backend),
      process_id_(process_id),
      secret_key_(secret_key),
      on_finished_(std::move(on_finished)),
      in_(kInitialInputBytes) {}

void Connection::Start() {
  asio::co_spawn(socket_.get_executor(), Run(shared_from_this()), asio::detached);
}

void Connection::Close() {
  asio::post(socket_.get_executor(), [self = shared_from_this()] { self->CloseNow(true); });
}

void Connection::Cancel(int32_t secret_key) {
  asio::post(socket_.get_executor(), [self = shared_from_this(), secret_key] {
    // A wrong key is ignored silently, as PostgreSQL does: it must not reveal anything.
    if (secret_key == self->secret_key_ && self->session_) self->session_->Cancel();
  });
}

void Connection::CloseNow(bool notify_client) {
  if (closed_) return;
  if (notify_client && writing_) {
    // Never write into the middle of a message: Flush() closes when its write ends, or the
    // deadline cuts off a client that stopped reading.
    if (close_after_write_) return;
    close_after_write_ = true;
    deadline_.expires_after(kCloseGraceTime);
    deadline_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
      if (ec) return;
      if (auto self = weak.lock()) self->CloseNow(false);
    });
    return;
  }
  closed_ = true;
  deadline_.cancel();
  boost::system::error_code ec;
  if (notify_client && !writing_ && socket_.is_open() && !tls_) {
    // Best effort, without blocking: the client learns why the connection ended.
    MessageBuffer goodbye;
    goodbye.ErrorResponse(Severity::kFatal,
                          ivm::Error(ivm::sqlstate::kAdminShutdown,
                                     "terminating connection due to administrator command"));
    socket_.non_blocking(true, ec);
    socket_.write_some(asio::buffer(goodbye.data()), ec);
  }
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  socket_.close(ec);
}

asio::awaitable<void> Connection::Run(std::shared_ptr<Connection> self) {
  // `self` lives in the coroutine frame: the Connection outlives its coroutine.
  (void)self;
  std::optional<ivm::Error> fatal;
  // Writes that fit the send buffer then complete without waiting (Flush()).
  boost::system::error_code ec;
  socket_.non_blocking(true, ec);
  non_blocking_ = !ec;
  try {
    co_await Serve();
  } catch (const ivm::Error& error) {
    fatal = error;
  } catch (const std::exception& error) {
    fatal.emplace(ivm::sqlstate::kInternalError, error.what());
  } catch (...) {
    fatal.emplace(ivm::sqlstate::kInternalError, "unknown internal error");
  }
  try {
    // Answers already buffered still go out: a client may pipeline queries before Terminate.
    if (fatal && !closed_) out_.ErrorResponse(Severity::kFatal, *fatal);
    co_await Flush();
  } catch (...) {
    // The connection is going away anyway.
  }
  CloseNow(false);
  session_.reset();
  if (on_finished_) on_finished_();
}

void Connection::ArmStartupTimeout() {
  deadline_.expires_after(kStartupTimeout);
  deadline_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
    if (ec) return;
    auto self = weak.lock();
    if (self && !self->session_) self->CloseNow(false);  // still in startup
  });
}

asio::awaitable<bool> Connection::Handshake() {
  ArmStartupTimeout();
  // A client may ask for GSS encryption, then SSL, then start: allow a few packets.
  std::optional<StartupPacket> startup;
  for (int attempt = 0; attempt < 3 && !startup; ++attempt) {
    if (!co_await Fill(4)) co_return false;
    const size_t body_length = DecodeStartupLength(Unread());
    if (!co_await Fill(4 + body_length)) co_return false;
    StartupPacket packet = DecodeStartupPacket(std::string_view(Unread() + 4, body_length));
    Consume(4 + body_length);
    switch (packet.kind) {
      case StartupPacket::Kind::kSslRequest:
        if (!co_await NegotiateTls()) co_return false;
        break;
      case StartupPacket::Kind::kGssEncRequest:
        out_.RawByte('N');  // no encryption: the client then sends a plain StartupMessage
        if (!co_await Flush()) co_return false;
        break;
      case StartupPacket::Kind::kCancelRequest:
        // Nothing is answered: the client just closes this connection.
        if (on_cancel_) on_cancel_(packet.process_id, packet.secret_key);
        co_return false;
      case StartupPacket::Kind::kUnsupportedVersion:
        throw ivm::Error(ivm::sqlstate::kFeatureNotSupported,
                         "unsupported frontend protocol " +
                             std::to_string(static_cast<uint32_t>(packet.version) >> 16) + "." +
                             std::to_string(packet.version & 0xffff) +
                             ": server supports 3.0 to 3.0");
      case StartupPacket::Kind::kStartup:
        startup = std::move(packet);
        break;
    }
  }
  if (!startup) {
    throw ivm::Error(ivm::sqlstate::kProtocolViolation, "too many encryption requests");
  }

  if (!co_await Authenticate(startup->info.user)) co_return false;
  auto parameters = backend_.ServerParameters();
  startup->info.process_id = process_id_;
  session_ = backend_.Connect(startup->info);  // throws ivm::Error to refuse
  if (!session_) throw ivm::Error(ivm::sqlstate::kInternalError, "backend returned no session");
  if (auto own = session_->ReportedParameters(); !own.empty()) parameters = std::move(own);
  deadline_.cancel();

  if ((startup->version & 0xffff) != 0 || !startup->protocol_options.empty()) {
    out_.NegotiateProtocolVersion(kProtocolVersion3, startup->protocol_options);
  }
  out_.AuthenticationOk();
  for (const auto& [name, value] : parameters) out_.ParameterStatus(name, value);
  out_.BackendKeyData(process_id_, secret_key_);
  out_.ReadyForQuery(session_->TransactionStatus());
  co_return true;
}

asio::awaitable<bool> Connection::NegotiateTls() {
  if (!security_ || !security_->tls || tls_) {
    out_.RawByte('N');  // no encryption: the client then sends a plain StartupMessage
    co_return co_await Flush();
  }
  // Bytes sent after the SSLRequest but before the handshake would be read as if they had
  // come encrypted (CVE-2021-23214): refuse them.
  if (in_end_ != in_begin_) {
    throw ivm::Error(ivm::sqlstate::kProtocolViolation,
                     "received unencrypted data after SSL request");
  }
  out_.RawByte('S');
  if (!co_await Flush()) co_return false;
  auto tls = std::make_unique<TlsStream>(socket_, *security_->tls);
  boost::system::error_code ec;
  co_await tls->stream.async_handshake(asio::ssl::stream_base::server,
                                       asio::redirect_error(asio::use_awaitable, ec));
  if (ec || closed_) co_return false;
  tls_ = std::move(tls);
  co_return true;
}

asio::awaitable<bool> Connection::ReadPasswordMessage(std::string* body) {
  if (!co_await Fill(5)) co_return false;
  const MessageHeader header = DecodeMessageHeader(Unread());
  if (header.type != 'p') {
    throw ivm::Error(ivm::sqlstate::kProtocolViolation,
                     "expected password response, got message type " +
                         std::to_string(static_cast<unsigned char>(header.type)));
  }
  if (!co_await Fill(5 + header.body_length)) co_return false;
  body->assign(Unread() + 5, header.body_length);
  Consume(5 + header.body_length);
  co_return true;
}

asio::awaitable<bool> Connection::Authenticate(const std::string& user) {
  const RoleCredentials role = backend_.LookupRole(user);
  if (!role.exists) {
    throw ivm::Error(ivm::sqlstate::kInvalidAuthorization,
                     "role \"" + user + "\" does not exist");
  }
  if (!role.can_login) {
    throw ivm::Error(ivm::sqlstate::kInvalidAuthorization,
                     "role \"" + user + "\" is not permitted to log in");
  }
  boost::system::error_code ec;
  const auto remote = socket_.remote_endpoint(ec);
  const bool loopback = !ec && remote.address().is_loopback();
  const AuthMethod method =
      security_ ? security_->MethodFor(loopback) : AuthMethod::kTrust;
  if (method == AuthMethod::kTrust) co_return true;
  // A role without a password cannot pass any password method.
  if (role.secret.empty()) throw PasswordFailed(user);
  const bool scram_secret = !IsMd5Secret(role.secret);
  if (method == AuthMethod::kScramSha256 || (method == AuthMethod::kMd5 && scram_secret)) {
    // md5 falls back to SCRAM for a role whose secret is SCRAM, as PostgreSQL does.
    co_return co_await AuthenticateScram(user, role.secret);
  }
  std::string body;
  if (method == AuthMethod::kMd5) {
    std::string salt(4, '\0');
    RAND_bytes(reinterpret_cast<unsigned char*>(salt.data()), 4);
    out_.AuthenticationRequest(5, salt);
    if (!co_await ReadPasswordMessage(&body)) co_return false;
    const std::string expected = Md5Response(role.secret, salt);
    if (CString(body) != expected) throw PasswordFailed(user);
    co_return true;
  }
  out_.AuthenticationRequest(3, "");
  if (!co_await ReadPasswordMessage(&body)) co_return false;
  if (!CheckCleartextPassword(role.secret, user, CString(body))) throw PasswordFailed(user);
  co_return true;
}

asio::awaitable<bool> Connection::AuthenticateScram(const std::string& user,
                                                    const std::string& secret) {
  std::optional<ScramSecret> parsed = ParseScramSecret(secret);
  if (!parsed) throw PasswordFailed(user);  // an md5 secret cannot answer SCRAM
  const std::string binding = tls_ ? security_->tls_end_point : std::string();
  ScramServer scram(std::move(*parsed), binding);
  std::string mechanisms;
  if (tls_) mechanisms += std::string("SCRAM-SHA-256-PLUS") + '\0';
  mechanisms += std::string("SCRAM-SHA-256") + '\0' + '\0';
  out_.AuthenticationRequest(10, mechanisms);
  std::string body;
  if (!co_await ReadPasswordMessage(&body)) co_return false;
  // SASLInitialResponse: mechanism, then a length-prefixed client-first-message.
  const std::string mechanism = CString(body);
  std::string_view rest = std::string_view(body).substr(mechanism.size() + 1);
  if (rest.size() < 4) throw ivm::Error(ivm::sqlstate::kProtocolViolation, "invalid SASL packet");
  const int32_t length = static_cast<int32_t>(
      (static_cast<uint32_t>(static_cast<unsigned char>(rest[0])) << 24) |
      (static_cast<uint32_t>(static_cast<unsigned char>(rest[1])) << 16) |
      (static_cast<uint32_t>(static_cast<unsigned char>(rest[2])) << 8) |
      static_cast<uint32_t>(static_cast<unsigned char>(rest[3])));
  rest.remove_prefix(4);
  if (length < 0 || static_cast<size_t>(length) != rest.size()) {
    throw ivm::Error(ivm::sqlstate::kProtocolViolation, "invalid SASL packet");
  }
  std::optional<std::string> server_first = scram.ClientFirst(mechanism, rest);
  if (!server_first) throw PasswordFailed(user);
  out_.AuthenticationRequest(11, *server_first);
  if (!co_await ReadPasswordMessage(&body)) co_return false;
  std::optional<std::string> server_final = scram.ClientFinal(body);
  if (!server_final) throw PasswordFailed(user);
  out_.AuthenticationRequest(12, *server_final);
  co_return true;
}

asio::awaitable<void> Connection::Serve() {
  if (!co_await Handshake()) co_return;
  std::vector<ExtendedMessage> extended;  // the current run of extended-protocol messages
  while (true) {
    if (!co_await Fill(5)) co_return;
    const MessageHeader header = DecodeMessageHeader(Unread());
    if (!co_await Fill(5 + header.body_length)) co_return;
    const std::string_view body(Unread() + 5, header.body_length);
    if (header.type == 'X') co_return;  // Terminate
    if (IsExtendedMessage(header.type)) {
      if (header.type != 'H') extended.push_back(DecodeExtended(header.type, body));
      Consume(5 + header.body_length);
      // The run goes to the session at a Sync or Flush, or when the next message is not
      // already here as another extended one: a pipelined client gets its answers in one
      // round trip, and one that waits is never kept waiting.
      if (header.type == 'S' || header.type == 'H' || extended.size() >= kMaxExtendedRun ||
          !NextBufferedIsExtended()) {
        if (!extended.empty() && !co_await RunExtended(std::move(extended))) co_return;
        extended.clear();
        if (header.type == 'H' && !co_await Flush()) co_return;
      }
      continue;
    }
    switch (header.type) {
      case 'Q': {
        std::string sql = DecodeQuery(body);
        Consume(5 + header.body_length);
        if (!co_await RunQuery(std::move(sql))) co_return;
        break;
      }
      case 'F':  // FunctionCall: a simple-protocol message, so it gets its own ReadyForQuery
        Consume(5 + header.body_length);
        out_.ErrorResponse(Severity::kError, ivm::Error(ivm::sqlstate::kFeatureNotSupported,
                                                        "function call protocol is not supported"));
        out_.ReadyForQuery(session_->TransactionStatus());
        break;
      case 'd':  // CopyData, CopyDone, CopyFail outside COPY: ignored, as PostgreSQL does
      case 'c':
      case 'f':
        Consume(5 + header.body_length);
        break;
      default:
        throw ivm::Error(ivm::sqlstate::kProtocolViolation,
                         "invalid frontend message type " +
                             std::to_string(static_cast<unsigned char>(header.type)));
    }
  }
}

asio::awaitable<bool> Connection::RunQuery(std::string sql) {
  std::vector<StatementResult> results =
      co_await AsyncSimpleQuery(*session_, std::move(sql));
  if (closed_) co_return false;
  for (const StatementResult& result : results) {
    if (!co_await WriteResult(result, /*describe=*/true)) co_return false;
  }
  if (!results.empty() && results.back().kind == StatementResult::Kind::kCopyIn &&
      !co_await RunCopyIn()) {
    co_return false;
  }
  out_.ReadyForQuery(session_->TransactionStatus());
  co_return true;
}

asio::awaitable<bool> Connection::RunCopyIn() {
  std::string chunk;
  while (true) {
    if (!co_await Fill(5)) co_return false;  // flushes the CopyInResponse first
    const MessageHeader header = DecodeMessageHeader(Unread());
    if (!co_await Fill(5 + header.body_length)) co_return false;
    const std::string_view body(Unread() + 5, header.body_length);
    switch (header.type) {
      case 'd': {
        chunk.append(body);
        Consume(5 + header.body_length);
        const bool next_ready = in_end_ - in_begin_ >= 5 &&
                                in_end_ - in_begin_ >= 5 + DecodeMessageHeader(Unread()).body_length;
        if (chunk.size() < kCopyChunkBytes && next_ready) break;
        // A refused chunk (no COPY in progress) is reported at CopyDone.
        co_await AsyncCopyData(*session_, std::move(chunk));
        chunk.clear();
        if (closed_) co_return false;
        break;
      }
      case 'c':
      case 'f': {
        const bool done = header.type == 'c';
        std::string message = done ? std::string() : DecodeQuery(body);
        Consume(5 + header.body_length);
        if (done && !chunk.empty()) {
          co_await AsyncCopyData(*session_, std::move(chunk));
        }
        std::vector<StatementResult> results =
            co_await AsyncCopyEnd(*session_, done, std::move(message));
        if (closed_) co_return false;
        for (const StatementResult& result : results) {
          if (!co_await WriteResult(result, /*describe=*/true)) co_return false;
        }
        co_return true;
      }
      case 'H':  // Flush and Sync mean nothing during COPY FROM STDIN, as in PostgreSQL
      case 'S':
        Consume(5 + header.body_length);
        break;
      case 'X':
        co_return false;
      default:
        throw ivm::Error(ivm::sqlstate::kProtocolViolation,
                         "unexpected message type " +
                             std::to_string(static_cast<unsigned char>(header.type)) +
                             " during COPY from stdin");
    }
  }
}

bool Connection::NextBufferedIsExtended() const {
  if (in_end_ - in_begin_ < 5) return false;
  const MessageHeader next = DecodeMessageHeader(Unread());
  return IsExtendedMessage(next.type) && in_end_ - in_begin_ >= 5 + next.body_length;
}

asio::awaitable<bool> Connection::RunExtended(std::vector<ExtendedMessage> messages) {
  const bool synced = messages.back().kind == ExtendedMessage::Kind::kSync;
  std::vector<ExtendedReply> replies =
      co_await AsyncExtended(*session_, std::move(messages));
  if (closed_) co_return false;
  bool ready = false;
  for (const ExtendedReply& reply : replies) {
    ready = false;
    switch (reply.kind) {
      case ExtendedReply::Kind::kParseComplete:
        out_.ParseComplete();
        break;
      case ExtendedReply::Kind::kBindComplete:
        out_.BindComplete();
        break;
      case ExtendedReply::Kind::kCloseComplete:
        out_.CloseComplete();
        break;
      case ExtendedReply::Kind::kParameterDescription:
        out_.ParameterDescription(reply.parameter_types);
        break;
      case ExtendedReply::Kind::kRowDescription:
        out_.RowDescription(reply.fields);
        break;
      case ExtendedReply::Kind::kNoData:
        out_.NoData();
        break;
      case ExtendedReply::Kind::kResult:
      case ExtendedReply::Kind::kPortalSuspended:
        if (!co_await WriteResult(reply.result, /*describe=*/false)) co_return false;
        if (reply.kind == ExtendedReply::Kind::kPortalSuspended) out_.PortalSuspended();
        break;
      case ExtendedReply::Kind::kReadyForQuery:
        out_.ReadyForQuery(reply.transaction_status);
        ready = true;
        break;
    }
  }
  // A session that failed outright still owes the client its ReadyForQuery.
  if (synced && !ready) out_.ReadyForQuery(session_->TransactionStatus());
  co_return true;
}

asio::awaitable<bool> Connection::WriteResult(const StatementResult& result, bool describe) {
  switch (result.kind) {
    case StatementResult::Kind::kRows: {
      if (describe) out_.RowDescription(result.fields);
      if (!co_await WriteRows(result.rows)) co_return false;
      // A suspended portal's rows end with PortalSuspended instead.
      if (!result.command_tag.empty()) out_.CommandComplete(result.command_tag);
      if (result.more_rows && !co_await WriteMore(result)) co_return false;
      break;
    }
    case StatementResult::Kind::kCommand:
      for (const auto& [name, value] : result.parameter_status) {
        out_.ParameterStatus(name, value);
      }
      out_.CommandComplete(result.command_tag);
      break;
    case StatementResult::Kind::kEmptyQuery:
      out_.EmptyQueryResponse();
      break;
    case StatementResult::Kind::kCopyIn:
      out_.CopyInResponse(result.fields.size());
      break;
    case StatementResult::Kind::kCopyOut:
      out_.CopyOutResponse(result.fields.size());
      if (!co_await WriteLines(result.copy_data)) co_return false;
      if (result.more_rows) {
        if (!co_await WriteMore(result)) co_return false;
      } else {
        out_.CopyDone();
        out_.CommandComplete(result.command_tag);
      }
      break;
    case StatementResult::Kind::kError:
      out_.ErrorResponse(Severity::kError,
                         result.error ? *result.error
                                      : ivm::Error(ivm::sqlstate::kInternalError,
                                                   "statement failed without an error"));
      break;
  }
  co_return true;
}

asio::awaitable<bool> Connection::WriteRows(const std::vector<Cells>& rows) {
  for (const Cells& row : rows) {
    out_.DataRow(row);
    if (out_.size() >= kFlushThresholdBytes && !co_await Flush()) co_return false;
  }
  co_return true;
}

asio::awaitable<bool> Connection::WriteLines(const std::vector<std::string>& lines) {
  for (const std::string& line : lines) {
    out_.CopyData(line);
    if (out_.size() >= kFlushThresholdBytes && !co_await Flush()) co_return false;
  }
  co_return true;
}

asio::awaitable<bool> Connection::WriteMore(const StatementResult& result) {
  // Each batch goes out before the next is made, so the server holds a batch at a time,
  // and a slow client slows the making.
  const bool copy = result.kind == StatementResult::Kind::kCopyOut;
  while (true) {
    if (!co_await Flush()) co_return false;
    MoreRows more = co_await AsyncMoreRows(result);
    if (closed_) co_return false;
    // Not a co_await of a conditional expression: GCC 12 destroyed its awaitable twice.
    bool written;
    if (copy) {
      written = co_await WriteLines(more.copy_data);
    } else {
      written = co_await WriteRows(more.rows);
    }
    if (!written) co_return false;
    if (!more.last) continue;
    if (more.error) {
      out_.ErrorResponse(Severity::kError, *more.error);  // COPY OUT ends without CopyDone
    } else {
      if (copy) out_.CopyDone();
      out_.CommandComplete(more.command_tag);
    }
    co_return true;
  }
}

asio::awaitable<bool> Connection::Fill(size_t count) {
  while (in_end_ - in_begin_ < count) {
    // About to block on the client: everything answered so far goes out first, in one write.
    if (!co_await Flush()) co_return false;
    if (in_begin_ > 0) {
      std::copy(in_.begin() + in_begin_, in_.begin() + in_end_, in_.begin());
      in_end_ -= in_begin_;
      in_begin_ = 0;
    }
    if (in_.size() < count) in_.resize(std::max(count, 2 * in_.size()));
    boost::system::error_code ec;
    const auto space = asio::buffer(in_.data() + in_end_, in_.size() - in_end_);
    const size_t read =
        tls_ ? co_await tls_->stream.async_read_some(space,
                                                     asio::redirect_error(asio::use_awaitable, ec))
             : co_await socket_.async_read_some(space,
                                                asio::redirect_error(asio::use_awaitable, ec));
    if (ec || closed_) co_return false;
    in_end_ += read;
  }
  co_return true;
}

void Connection::Consume(size_t count) {
  in_begin_ += count;
  if (in_begin_ == in_end_) {
    in_begin_ = in_end_ = 0;
    if (in_.size() > kShrinkInputAboveBytes) {
      in_.resize(kInitialInputBytes);
      in_.shrink_to_fit();
    }
  }
}

asio::awaitable<bool> Connection::Flush() {
  if (out_.empty()) co_return !closed_;
  if (closed_) co_return false;
  boost::system::error_code ec;
  writing_ = true;
  if (tls_) {
    co_await asio::async_write(tls_->stream, asio::buffer(out_.data()),
                               asio::redirect_error(asio::use_awaitable, ec));
  } else {
    // An answer usually fits the socket's send buffer: write it at once, and go through the
    // io_context (a wake-up and an epoll_wait) only for what does not fit.
    size_t written = 0;
    if (non_blocking_) {
      written = socket_.write_some(asio::buffer(out_.data()), ec);
      if (ec == asio::error::would_block || ec == asio::error::try_again) ec = {};
    }
    if (!ec && written < out_.size()) {
      co_await asio::async_write(socket_, asio::buffer(out_.data().data() + written,
                                                       out_.size() - written),
                                 asio::redirect_error(asio::use_awaitable, ec));
    }
  }
  writing_ = false;
  out_.Clear();
  if (close_after_write_) CloseNow(true);
  co_return !ec && !closed_;
}

}  // namespace protocol
