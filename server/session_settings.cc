#include "server/session_settings.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "ivm/error.h"
#include "server/read_executor.h"

namespace server {
namespace {

using ivm::Error;
namespace sqlstate = ivm::sqlstate;

constexpr const char* kCantChange = "55P02";  // cant_change_runtime_param

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// Checks and normalises a value; throws to refuse it.
using Normalizer = std::string (*)(const std::string& name, const std::string& value);

[[noreturn]] void Unsupported(const std::string& name, const std::string& value,
                              const std::string& hint) {
  throw Error(sqlstate::kFeatureNotSupported,
              "value \"" + value + "\" for parameter \"" + name + "\" is not supported yet", "",
              hint);
}

std::string AnyText(const std::string&, const std::string& value) { return value; }

std::string Encoding(const std::string& name, const std::string& value) {
  const std::string v = Lower(value);
  if (v == "utf8" || v == "utf-8" || v == "unicode") return "UTF8";
  Unsupported(name, value, "Tributary speaks UTF8 only.");
}

std::string DateStyle(const std::string& name, const std::string& value) {
  // "ISO", "ISO, MDY", "MDY": output ISO, ambiguous input month-first.
  std::string style = "ISO", order = "MDY";
  size_t start = 0;
  const std::string v = Lower(value);
  while (start <= v.size()) {
    size_t comma = v.find(',', start);
    if (comma == std::string::npos) comma = v.size();
    const std::string part = Trim(v.substr(start, comma - start));
    if (part == "iso") {
      style = "ISO";
    } else if (part == "mdy" || part == "us" || part == "noneuropean") {
      order = "MDY";
    } else if (part.empty() && start == 0) {
      throw Error(sqlstate::kInvalidParameterValue,
                  "invalid value for parameter \"" + name + "\": \"" + value + "\"");
    } else if (part == "postgres" || part == "sql" || part == "german" || part == "dmy" ||
               part == "ymd" || part == "euro" || part == "european") {
      Unsupported(name, value, "Dates are written ISO, MDY.");
    } else if (!part.empty()) {
      throw Error(sqlstate::kInvalidParameterValue,
                  "invalid value for parameter \"" + name + "\": \"" + value + "\"",
                  "Unrecognized key word: \"" + part + "\".");
    }
    start = comma + 1;
  }
  return style + ", " + order;
}

std::string TimeZone(const std::string& name, const std::string& value) {
  const std::string v = Lower(Trim(value));
  for (const char* utc : {"utc", "etc/utc", "gmt", "etc/gmt", "z", "zulu", "universal", "0", "+0",
                          "-0", "00:00", "+00", "+00:00", "-00"}) {
    if (v == utc) return "UTC";
  }
  Unsupported(name, value, "Timestamps with time zone are shown in UTC.");
}

std::string IntervalStyle(const std::string& name, const std::string& value) {
  if (Lower(value) == "postgres") return "postgres";
  Unsupported(name, value, "Intervals are written in the postgres style.");
}

int ParseInt(const std::string& name, const std::string& value) {
  try {
    size_t used = 0;
    int v = std::stoi(value, &used);
    if (used == value.size()) return v;
  } catch (const std::exception&) {
  }
  throw Error(sqlstate::kInvalidParameterValue,
              "invalid value for parameter \"" + name + "\": \"" + value + "\"");
}

std::string ExtraFloatDigits(const std::string& name, const std::string& value) {
  const int v = ParseInt(name, value);
  if (v < -15 || v > 3) {
    throw Error(sqlstate::kInvalidParameterValue,
                std::to_string(v) + " is outside the valid range for parameter \"" + name +
                    "\" (-15 .. 3)");
  }
  // Positive values mean "shortest exact output" in PostgreSQL 12+, which is what
  // Tributary always writes; zero and below ask for rounded output.
  if (v <= 0) Unsupported(name, value, "Floats are written in their shortest exact form (1 to 3).");
  return std::to_string(v);
}

// Durations such as 0, 5000, '5s', '1min' (milliseconds without a unit), shown as
// PostgreSQL shows them: in the largest unit that divides the value ("5s", "90s", "2min").
std::string Duration(const std::string& name, const std::string& value) {
  std::string v = Lower(Trim(value));
  size_t digits = 0;
  while (digits < v.size() && std::isdigit(static_cast<unsigned char>(v[digits]))) ++digits;
  const std::string unit = Trim(v.substr(digits));
  const long long number = digits == 0 ? -1 : std::stoll(v.substr(0, std::min<size_t>(digits, 12)));
  static const std::pair<const char*, long long> kUnits[] = {
      {"", 1}, {"ms", 1}, {"s", 1000}, {"min", 60000}, {"h", 3600000}, {"d", 86400000}};
  long long ms = -1;
  for (const auto& [u, factor] : kUnits) {
    if (unit == u && number >= 0) ms = number * factor;
  }
  if (ms < 0 || ms > INT32_MAX) {
    throw Error(sqlstate::kInvalidParameterValue,
                "invalid value for parameter \"" + name + "\": \"" + value + "\"",
                "Valid units for this parameter are \"ms\", \"s\", \"min\", \"h\", and \"d\".");
  }
  if (ms == 0) return "0";
  for (auto it = std::rbegin(kUnits); it != std::rend(kUnits) - 2; ++it) {
    if (ms % it->second == 0) return std::to_string(ms / it->second) + it->first;
  }
  return std::to_string(ms) + "ms";
}

std::string ZeroTimeout(const std::string& name, const std::string& value) {
  std::string d = Duration(name, value);
  if (d == "0") return d;
  Unsupported(name, value, "Idle sessions are not timed out yet; only 0 (none) is accepted.");
}

std::string OnOnly(const std::string& name, const std::string& value) {
  const std::string v = Lower(value);
  if (v == "on" || v == "true" || v == "1" || v == "yes") return "on";
  Unsupported(name, value, "Only on is supported.");
}

std::string OnOff(const std::string& name, const std::string& value) {
  const std::string v = Lower(value);
  if (v == "on" || v == "true" || v == "1" || v == "yes") return "on";
  if (v == "off" || v == "false" || v == "0" || v == "no") return "off";
  throw Error(sqlstate::kInvalidParameterValue,
              "parameter \"" + name + "\" requires a Boolean value");
}

// PostgreSQL's levels; Tributary has no replicas, so every level but off waits for the
// local flush, as PostgreSQL's do without synchronous standbys.
std::string CommitLevel(const std::string& name, const std::string& value) {
  const std::string v = Lower(Trim(value));
  for (const char* level : {"local", "remote_write", "remote_apply"}) {
    if (v == level) return v;
  }
  if (v == "on" || v == "true" || v == "1" || v == "yes") return "on";
  if (v == "off" || v == "false" || v == "0" || v == "no") return "off";
  throw Error(sqlstate::kInvalidParameterValue,
              "invalid value for parameter \"" + name + "\": \"" + value + "\"",
              "Available values: local, remote_write, remote_apply, on, off.");
}

std::string Isolation(const std::string& name, const std::string& value) {
  const std::string v = Lower(value);
  if (v == "read committed" || v == "read uncommitted" || v == "repeatable read" ||
      v == "serializable") {
    return v;
  }
  throw Error(sqlstate::kInvalidParameterValue,
              "invalid value for parameter \"" + name + "\": \"" + value + "\"");
}

std::string Hex(const std::string& name, const std::string& value) {
  if (Lower(value) == "hex") return "hex";
  Unsupported(name, value, "bytea is written in hex.");
}

// SET ROLE: a session acts as the role it logged in as; SET ROLE NONE (or RESET ROLE)
// keeps it so.
std::string Role(const std::string& name, const std::string& value) {
  if (Lower(value) == "none") return "none";
  Unsupported(name, value, "Connect as that role instead; SET ROLE NONE is accepted.");
}

struct Definition {
  const char* name;  // as PostgreSQL spells it (SHOW's column name, ParameterStatus)
  const char* default_value;
  bool reported;  // sent as ParameterStatus when it changes
  bool read_only;
  Normalizer normalize;
  const char* description;
};

// The parameters clients and BI tools set or read on connect.
const std::vector<Definition>& Definitions() {
  static const std::vector<Definition> kDefinitions = {
      {"application_name", "", true, false, AnyText, "Sets the application name."},
      {"bytea_output", "hex", false, false, Hex, "Sets the output format for bytea."},
      {"client_encoding", "UTF8", true, false, Encoding, "Sets the client's character set."},
      {"client_min_messages", "notice", false, false, AnyText,
       "Sets the message levels that are sent to the client."},
      {"DateStyle", "ISO, MDY", true, false, DateStyle,
       "Sets the display format for date and time values."},
      {"default_transaction_isolation", "read committed", false, false, Isolation,
       "Sets the transaction isolation level of each new transaction."},
      {"extra_float_digits", "1", false, false, ExtraFloatDigits,
       "Sets the number of digits displayed for floating-point values."},
      {"idle_in_transaction_session_timeout", "0", false, false, ZeroTimeout,
       "Sets the maximum allowed idle time between queries, when in a transaction."},
      {"integer_datetimes", "on", true, true, OnOnly, "Shows whether datetimes are integer based."},
      {"IntervalStyle", "postgres", true, false, IntervalStyle,
       "Sets the display format for interval values."},
      {"is_superuser", "on", true, true, OnOnly, "Shows whether the current user is a superuser."},
      {"lc_messages", "C", false, false, AnyText,
       "Sets the language in which messages are displayed."},
      {"lc_monetary", "C", false, false, AnyText,
       "Sets the locale for formatting monetary amounts."},
      {"lc_numeric", "C", false, false, AnyText, "Sets the locale for formatting numbers."},
      {"lc_time", "C", false, false, AnyText,
       "Sets the locale for formatting date and time values."},
      // Tributary takes no locks a statement could wait for, so any limit holds.
      {"lock_timeout", "0", false, false, Duration,
       "Sets the maximum allowed duration of any wait for a lock."},
      {"max_identifier_length", "63", false, true, AnyText, "Shows the maximum identifier length."},
      {"max_index_keys", "32", false, true, AnyText, "Shows the maximum number of index keys."},
      {"role", "none", false, false, Role, "Sets the current session's role."},
      {"search_path", "\"$user\", public", false, false, AnyText,
       "Sets the schema search order for names that are not schema-qualified."},
      {"server_encoding", "UTF8", true, true, Encoding,
       "Shows the server (database) character set."},
      {"server_version", "15.0 (Tributary 0.1)", true, true, AnyText, "Shows the server version."},
      {"server_version_num", "150000", false, true, AnyText,
       "Shows the server version as an integer."},
      {"session_authorization", "tributary", true, true, AnyText, "Sets the session user name."},
      {"standard_conforming_strings", "on", true, false, OnOnly,
       "Causes '...' strings to treat backslashes literally."},
      {"statement_timeout", "0", false, false, Duration,
       "Sets the maximum allowed duration of any statement."},
      {"synchronize_seqscans", "on", false, false, OnOff, "Enables synchronized sequential scans."},
      {"synchronous_commit", "on", false, false, CommitLevel,
       "Sets the current transaction's synchronization level."},
      {"TimeZone", "UTC", true, false, TimeZone,
       "Sets the time zone for displaying and interpreting time stamps."},
      {"transaction_isolation", "read committed", false, false, Isolation,
       "Sets the current transaction's isolation level."},
      {"transaction_read_only", "off", false, false, OnOff,
       "Sets the current transaction's read-only status."},
  };
  return kDefinitions;
}

const Definition* Find(const std::string& name) {
  const std::string lower = Lower(name);
  for (const Definition& d : Definitions()) {
    if (Lower(d.name) == lower) return &d;
  }
  return nullptr;
}

const Definition& Require(const std::string& name) {
  const Definition* d = Find(name);
  if (!d) {
    throw Error(sqlstate::kUndefinedObject,
                "unrecognized configuration parameter \"" + name + "\"");
  }
  return *d;
}

}  // namespace

SessionSettings::SessionSettings() {
  for (const Definition& d : Definitions()) values_[Lower(d.name)] = d.default_value;
}

void SessionSettings::Apply(const sql::SetStmt& stmt) {
  auto assign = [&](const Definition& d, const std::string& value) {
    values_[Lower(d.name)] = value;
  };
  if (stmt.name == "all") {  // RESET ALL: every parameter that can be changed
    for (const Definition& d : Definitions()) {
      if (!d.read_only) assign(d, d.default_value);
    }
    return;
  }
  const Definition& d = Require(stmt.name);
  if (d.read_only) {
    throw Error(kCantChange, "parameter \"" + std::string(d.name) + "\" cannot be changed");
  }
  if (stmt.to_default) {
    assign(d, d.default_value);
    return;
  }
  std::string value;
  for (const std::string& v : stmt.values) value += (value.empty() ? "" : ", ") + v;
  assign(d, d.normalize(d.name, value));
}

void SessionSettings::ApplyStartup(const std::string& name, const std::string& value) {
  if (name == "options") return ApplyStartupOptions(value);
  if (name == "user" || name == "database" || name == "replication") return;
  const Definition* d = Find(name);
  if (!d) {
    throw Error(sqlstate::kUndefinedObject,
                "unrecognized configuration parameter \"" + name + "\"");
  }
  if (d->read_only) return;  // PostgreSQL ignores these in a startup packet too
  values_[Lower(d->name)] = d->normalize(d->name, value);
}

void SessionSettings::ApplyStartupOptions(const std::string& options) {
  std::vector<std::string> switches;
  std::string current;
  bool in_word = false;
  for (size_t i = 0; i < options.size(); ++i) {
    const char c = options[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (in_word) switches.push_back(std::move(current));
      current.clear();
      in_word = false;
      continue;
    }
    in_word = true;
    if (c == '\\' && i + 1 < options.size()) {
      current += options[++i];
    } else {
      current += c;
    }
  }
  if (in_word) switches.push_back(std::move(current));
  for (size_t i = 0; i < switches.size(); ++i) {
    const std::string& arg = switches[i];
    std::string assignment;
    std::string form;  // how the switch is named in a message
    if (arg == "-c" && i + 1 < switches.size()) {
      assignment = switches[++i];
      form = "-c ";
    } else if (arg.size() > 2 && arg.compare(0, 2, "-c") == 0) {
      assignment = arg.substr(2);
      form = "-c ";
    } else if (arg.size() > 2 && arg.compare(0, 2, "--") == 0) {
      assignment = arg.substr(2);
      form = "--";
      // --statement-timeout=5s names statement_timeout.
      for (char& ch : assignment) {
        if (ch == '=') break;
        if (ch == '-') ch = '_';
      }
    } else {
      throw Error(sqlstate::kSyntaxError,
                  "invalid command-line argument for server process: " + arg, "",
                  "Try \"postgres --help\" for more information.");
    }
    const size_t eq = assignment.find('=');
    if (eq == std::string::npos) {
      throw Error(sqlstate::kSyntaxError, form + assignment + " requires a value");
    }
    const std::string name = assignment.substr(0, eq);
    if (name == "options") {
      throw Error(sqlstate::kUndefinedObject, "unrecognized configuration parameter \"options\"");
    }
    ApplyStartup(name, assignment.substr(eq + 1));
  }
}

void SessionSettings::SetSessionUser(const std::string& user, bool superuser) {
  values_["session_authorization"] = user;
  values_["is_superuser"] = superuser ? "on" : "off";
}

std::string SessionSettings::Get(const std::string& name) const {
  auto it = values_.find(Lower(name));
  return it == values_.end() ? "" : it->second;
}

const std::string& SessionSettings::Lowered(std::string_view lower_name) const {
  static const std::string kUnset;
  auto it = values_.find(lower_name);
  return it == values_.end() ? kUnset : it->second;
}

bool SessionSettings::SynchronousCommit() const { return Lowered("synchronous_commit") != "off"; }

int64_t SessionSettings::StatementTimeoutMs() const {
  // Normalized when set (Duration): digits, then a unit or none.
  const std::string& v = Lowered("statement_timeout");
  int64_t number = 0;
  const auto [end, error] = std::from_chars(v.data(), v.data() + v.size(), number);
  if (error != std::errc() || end == v.data() || number < 0) return 0;
  const std::string_view unit(end, static_cast<size_t>(v.data() + v.size() - end));
  if (unit == "s") return number * 1000;
  if (unit == "min") return number * 60000;
  if (unit == "h") return number * 3600000;
  if (unit == "d") return number * 86400000;
  return number;  // "ms" or none
}

std::vector<std::pair<std::string, std::string>> SessionSettings::Reported() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const Definition& d : Definitions()) {
    if (d.reported) out.emplace_back(d.name, Get(d.name));
  }
  return out;
}

std::vector<SessionSettings::Listed> SessionSettings::List() const {
  std::vector<Listed> out;
  for (const Definition& d : Definitions()) {
    out.push_back({d.name, Get(d.name), d.default_value, d.description, d.read_only});
  }
  return out;
}

protocol::StatementResult SessionSettings::Show(const sql::ShowStmt& stmt) const {
  const ivm::Type text = ivm::Type::Of(ivm::TypeId::kText);
  protocol::StatementResult r;
  if (stmt.name == "all") {
    std::vector<ivm::Row> rows;
    for (const Definition& d : Definitions()) {
      rows.push_back({ivm::Value::Text(d.name), ivm::Value::Text(Get(d.name)),
                      ivm::Value::Text(d.description)});
    }
    r = RowsResult({"name", "setting", "description"}, {text, text, text}, std::move(rows));
  } else {
    const Definition& d = Require(stmt.name);
    r = RowsResult({d.name}, {text}, {{ivm::Value::Text(Get(d.name))}});
  }
  r.command_tag = "SHOW";
  return r;
}

}  // namespace server
