// The one error type of Tributary: a PostgreSQL SQLSTATE, a message, and optional detail
// and hint. It travels from the deepest layer to the wire unchanged, so a user always sees
// a SQLSTATE and a sentence that says what to do.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>

namespace ivm {

// SQLSTATE codes used across the tree (PostgreSQL's Appendix A names in comments).
namespace sqlstate {
inline constexpr const char* kSuccessfulCompletion = "00000";
inline constexpr const char* kFeatureNotSupported = "0A000";        // feature_not_supported
inline constexpr const char* kCardinalityViolation = "21000";       // cardinality_violation
inline constexpr const char* kStringDataRightTruncation = "22001";  // string_data_right_truncation
inline constexpr const char* kNumericValueOutOfRange = "22003";     // numeric_value_out_of_range
inline constexpr const char* kInvalidDatetimeFormat = "22007";      // invalid_datetime_format
inline constexpr const char* kDatetimeFieldOverflow = "22008";      // datetime_field_overflow
inline constexpr const char* kDivisionByZero = "22012";             // division_by_zero
inline constexpr const char* kInvalidParameterValue = "22023";      // invalid_parameter_value
inline constexpr const char* kInvalidTextRepresentation = "22P02";  // invalid_text_representation
inline constexpr const char* kBadCopyFileFormat = "22P04";          // bad_copy_file_format
inline constexpr const char* kCharacterNotInRepertoire = "22021";   // character_not_in_repertoire
inline constexpr const char* kInvalidRegularExpression = "2201B";   // invalid_regular_expression
inline constexpr const char* kNotNullViolation = "23502";           // not_null_violation
inline constexpr const char* kUniqueViolation = "23505";            // unique_violation
inline constexpr const char* kInvalidAuthorization =
    "28000";                                                 // invalid_authorization_specification
inline constexpr const char* kInvalidPassword = "28P01";     // invalid_password
inline constexpr const char* kConfigFileError = "F0000";     // config_file_error
inline constexpr const char* kInvalidCatalogName = "3D000";  // invalid_catalog_name
inline constexpr const char* kDependentObjectsStillExist =
    "2BP01";                                                     // dependent_objects_still_exist
inline constexpr const char* kSyntaxError = "42601";             // syntax_error
inline constexpr const char* kUndefinedColumn = "42703";         // undefined_column
inline constexpr const char* kUndefinedFunction = "42883";       // undefined_function
inline constexpr const char* kUndefinedTable = "42P01";          // undefined_table
inline constexpr const char* kDuplicateTable = "42P07";          // duplicate_table
inline constexpr const char* kDuplicateColumn = "42701";         // duplicate_column
inline constexpr const char* kAmbiguousColumn = "42702";         // ambiguous_column
inline constexpr const char* kDatatypeMismatch = "42804";        // datatype_mismatch
inline constexpr const char* kGroupingError = "42803";           // grouping_error
inline constexpr const char* kWrongObjectType = "42809";         // wrong_object_type
inline constexpr const char* kInvalidColumnReference = "42P10";  // invalid_column_reference
inline constexpr const char* kInvalidTableDefinition = "42P16";  // invalid_table_definition
inline constexpr const char* kInsufficientPrivilege = "42501";   // insufficient_privilege
inline constexpr const char* kUndefinedObject = "42704";         // undefined_object
inline constexpr const char* kUndefinedParameter = "42P02";      // undefined_parameter
inline constexpr const char* kIndeterminateDatatype = "42P18";   // indeterminate_datatype
inline constexpr const char* kDuplicatePreparedStatement = "42P05";  // duplicate_prepared_statement
inline constexpr const char* kInvalidSqlStatementName = "26000";  // invalid_sql_statement_name
inline constexpr const char* kInvalidCursorName = "34000";        // invalid_cursor_name
inline constexpr const char* kInFailedSqlTransaction = "25P02";   // in_failed_sql_transaction
inline constexpr const char* kActiveSqlTransaction = "25001";     // active_sql_transaction
inline constexpr const char* kReadOnlySqlTransaction = "25006";   // read_only_sql_transaction
inline constexpr const char* kDuplicateCursor = "42P03";          // duplicate_cursor
inline constexpr const char* kNoActiveSqlTransaction = "25P01";   // no_active_sql_transaction
inline constexpr const char* kSerializationFailure = "40001";     // serialization_failure
inline constexpr const char* kQueryCanceled = "57014";            // query_canceled
inline constexpr const char* kInvalidBinaryRepresentation = "22P03";  // invalid_binary_representation
inline constexpr const char* kDuplicateObject = "42710";         // duplicate_object
inline constexpr const char* kProgramLimitExceeded = "54000";    // program_limit_exceeded
inline constexpr const char* kStatementTooComplex = "54001";     // statement_too_complex
inline constexpr const char* kProtocolViolation = "08P01";       // protocol_violation
inline constexpr const char* kInternalError = "XX000";           // internal_error
inline constexpr const char* kIoError = "58030";                 // io_error
inline constexpr const char* kAdminShutdown = "57P01";           // admin_shutdown
}  // namespace sqlstate

// Error is thrown inside a statement's evaluation and caught at the statement boundary
// (server/), where it becomes an ErrorResponse. Nothing between catches and drops it.
class Error : public std::runtime_error {
 public:
  Error(std::string sqlstate, std::string message, std::string detail = {}, std::string hint = {})
      : std::runtime_error(message),
        sqlstate_(std::move(sqlstate)),
        message_(std::move(message)),
        detail_(std::move(detail)),
        hint_(std::move(hint)) {}

  const std::string& sqlstate() const { return sqlstate_; }
  const std::string& message() const { return message_; }
  const std::string& detail() const { return detail_; }
  const std::string& hint() const { return hint_; }
  // Where it happened ("COPY t, line 3, column b: \"x\""): ErrorResponse's W field.
  const std::string& context() const { return context_; }
  void set_context(std::string context) { context_ = std::move(context); }

 private:
  std::string sqlstate_;
  std::string message_;
  std::string detail_;
  std::string hint_;
  std::string context_;
};

}  // namespace ivm
