// The engine as the wire protocol sees it. protocol/ declares this interface; server/
// implements it, so protocol/ never includes the engine.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ivm/error.h"

namespace protocol {

// One column of a RowDescription.
struct FieldDescription {
  std::string name;
  uint32_t table_oid = 0;
  int16_t column_number = 0;
  uint32_t type_oid = 0;
  int16_t type_size = -1;
  int32_t type_modifier = -1;
  int16_t format = 0;  // 0 text, 1 binary: how this column's DataRow cells are encoded
};

// Text-format cells of one DataRow; std::nullopt is SQL NULL.
using Cells = std::vector<std::optional<std::string>>;

// The next rows of a result sent as they are made (StatementResult::more_rows).
struct MoreRows {
  std::vector<Cells> rows;             // kRows
  std::vector<std::string> copy_data;  // kCopyOut: lines, as StatementResult::copy_data
  bool last = false;                // CommandComplete(command_tag), or the error, follows
  std::string command_tag;          // with `last`: "SELECT n", n counting every row
  std::optional<ivm::Error> error;  // with `last`: the statement failed after these rows
};

// The outcome of one SQL statement, ready to be framed.
struct StatementResult {
  enum class Kind {
    kCommand,     // CommandComplete only ("CREATE TABLE", "INSERT 0 3")
    kRows,        // RowDescription, DataRow*, CommandComplete ("SELECT 2")
    kEmptyQuery,  // EmptyQueryResponse (the statement was blank)
    kError,       // ErrorResponse
    kCopyIn,      // CopyInResponse (one text column per field): the client sends CopyData
                  // until CopyDone or CopyFail, which go to Session::CopyData/CopyDone/CopyFail
    kCopyOut,     // CopyOutResponse, one CopyData per copy_data line, CopyDone, CommandComplete
  };
  Kind kind = Kind::kCommand;
  std::string command_tag;
  std::vector<FieldDescription> fields;
  std::vector<Cells> rows;
  // kRows, kCopyOut: set when the result is made while it is sent (a large SELECT or COPY
  // TO), its command_tag then empty. After `rows`, each call asks for the next rows, handed to
  // `next` exactly once from any thread, until a MoreRows with `last`; the connection sends each
  // batch before it asks for the next. Holds what the rows are read from until it is destroyed.
  std::function<void(std::function<void(MoreRows)> next)> more_rows;
  std::optional<ivm::Error> error;  // set when kind == kError
  // ParameterStatus messages to send before CommandComplete (a SET of a reported
  // parameter: application_name, TimeZone, ...).
  std::vector<std::pair<std::string, std::string>> parameter_status;
  // kCopyOut: the rows in COPY's text or CSV form, each ending with a newline.
  std::vector<std::string> copy_data;
};

// One extended-query-protocol message, decoded (Flush never reaches the session).
struct ExtendedMessage {
  enum class Kind { kParse, kBind, kDescribe, kExecute, kClose, kSync };
  Kind kind = Kind::kSync;
  char target = 'S';      // Describe, Close: 'S' a prepared statement, 'P' a portal
  std::string name;       // the statement (Parse, 'S') or the portal (Bind, Execute, 'P')
  std::string statement;  // Bind: the prepared statement it binds
  std::string query;      // Parse
  std::vector<uint32_t> parameter_types;  // Parse: declared type OIDs, 0 = infer
  // Bind: none means all text, one applies to all, else one per parameter (0 text, 1 binary).
  std::vector<int16_t> parameter_formats;
  std::vector<std::optional<std::string>> parameters;  // Bind: raw values; nullopt is NULL
  std::vector<int16_t> result_formats;                 // Bind: same convention as above
  int32_t max_rows = 0;                                // Execute: 0 is no limit
};

// One backend message answering an ExtendedMessage.
struct ExtendedReply {
  enum class Kind {
    kParseComplete,
    kBindComplete,
    kCloseComplete,
    kParameterDescription,  // parameter_types
    kRowDescription,        // fields
    kNoData,
    kResult,           // `result`: its DataRows (no RowDescription) and CommandComplete,
                       // an EmptyQueryResponse, or an ErrorResponse
    kPortalSuspended,  // `result.rows`, then PortalSuspended
    kReadyForQuery,    // transaction_status
  };
  Kind kind = Kind::kResult;
  std::vector<uint32_t> parameter_types;
  std::vector<FieldDescription> fields;
  StatementResult result;
  char transaction_status = 'I';
};

// What the client sent in its StartupMessage.
struct StartupInfo {
  std::string user;
  std::string database;
  std::map<std::string, std::string> parameters;  // every key/value, user and database too
  int32_t process_id = 0;                         // the BackendKeyData pid (pg_backend_pid)
};

// One client connection's view of the engine. Methods are called from the connection's
// I/O strand, one at a time; completions may be invoked from any thread.
class Session {
 public:
  virtual ~Session() = default;

