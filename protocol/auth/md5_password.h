// PostgreSQL's md5 password scheme: the stored secret is "md5" + hex(md5(password + user)),
// and the client answers a 4-byte salt with "md5" + hex(md5(hex_secret + salt)).
#pragma once

#include <string>
#include <string_view>

namespace protocol {

// The rolpassword form of an md5 secret.
std::string Md5Secret(std::string_view password, std::string_view user);
bool IsMd5Secret(std::string_view stored);
// What a client sends for `stored` (an md5 secret) and `salt` (4 bytes).
std::string Md5Response(std::string_view stored, std::string_view salt);

// Whether `password` (cleartext, as the password method receives it) matches `stored`,
// which is an md5 or a SCRAM secret. An empty `stored` (no password) never matches.
bool CheckCleartextPassword(std::string_view stored, std::string_view user,
                            std::string_view password);

}  // namespace protocol
