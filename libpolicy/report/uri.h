#pragma once
// Small text escapes shared by the machine-readable reporters.
#include <string>

namespace policy::report {

// A relative file path as a URI reference: every byte outside RFC 3986's
// unreserved set and `/` is percent-encoded, so spaces, `#` and `%` survive.
std::string EncodeUri(const std::string& path);

// Text for XML 1.0 character data and attribute values: `&<>"'` escaped,
// characters XML cannot carry (most C0 controls, invalid UTF-8) replaced by U+FFFD.
std::string EscapeXml(const std::string& text);

}  // namespace policy::report
