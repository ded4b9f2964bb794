#include "server/copy/copy_writer.h"

namespace server {

CopyWriter::CopyWriter(CopyOptions options, std::vector<bool> force_quote)
    : options_(std::move(options)), force_quote_(std::move(force_quote)) {}

void CopyWriter::AppendText(std::string_view value, std::string* out) const {
  const char delimiter = options_.delimiter;
  for (char c : value) {
    char escaped = 0;
    if (static_cast<unsigned char>(c) < 0x20) {
      switch (c) {
        case '\b': escaped = 'b'; break;
        case '\f': escaped = 'f'; break;
        case '\n': escaped = 'n'; break;
        case '\r': escaped = 'r'; break;
        case '\t': escaped = 't'; break;
        case '\v': escaped = 'v'; break;
        default:
          if (c == delimiter) escaped = c;  // other control bytes go out as they are
          break;
      }
    } else if (c == '\\' || c == delimiter) {
      escaped = c;
    }
    if (escaped) {
      out->push_back('\\');
      out->push_back(escaped);
    } else {
      out->push_back(c);
    }
  }
}

void CopyWriter::AppendCsv(std::string_view value, bool force_quote, bool single_column,
                           std::string* out) const {
  const char quote = options_.quote, escape = options_.escape, delimiter = options_.delimiter;
  // A value that reads back as NULL, or as the end marker, must be quoted.
  bool use_quote = force_quote || value == options_.null_string;
  if (!use_quote) {
    if (single_column && value == "\\.") {
      use_quote = true;
    } else {
      for (char c : value) {
        if (c == delimiter || c == quote || c == '\n' || c == '\r') {
          use_quote = true;
          break;
        }
      }
    }
  }
  if (!use_quote) {
    out->append(value);
    return;
  }
  out->push_back(quote);
  for (char c : value) {
    if (c == quote || c == escape) out->push_back(escape);
    out->push_back(c);
  }
  out->push_back(quote);
}

void CopyWriter::AppendRow(const std::vector<std::optional<std::string>>& cells,
                           std::string* out) const {
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i) out->push_back(options_.delimiter);
    if (!cells[i]) {
      out->append(options_.null_string);
    } else if (options_.csv) {
      const bool forced = options_.force_quote_all || (i < force_quote_.size() && force_quote_[i]);
      AppendCsv(*cells[i], forced, cells.size() == 1, out);
    } else {
      AppendText(*cells[i], out);
    }
  }
  out->push_back('\n');
}

void CopyWriter::AppendHeader(const std::vector<std::string>& names, std::string* out) const {
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) out->push_back(options_.delimiter);
    if (options_.csv) {
      AppendCsv(names[i], false, names.size() == 1, out);
    } else {
      AppendText(names[i], out);
    }
  }
  out->push_back('\n');
}

}  // namespace server
