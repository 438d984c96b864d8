// Masking of secrets (issue 13 C.2, C.4): the value only, as YAML reads it.
#include "libpolicy/eval/redact.h"

#include <doctest/doctest.h>

using policy::eval::MaskMessagePiece;
using policy::eval::MaskSourceLine;
using policy::eval::Redact;
using policy::eval::SecretPart;

TEST_CASE("redact: short secrets leave nothing to read back, long ones two code points") {
  CHECK(Redact("") == "****");
  CHECK(Redact("\t") == "****");
  CHECK(Redact("hunter2") == "****");
  CHECK(Redact("hunter22") == "hu****");
  CHECK(Redact("ÄÖÜßäöüx") == "ÄÖ****");
}

TEST_CASE("redact: only the literal default of a reference is the secret") {
  CHECK(SecretPart("${ADMIN_PASSWORD:-admin}") == "admin");
  CHECK(SecretPart("${ADMIN_PASSWORD-admin}") == "admin");
  CHECK(SecretPart("${ADMIN_PASSWORD}") == "${ADMIN_PASSWORD}");
  CHECK(SecretPart("${A:-${B}}") == "${A:-${B}}");
  CHECK(SecretPart("plain") == "plain");
}

TEST_CASE("redact: a message piece is masked only when it is the secret value") {
  CHECK(MaskMessagePiece("temporal", "temporal", true) == "te****");
  CHECK(MaskMessagePiece("temporal", "temporal", false) == "temporal");  // a service name
  CHECK(MaskMessagePiece("secrets:", "secret", false) == "secrets:");
}

TEST_CASE("redact: source lines are masked by the columns the scalar is written at") {
  // "Esc\u0061pedPassw0rd" reads as EscapedPassw0rd: the written span is masked.
  const std::string line = "      ESCAPED_PASSWORD: \"Esc\\u0061pedPassw0rd\"";
  const std::string masked = MaskSourceLine(line, 25, 47, "EscapedPassw0rd");
  CHECK(masked == "      ESCAPED_PASSWORD: Es****");
  CHECK(masked.find("0061") == std::string::npos);
  // List form: the key stays, the value is masked inside the item's span.
  CHECK(MaskSourceLine("      - APP_SECRET=secret", 9, 26, "secret") == "      - APP_SECRET=****");
  // A key spelled like the value keeps its spelling.
  CHECK(MaskSourceLine("  password: password", 13, 21, "password") == "  password: pa****");
  // The default of a reference, not the reference.
  CHECK(MaskSourceLine("  - P=${P:-admin-default}", 5, 26, "admin-default") ==
        "  - P=${P:-ad****}");
  // Unknown columns: every occurrence of the text.
  CHECK(MaskSourceLine("a: hunter2 hunter2", 0, 0, "hunter2") == "a: **** ****");
}
