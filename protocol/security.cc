#include "protocol/security.h"

#include <utility>  // before Asio: Boost 1.74 uses std::exchange without including it

#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/ssl.hpp>

#include "ivm/error.h"

namespace protocol {

AuthMethod ParseAuthMethod(std::string_view name) {
  if (name == "trust") return AuthMethod::kTrust;
  if (name == "password") return AuthMethod::kPassword;
  if (name == "md5") return AuthMethod::kMd5;
  if (name == "scram-sha-256") return AuthMethod::kScramSha256;
  throw ivm::Error(ivm::sqlstate::kInvalidParameterValue,
                   "invalid authentication method \"" + std::string(name) + "\"", "",
                   "Use trust, password, md5 or scram-sha-256.");
}

const char* AuthMethodName(AuthMethod method) {
  switch (method) {
    case AuthMethod::kTrust:
      return "trust";
    case AuthMethod::kPassword:
      return "password";
    case AuthMethod::kMd5:
      return "md5";
    case AuthMethod::kScramSha256:
      return "scram-sha-256";
  }
  return "trust";
}

void LoadTls(const std::string& cert_file, const std::string& key_file, SecurityOptions* options) {
  namespace ssl = boost::asio::ssl;
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  boost::system::error_code ec;
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                           ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                           ssl::context::no_tlsv1_1,
                       ec);
  context->use_certificate_chain_file(cert_file, ec);
  if (ec) {
    throw ivm::Error(ivm::sqlstate::kConfigFileError,
                     "could not load server certificate file \"" + cert_file + "\": " +
                         ec.message());
  }
  context->use_private_key_file(key_file, ssl::context::pem, ec);
  if (ec) {
    throw ivm::Error(ivm::sqlstate::kConfigFileError,
                     "could not load private key file \"" + key_file + "\": " + ec.message());
  }
  if (SSL_CTX_check_private_key(context->native_handle()) != 1) {
    throw ivm::Error(ivm::sqlstate::kConfigFileError,
                     "private key file \"" + key_file + "\" does not match the certificate");
  }
  // RFC 5929 tls-server-end-point: the certificate hashed with its signature's hash
  // function, SHA-256 where that is MD5 or SHA-1.
  X509* cert = SSL_CTX_get0_certificate(context->native_handle());
  int digest_nid = NID_undef;
  if (!cert || !OBJ_find_sigid_algs(X509_get_signature_nid(cert), &digest_nid, nullptr)) {
    throw ivm::Error(ivm::sqlstate::kConfigFileError,
                     "could not determine the signature algorithm of \"" + cert_file + "\"");
  }
  if (digest_nid == NID_md5 || digest_nid == NID_sha1) digest_nid = NID_sha256;
  const EVP_MD* digest = EVP_get_digestbynid(digest_nid);
  unsigned char hash[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (!digest || X509_digest(cert, digest, hash, &length) != 1) {
    throw ivm::Error(ivm::sqlstate::kConfigFileError,
                     "could not hash the certificate \"" + cert_file + "\"");
  }
  options->tls = std::move(context);
  options->tls_end_point.assign(reinterpret_cast<char*>(hash), length);
}

}  // namespace protocol
