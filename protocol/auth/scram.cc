#include "protocol/auth/scram.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <charconv>
#include <stdexcept>

namespace protocol {
namespace {

constexpr std::string_view kScramPrefix = "SCRAM-SHA-256$";

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    throw std::runtime_error("RAND_bytes failed");
  }
  return out;
}

std::string Xor(std::string_view a, std::string_view b) {
  std::string out(a);
  for (size_t i = 0; i < out.size() && i < b.size(); ++i) out[i] = static_cast<char>(a[i] ^ b[i]);
  return out;
}

// The value of attribute `name` ("r", "c", "p") among comma-separated "x=value" parts.
std::optional<std::string_view> Attribute(std::string_view message, char name) {
  size_t pos = 0;
  while (pos <= message.size()) {
    size_t end = message.find(',', pos);
    if (end == std::string_view::npos) end = message.size();
    std::string_view part = message.substr(pos, end - pos);
    if (part.size() >= 2 && part[0] == name && part[1] == '=') return part.substr(2);
    pos = end + 1;
  }
  return std::nullopt;
}

// Printable nonce characters: RFC 5802 allows any printable ASCII except ','.
std::string MakeNonce() { return Base64Encode(RandomBytes(18)); }

}  // namespace

std::string HmacSha256(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &length);
  return std::string(reinterpret_cast<char*>(out), length);
}

std::string Sha256(std::string_view data) {
  unsigned char out[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), out);
  return std::string(reinterpret_cast<char*>(out), sizeof(out));
}

