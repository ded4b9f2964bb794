// SCRAM-SHA-256 against RFC 7677's test vector, and the md5 scheme against PostgreSQL's.
#include <catch2/catch.hpp>

#include "protocol/auth/md5_password.h"
#include "protocol/auth/scram.h"

namespace {

using protocol::Base64Decode;
using protocol::Base64Encode;

constexpr const char* kClientFirst = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
constexpr const char* kServerNonce = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
constexpr const char* kClientFinal =
    "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
    "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";

protocol::ScramSecret Rfc7677Secret() {
  return protocol::MakeScramSecret("pencil", *Base64Decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
}

}  // namespace

TEST_CASE("SCRAM-SHA-256 exchange matches RFC 7677's example", "[scram]") {
  protocol::ScramServer server(Rfc7677Secret(), "");
  auto first = server.ClientFirst("SCRAM-SHA-256", kClientFirst, kServerNonce);
  REQUIRE(first);
  CHECK(*first ==
        "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096");
  auto final_message = server.ClientFinal(kClientFinal);
  REQUIRE(final_message);
  CHECK(*final_message == "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
}

TEST_CASE("SCRAM-SHA-256 refuses a wrong proof, nonce or binding", "[scram]") {
  std::string bad_proof = kClientFinal;
  bad_proof[bad_proof.size() - 5] = bad_proof[bad_proof.size() - 5] == 'A' ? 'B' : 'A';
  protocol::ScramServer wrong_password(protocol::MakeScramSecret(
                                           "pencils", *Base64Decode("W22ZaJ0SNY7soEsUEjb6gQ=="),
                                           4096),
                                       "");
  REQUIRE(wrong_password.ClientFirst("SCRAM-SHA-256", kClientFirst, kServerNonce));
  CHECK_FALSE(wrong_password.ClientFinal(kClientFinal));

  protocol::ScramServer tampered(Rfc7677Secret(), "");
  REQUIRE(tampered.ClientFirst("SCRAM-SHA-256", kClientFirst, kServerNonce));
  CHECK_FALSE(tampered.ClientFinal(bad_proof));

  protocol::ScramServer other_nonce(Rfc7677Secret(), "");
  REQUIRE(other_nonce.ClientFirst("SCRAM-SHA-256", kClientFirst, "differentnonce"));
  CHECK_FALSE(other_nonce.ClientFinal(kClientFinal));

  // Over TLS (binding data present) a client that says "y" is being downgraded.
  protocol::ScramServer downgraded(Rfc7677Secret(), "certificate-hash");
  CHECK_FALSE(downgraded.ClientFirst("SCRAM-SHA-256", "y,,n=,r=abc"));
  // -PLUS without TLS cannot bind.
  protocol::ScramServer no_tls(Rfc7677Secret(), "");
  CHECK_FALSE(no_tls.ClientFirst("SCRAM-SHA-256-PLUS", "p=tls-server-end-point,,n=,r=abc"));
  CHECK_FALSE(no_tls.ClientFirst("SCRAM-SHA-1", kClientFirst));
}

TEST_CASE("SCRAM secrets round-trip through PostgreSQL's rolpassword form", "[scram]") {
  const protocol::ScramSecret secret = Rfc7677Secret();
  const std::string text = protocol::FormatScramSecret(secret);
  CHECK(text.rfind("SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$", 0) == 0);
  auto parsed = protocol::ParseScramSecret(text);
  REQUIRE(parsed);
  CHECK(parsed->iterations == 4096);
  CHECK(parsed->stored_key == secret.stored_key);
  CHECK(parsed->server_key == secret.server_key);
  CHECK_FALSE(protocol::ParseScramSecret("pencil"));
  CHECK_FALSE(protocol::ParseScramSecret("SCRAM-SHA-256$x:abc$def:ghi"));

  const std::string random = protocol::ScramVerifier("pencil");
  CHECK(random != protocol::ScramVerifier("pencil"));  // fresh salt each time
  CHECK(protocol::CheckCleartextPassword(random, "user", "pencil"));
  CHECK_FALSE(protocol::CheckCleartextPassword(random, "user", "pencil!"));
  CHECK_FALSE(protocol::CheckCleartextPassword("", "user", ""));
}

TEST_CASE("md5 secrets and responses match PostgreSQL's", "[scram]") {
  // SELECT 'md5' || md5('secret' || 'alice') in PostgreSQL.
  CHECK(protocol::Md5Secret("secret", "alice") == "md54a0a68b43b6cd5cf266fa02f196e2371");
  CHECK(protocol::Md5Secret("", "") == "md5d41d8cd98f00b204e9800998ecf8427e");
  CHECK(protocol::IsMd5Secret("md54a0a68b43b6cd5cf266fa02f196e2371"));
  CHECK_FALSE(protocol::IsMd5Secret("md5secret"));
  const std::string stored = protocol::Md5Secret("secret", "alice");
  CHECK(protocol::CheckCleartextPassword(stored, "alice", "secret"));
  CHECK_FALSE(protocol::CheckCleartextPassword(stored, "bob", "secret"));
  // md5(hex + salt) where hex is md5("") and the salt is "abcd".
  CHECK(protocol::Md5Response("md5d41d8cd98f00b204e9800998ecf8427e", "abcd") ==
        "md5743b08b8561cc75c4f899c35d6c3c3eb");
  CHECK(Base64Encode("") == "");
  CHECK(Base64Decode("Zm9vYg==") == "foob");
}
