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
};

// The outcome of one SQL statement, ready to be framed.
struct StatementResult {
  enum class Kind {
    kCommand,     // CommandComplete only ("CREATE TABLE", "INSERT 0 3")
    kRows,        // RowDescription, DataRow*, CommandComplete ("SELECT 2")
    kEmptyQuery,  // EmptyQueryResponse (the statement was blank)
    kError,       // ErrorResponse
  };
  Kind kind = Kind::kCommand;
  std::string command_tag;
  std::vector<FieldDescription> fields;
  // Text-format cells; std::nullopt is SQL NULL.
  std::vector<std::vector<std::optional<std::string>>> rows;
  std::optional<ivm::Error> error;  // set when kind == kError
  // ParameterStatus messages to send before CommandComplete (a SET of a reported
  // parameter: application_name, TimeZone, ...).
  std::vector<std::pair<std::string, std::string>> parameter_status;
};

// What the client sent in its StartupMessage.
struct StartupInfo {
  std::string user;
  std::string database;
  std::map<std::string, std::string> parameters;  // every key/value, user and database too
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

  // ReadyForQuery's transaction status: 'I' idle, 'T' in a transaction, 'E' failed one.
  virtual char TransactionStatus() const = 0;

  // The ParameterStatus messages after authentication, when the session has its own
  // (settings from the startup packet); empty means Backend::ServerParameters().
  virtual std::vector<std::pair<std::string, std::string>> ReportedParameters() const { return {}; }
};

class Backend {
 public:
  virtual ~Backend() = default;

  // Opens a session for an authenticated startup. Throws ivm::Error (28000 for an
  // unknown role, 3D000 for an unknown database) to refuse the connection.
  virtual std::unique_ptr<Session> Connect(const StartupInfo& startup) = 0;

  // The ParameterStatus messages sent after authentication, in order.
  virtual std::vector<std::pair<std::string, std::string>> ServerParameters() const = 0;
};

}  // namespace protocol