std::string Base64Encode(std::string_view raw) {
  std::string out(4 * ((raw.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(raw.data()),
                                static_cast<int>(raw.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  for (char c : text) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '+' || c == '/' || c == '=';
    if (!ok) return std::nullopt;
  }
  std::string out(3 * text.size() / 4 + 1, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  size_t length = static_cast<size_t>(n);
  // EVP_DecodeBlock counts padding as zero bytes.
  for (size_t i = text.size(); i > 0 && text[i - 1] == '='; --i) --length;
  out.resize(length);
  return out;
}

ScramSecret MakeScramSecret(std::string_view password, std::string_view salt, int iterations) {
  // PostgreSQL runs SASLprep over the password first; an ASCII password is unchanged by it.
  unsigned char salted[SHA256_DIGEST_LENGTH];
  PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                    reinterpret_cast<const unsigned char*>(salt.data()),
                    static_cast<int>(salt.size()), iterations, EVP_sha256(), sizeof(salted),
                    salted);
  const std::string_view salted_password(reinterpret_cast<char*>(salted), sizeof(salted));
  ScramSecret secret;
  secret.iterations = iterations;
  secret.salt = std::string(salt);
  secret.stored_key = Sha256(HmacSha256(salted_password, "Client Key"));
  secret.server_key = HmacSha256(salted_password, "Server Key");
  return secret;
}

std::string FormatScramSecret(const ScramSecret& secret) {
  return std::string(kScramPrefix) + std::to_string(secret.iterations) + ":" +
         Base64Encode(secret.salt) + "$" + Base64Encode(secret.stored_key) + ":" +
         Base64Encode(secret.server_key);
}

std::string ScramVerifier(std::string_view password) {
  return FormatScramSecret(MakeScramSecret(password, RandomBytes(16), kScramIterations));
}

std::optional<ScramSecret> ParseScramSecret(std::string_view text) {
  if (text.substr(0, kScramPrefix.size()) != kScramPrefix) return std::nullopt;
  text.remove_prefix(kScramPrefix.size());
  const size_t colon1 = text.find(':'), dollar = text.find('$');
  if (colon1 == std::string_view::npos || dollar == std::string_view::npos || dollar < colon1) {
    return std::nullopt;
  }
  const size_t colon2 = text.find(':', dollar);
  if (colon2 == std::string_view::npos) return std::nullopt;
  ScramSecret secret;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + colon1, secret.iterations);
  if (ec != std::errc() || ptr != text.data() + colon1 || secret.iterations <= 0) {
    return std::nullopt;
  }
  auto salt = Base64Decode(text.substr(colon1 + 1, dollar - colon1 - 1));
  auto stored = Base64Decode(text.substr(dollar + 1, colon2 - dollar - 1));
  auto server = Base64Decode(text.substr(colon2 + 1));
  if (!salt || !stored || !server || stored->size() != SHA256_DIGEST_LENGTH ||
      server->size() != SHA256_DIGEST_LENGTH) {
    return std::nullopt;
  }
  secret.salt = std::move(*salt);
  secret.stored_key = std::move(*stored);
  secret.server_key = std::move(*server);
  return secret;
}

std::optional<std::string> ScramServer::ClientFirst(std::string_view mechanism,
                                                    std::string_view message,
                                                    std::string_view server_nonce_for_tests) {
  const bool plus = mechanism == "SCRAM-SHA-256-PLUS";
  if (!plus && mechanism != "SCRAM-SHA-256") return std::nullopt;
  // gs2-header: cbind flag, authzid (unsupported, must be empty), then the bare message.
  const size_t comma1 = message.find(',');
  if (comma1 == std::string_view::npos) return std::nullopt;
  const size_t comma2 = message.find(',', comma1 + 1);
  if (comma2 == std::string_view::npos || comma2 != comma1 + 1) return std::nullopt;
  const std::string_view flag = message.substr(0, comma1);
  if (plus) {
    if (flag != "p=tls-server-end-point" || channel_binding_.empty()) return std::nullopt;
  } else if (flag == "y") {
    // The client could bind but thinks we cannot: over TLS that is a downgrade attack.
    if (!channel_binding_.empty()) return std::nullopt;
  } else if (flag != "n") {
    return std::nullopt;
  }
  gs2_header_ = std::string(message.substr(0, comma2 + 1));
  client_first_bare_ = std::string(message.substr(comma2 + 1));
  if (client_first_bare_.rfind("n=", 0) != 0) return std::nullopt;
  auto client_nonce = Attribute(client_first_bare_, 'r');
  if (!client_nonce || client_nonce->empty()) return std::nullopt;
  nonce_ = std::string(*client_nonce) +
           (server_nonce_for_tests.empty() ? MakeNonce() : std::string(server_nonce_for_tests));
  server_first_ = "r=" + nonce_ + ",s=" + Base64Encode(secret_.salt) +
                  ",i=" + std::to_string(secret_.iterations);
  return server_first_;
}

std::optional<std::string> ScramServer::ClientFinal(std::string_view message) {
  if (server_first_.empty()) return std::nullopt;
  const size_t proof_at = message.rfind(",p=");
  if (proof_at == std::string_view::npos) return std::nullopt;
  const std::string_view without_proof = message.substr(0, proof_at);
  auto binding = Attribute(without_proof, 'c');
  auto nonce = Attribute(without_proof, 'r');
  auto proof = Base64Decode(message.substr(proof_at + 3));
  if (!binding || !nonce || !proof || *nonce != nonce_) return std::nullopt;
  std::string expected_binding = gs2_header_;
  if (gs2_header_[0] == 'p') expected_binding += channel_binding_;
  if (Base64Decode(*binding) != expected_binding) return std::nullopt;

  const std::string auth_message =
      client_first_bare_ + "," + server_first_ + "," + std::string(without_proof);
  const std::string client_signature = HmacSha256(secret_.stored_key, auth_message);
  if (proof->size() != client_signature.size()) return std::nullopt;
  const std::string client_key = Xor(*proof, client_signature);
  const std::string stored_key = Sha256(client_key);
  if (CRYPTO_memcmp(stored_key.data(), secret_.stored_key.data(), stored_key.size()) != 0) {
    return std::nullopt;
  }
  return "v=" + Base64Encode(HmacSha256(secret_.server_key, auth_message));
}

}  // namespace protocol
