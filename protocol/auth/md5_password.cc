#include "protocol/auth/md5_password.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "protocol/auth/scram.h"

namespace protocol {
namespace {

std::string Md5Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_md5(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

bool ConstantTimeEqual(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

std::string Md5Secret(std::string_view password, std::string_view user) {
  return "md5" + Md5Hex(std::string(password) + std::string(user));
}

bool IsMd5Secret(std::string_view stored) {
  if (stored.size() != 35 || stored.substr(0, 3) != "md5") return false;
  for (char c : stored.substr(3)) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string Md5Response(std::string_view stored, std::string_view salt) {
  return "md5" + Md5Hex(std::string(stored.substr(3)) + std::string(salt));
}

bool CheckCleartextPassword(std::string_view stored, std::string_view user,
                            std::string_view password) {
  if (IsMd5Secret(stored)) return ConstantTimeEqual(Md5Secret(password, user), stored);
  if (auto secret = ParseScramSecret(stored)) {
    ScramSecret derived = MakeScramSecret(password, secret->salt, secret->iterations);
    return ConstantTimeEqual(derived.stored_key, secret->stored_key);
  }
  return false;
}

}  // namespace protocol
