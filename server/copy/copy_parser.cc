#include "server/copy/copy_parser.h"

#include <cstring>

#include "ivm/error.h"
#include "ivm/utf8.h"

namespace server {
namespace {

using ivm::Error;
namespace sqlstate = ivm::sqlstate;

constexpr size_t kMaxContextBytes = 100;  // PostgreSQL's MAX_COPY_DATA_DISPLAY

bool IsOctal(char c) { return c >= '0' && c <= '7'; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string CopyContextText(std::string_view text) {
  if (text.size() <= kMaxContextBytes) return std::string(text);
  size_t cut = kMaxContextBytes;
  // Never cut a UTF-8 character in half.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xc0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "...";
}

CopyParser::CopyParser(CopyOptions options, std::vector<std::string> columns, RowFn on_row)
    : options_(std::move(options)), columns_(std::move(columns)), on_row_(std::move(on_row)) {
  auto resolve = [&](const std::vector<std::string>& names, const char* what,
                     std::vector<bool>* flags) {
    flags->assign(columns_.size(), false);
    for (const std::string& name : names) {
      size_t i = 0;
      while (i < columns_.size() && columns_[i] != name) ++i;
      if (i == columns_.size()) {
        throw Error(sqlstate::kInvalidColumnReference,
                    std::string(what) + " column \"" + name + "\" not referenced by COPY");
      }
      (*flags)[i] = true;
    }
  };
  resolve(options_.force_not_null, "FORCE_NOT_NULL", &force_not_null_);
  resolve(options_.force_null, "FORCE_NULL", &force_null_);
}

void CopyParser::Fail(const char* code, std::string message, std::string_view line) const {
  Error error(code, std::move(message));
  error.set_context("line " + std::to_string(line_) + ": \"" + CopyContextText(line) + "\"");
  throw error;
}

void CopyParser::Feed(std::string_view data) {
  size_t start = 0;
  const size_t n = data.size();
  // An escape that is the quote itself is just a toggle (as in PostgreSQL's CopyReadLineText).
  const int escape = options_.escape == options_.quote ? -1 : options_.escape;
  for (size_t i = 0; i < n && !ended_; ++i) {
    const char c = data[i];
    if (options_.csv) {
      if (in_quote_ && c == escape) last_was_escape_ = !last_was_escape_;
      if (c == options_.quote && !last_was_escape_) in_quote_ = !in_quote_;
      if (c != escape) last_was_escape_ = false;
      if (c != '\n' || in_quote_) continue;
    } else {
      if (after_backslash_) {
        after_backslash_ = false;  // an escaped byte, a newline included, is data
        continue;
      }
      if (c == '\\') {
        after_backslash_ = true;
        continue;
      }
      if (c != '\n') continue;
    }
    // A line ends at data[i].
    std::string_view line;
    if (pending_.empty()) {
      line = data.substr(start, i - start);
    } else {
      pending_.append(data.data() + start, i - start);
      line = pending_;
    }
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    ParseLine(line);
    pending_.clear();
    start = i + 1;
  }
  if (!ended_ && start < n) pending_.append(data.data() + start, n - start);
}

void CopyParser::Finish() {
  if (ended_) return;
  if (options_.csv && in_quote_) {
    ++line_;
    Fail(sqlstate::kBadCopyFileFormat, "unterminated CSV quoted field", pending_);
  }
  if (pending_.empty()) return;
  std::string last = std::move(pending_);
  pending_.clear();
  if (last.back() == '\r') last.pop_back();
  ParseLine(last);
}

void CopyParser::ParseLine(std::string_view line) {
  ++line_;
  if (line == "\\.") {  // the end-of-copy marker: nothing after it is data
    ended_ = true;
    return;
  }
  size_t bad = 0;
  if (!ivm::ValidUtf8(line, &bad)) {
    // Without the line's text, which the client could not decode either (as PostgreSQL).
    Error error(sqlstate::kCharacterNotInRepertoire, ivm::InvalidUtf8Message(line, bad));
    error.set_context("line " + std::to_string(line_));
    throw error;
  }
  if (options_.csv) {
    SplitCsv(line);
  } else {
    SplitText(line);
  }
  if (line_ == 1 && options_.header != CopyOptions::Header::kNone) {
    if (options_.header == CopyOptions::Header::kMatch) CheckHeader(line);
    return;
  }
  if (fields_.size() > columns_.size()) {
    Fail(sqlstate::kBadCopyFileFormat, "extra data after last expected column", line);
  }
  if (fields_.size() < columns_.size()) {
    Fail(sqlstate::kBadCopyFileFormat,
         "missing data for column \"" + columns_[fields_.size()] + "\"", line);
  }
  on_row_(fields_, line_, line);
}

void CopyParser::CheckHeader(std::string_view line) {
  if (fields_.size() != columns_.size()) {
    Fail(sqlstate::kBadCopyFileFormat,
         "wrong number of fields in header line: got " + std::to_string(fields_.size()) +
             ", expected " + std::to_string(columns_.size()),
         line);
  }
  for (size_t i = 0; i < columns_.size(); ++i) {
    const std::string field_no = std::to_string(i + 1);
    if (!fields_[i]) {
      Fail(sqlstate::kBadCopyFileFormat,
           "column name mismatch in header line field " + field_no + ": got null value (\"" +
               options_.null_string + "\"), expected \"" + columns_[i] + "\"",
           line);
    }
    if (*fields_[i] != columns_[i]) {
      Fail(sqlstate::kBadCopyFileFormat,
           "column name mismatch in header line field " + field_no + ": got \"" + *fields_[i] +
               "\", expected \"" + columns_[i] + "\"",
           line);
    }
  }
}

void CopyParser::SplitText(std::string_view line) {
  fields_.clear();
  const size_t n = line.size();
  const char delimiter = options_.delimiter;
  size_t i = 0;
  while (true) {
    const size_t start = i;
    std::string out;
    bool high_escape = false;  // an escape produced a non-ASCII byte: check the encoding
    while (i < n) {
      const char c = line[i];
      if (c == delimiter) break;
      if (c == '\r') {
        Fail(sqlstate::kBadCopyFileFormat, "literal carriage return found in data", line);
      }
      if (c != '\\') {
        out.push_back(c);
        ++i;
        continue;
      }
      if (i + 1 >= n) {  // a backslash at the very end of the input
        out.push_back('\\');
        ++i;
        break;
      }
      const char e = line[i + 1];
      i += 2;
      int value = -1;
      if (IsOctal(e)) {
        value = e - '0';
        for (int k = 0; k < 2 && i < n && IsOctal(line[i]); ++k) value = value * 8 + (line[i++] - '0');
        value &= 0377;
      } else if (e == 'x' && i < n && HexValue(line[i]) >= 0) {
        value = HexValue(line[i++]);
        if (i < n && HexValue(line[i]) >= 0) value = value * 16 + HexValue(line[i++]);
      }
      if (value >= 0) {
        out.push_back(static_cast<char>(value));
        high_escape = high_escape || value >= 0x80;
        continue;
      }
      switch (e) {
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'v': out.push_back('\v'); break;
        default: out.push_back(e); break;  // \\, \., an escaped delimiter or newline
      }
    }
    const std::string_view raw = line.substr(start, i - start);
    size_t bad = 0;
    // Escapes like \377 can make bytes that are not UTF-8.
    if (high_escape && !ivm::ValidUtf8(out, &bad)) {
      Fail(sqlstate::kCharacterNotInRepertoire, ivm::InvalidUtf8Message(out, bad), line);
    }
    if (raw == options_.null_string) {
      fields_.emplace_back(std::nullopt);
    } else {
      fields_.emplace_back(std::move(out));
    }
    if (i >= n) break;
    ++i;  // the delimiter
  }
}

void CopyParser::SplitCsv(std::string_view line) {
  fields_.clear();
  const size_t n = line.size();
  const char delimiter = options_.delimiter, quote = options_.quote, escape = options_.escape;
  size_t i = 0;
  while (true) {
    const size_t start = i;
    std::string out;
    bool saw_quote = false, last = false;
    while (true) {
      // Outside quotes.
      if (i >= n) {
        last = true;
        break;
      }
      char c = line[i++];
      if (c == delimiter) break;
      if (c != quote) {
        out.push_back(c);
        continue;
      }
      // Inside quotes: the escape doubles only a quote or an escape.
      saw_quote = true;
      while (true) {
        if (i >= n) Fail(sqlstate::kBadCopyFileFormat, "unterminated CSV quoted field", line);
        c = line[i++];
        if (c == escape && i < n && (line[i] == quote || line[i] == escape)) {
          out.push_back(line[i++]);
          continue;
        }
        if (c == quote) break;
        out.push_back(c);
      }
    }
    const size_t field = fields_.size();
    const size_t raw_end = last ? i : i - 1;
    const std::string_view raw = line.substr(start, raw_end - start);
    const bool forced_not_null = field < force_not_null_.size() && force_not_null_[field];
    const bool forced_null = field < force_null_.size() && force_null_[field];
    if (!saw_quote && raw == options_.null_string && !forced_not_null) {
      fields_.emplace_back(std::nullopt);
    } else if (saw_quote && forced_null && out == options_.null_string) {
      fields_.emplace_back(std::nullopt);
    } else {
      fields_.emplace_back(std::move(out));
    }
    if (last) break;
  }
}

}  // namespace server
