// bytea: binary strings. A Value of type bytea holds its raw bytes; these functions convert
// them to and from PostgreSQL's text forms (the hex output format, bytea_output = 'hex',
// and both input formats) and the encodings encode()/decode() and JSON connectors use.
#pragma once

#include <string>
#include <string_view>

namespace ivm {

// "\x" followed by two lowercase hex digits per byte, as PostgreSQL prints bytea.
std::string FormatByteaHex(std::string_view bytes);

// Parses bytea text input: the hex format ("\x" then pairs of hex digits, whitespace allowed
// between pairs) or the escape format (bytes as-is, "\\" for a backslash, "\nnn" octal).
// Throws 22P02 on malformed input.
std::string ParseBytea(std::string_view text);

// encode(bytes, 'escape'): printable bytes as-is, backslash doubled, others as \nnn.
std::string FormatByteaEscape(std::string_view bytes);

// RFC 4648 base64 with padding. DecodeBase64 takes the standard and the URL-safe alphabet,
// with or without padding, ignores whitespace (line breaks) and throws 22023 on anything
// else that is not base64.
std::string EncodeBase64(std::string_view bytes);
std::string DecodeBase64(std::string_view text);

// Pairs of hex digits (either case); throws 22023 on an odd count or a non-hex digit.
std::string DecodeHex(std::string_view text);

}  // namespace ivm
