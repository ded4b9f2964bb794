// SCRAM-SHA-256 (RFC 5802, RFC 7677) for the server side of PostgreSQL's SASL exchange,
// with OpenSSL. A stored secret is PostgreSQL's rolpassword form,
// "SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>" (base64 parts): the
// password itself is never kept.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace protocol {

inline constexpr int kScramIterations = 4096;  // PostgreSQL's scram_iterations default

struct ScramSecret {
  int iterations = 0;
  std::string salt;        // raw bytes
  std::string stored_key;  // H(HMAC(SaltedPassword, "Client Key"))
  std::string server_key;  // HMAC(SaltedPassword, "Server Key")
};

// Derives the secret of `password` with `salt` (raw bytes) and `iterations`.
ScramSecret MakeScramSecret(std::string_view password, std::string_view salt, int iterations);
// A secret with a fresh random 16-byte salt, in rolpassword form.
std::string ScramVerifier(std::string_view password);
std::string FormatScramSecret(const ScramSecret& secret);
// Parses the rolpassword form; nullopt when `text` is not a SCRAM secret.
std::optional<ScramSecret> ParseScramSecret(std::string_view text);

std::string Base64Encode(std::string_view raw);
// nullopt on malformed input.
std::optional<std::string> Base64Decode(std::string_view text);

// One server-side SCRAM exchange: client-first -> server-first -> client-final ->
// server-final. Methods return nullopt when the client's message is malformed or its
// proof is wrong; the caller then fails the authentication.
class ScramServer {
 public:
  // `channel_binding` is the tls-server-end-point data (the server certificate's hash)
  // when the connection is TLS, empty otherwise.
  ScramServer(ScramSecret secret, std::string channel_binding)
      : secret_(std::move(secret)), channel_binding_(std::move(channel_binding)) {}

  // `mechanism` is "SCRAM-SHA-256" or "SCRAM-SHA-256-PLUS". Returns server-first-message.
  std::optional<std::string> ClientFirst(std::string_view mechanism, std::string_view message,
                                         std::string_view server_nonce_for_tests = {});
  // Returns server-final-message ("v=<signature>") when the proof checks out.
  std::optional<std::string> ClientFinal(std::string_view message);

 private:
  ScramSecret secret_;
  std::string channel_binding_;
  std::string gs2_header_;  // "n,,", "y,,", "p=tls-server-end-point,,"
  std::string client_first_bare_;
  std::string server_first_;
  std::string nonce_;  // client nonce + server nonce
};

// HMAC-SHA-256 and SHA-256, exposed for tests.
std::string HmacSha256(std::string_view key, std::string_view data);
std::string Sha256(std::string_view data);

}  // namespace protocol
