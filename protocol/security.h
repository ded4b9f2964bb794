// How a PgServer authenticates clients and whether it offers TLS: the --auth method
// (trust on loopback and scram-sha-256 elsewhere when none is given) and a TLS context
// built from --tls-cert/--tls-key.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace boost::asio::ssl {
class context;
}

namespace protocol {

// Authentication methods, named as in pg_hba.conf.
enum class AuthMethod { kTrust, kPassword, kMd5, kScramSha256 };

// Parses "trust", "password", "md5" or "scram-sha-256"; throws ivm::Error 22023 otherwise.
AuthMethod ParseAuthMethod(std::string_view name);
const char* AuthMethodName(AuthMethod method);

struct SecurityOptions {
  // nullopt: trust for loopback clients, scram-sha-256 for every other client.
  std::optional<AuthMethod> auth;
  // null: SSLRequest is answered 'N' and clients talk in the clear.
  std::shared_ptr<boost::asio::ssl::context> tls;
  // The tls-server-end-point channel binding data: the hash of the server certificate.
  std::string tls_end_point;

  AuthMethod MethodFor(bool loopback) const {
    if (auth) return *auth;
    return loopback ? AuthMethod::kTrust : AuthMethod::kScramSha256;
  }
};

// Loads a PEM certificate (chain) and private key into a TLS server context and fills
// `options.tls` and `options.tls_end_point`. Throws ivm::Error (F0000) when they do not load.
void LoadTls(const std::string& cert_file, const std::string& key_file, SecurityOptions* options);

}  // namespace protocol