  // Runs every statement of a simple-protocol Query message, in order, stopping after the
  // first error. Calls `done` exactly once, possibly on another thread, with one result
  // per statement run (a blank query string gives one kEmptyQuery result).
  virtual void SimpleQuery(std::string sql,
                           std::function<void(std::vector<StatementResult>)> done) = 0;

  // Runs a run of extended-protocol messages in order and calls `done` exactly once with
  // their replies (possibly on another thread). A run ends at a Sync, a Flush, or where the
  // client's pipeline pauses, so one Sync's messages may arrive over several calls. After
  // an error the session discards messages until Sync, answering only the Sync.
  virtual void Extended(std::vector<ExtendedMessage> messages,
                        std::function<void(std::vector<ExtendedReply>)> done) = 0;

  // COPY FROM STDIN, after SimpleQuery answered with a kCopyIn result as its last: the
  // connection hands over the CopyData payloads in order, in chunks (a row may span two),
  // waiting for each `done` before it reads more, so a fast client cannot outrun parsing.
  // CopyDone or CopyFail ends it; their `done` gets the COPY's outcome.
  virtual void CopyData(std::string data, std::function<void(bool)> done) {
    (void)data;
    done(false);
  }
  virtual void CopyDone(std::function<void(std::vector<StatementResult>)> done);
  virtual void CopyFail(std::string message,
                        std::function<void(std::vector<StatementResult>)> done);

  // Cancels the statement running now, if any (a CancelRequest naming this session).
  // Thread-safe: called from another connection's strand.
  virtual void Cancel() {}

  // ReadyForQuery's transaction status: 'I' idle, 'T' in a transaction, 'E' failed one.
  virtual char TransactionStatus() const = 0;

  // The ParameterStatus messages after authentication, when the session has its own
  // (settings from the startup packet); empty means Backend::ServerParameters().
  virtual std::vector<std::pair<std::string, std::string>> ReportedParameters() const { return {}; }
};

// What authentication needs to know about a role before its session opens.
struct RoleCredentials {
  bool exists = false;
  bool can_login = false;
  // PostgreSQL's rolpassword form: "SCRAM-SHA-256$...", "md5..." or empty (no password).
  std::string secret;
};

inline void Session::CopyDone(std::function<void(std::vector<StatementResult>)> done) {
  StatementResult error;
  error.kind = StatementResult::Kind::kError;
  error.error = ivm::Error(ivm::sqlstate::kFeatureNotSupported, "COPY is not supported");
  done({error});
}

inline void Session::CopyFail(std::string message,
                              std::function<void(std::vector<StatementResult>)> done) {
  StatementResult error;
  error.kind = StatementResult::Kind::kError;
  error.error = ivm::Error(ivm::sqlstate::kQueryCanceled, "COPY from stdin failed: " + message);
  done({error});
}

class Backend {
 public:
  virtual ~Backend() = default;

  // The role `user` as the latest catalog has it. The default (trust-only backends): every
  // role exists and may log in, without a password.
  virtual RoleCredentials LookupRole(const std::string& user) const {
    (void)user;
    return {true, true, ""};
  }

  // Opens a session for an authenticated startup. Throws ivm::Error (28000 for an
  // unknown role, 3D000 for an unknown database) to refuse the connection.
  virtual std::unique_ptr<Session> Connect(const StartupInfo& startup) = 0;

  // The ParameterStatus messages sent after authentication, in order.
  virtual std::vector<std::pair<std::string, std::string>> ServerParameters() const = 0;
};

}  // namespace protocol
