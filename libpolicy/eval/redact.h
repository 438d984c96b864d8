#pragma once
// Masking of secrets in findings (LANGUAGE.md section 6), as pure functions so
// that the runner (messages, its own snippet) and the engine's finishing step
// (snippets of other findings on a secret's line) mask the same way.
#include <cstdint>
#include <string>
#include <string_view>

namespace policy::eval {

// The first 2 code points followed by "****" when the secret has 8 or more,
// else "****" alone: a short secret leaves nothing to read back.
std::string Redact(std::string_view secret);

// The part of a secret value to mask: the literal default of a compose
// reference (`${ADMIN_PASSWORD:-admin}` -> `admin`, shown as
// `${ADMIN_PASSWORD:-****}`), else the whole value.
std::string_view SecretPart(std::string_view value);

// One interpolated piece of a secret rule's message. `is_the_secret`: the piece
// was rendered from the located secret value itself (same place in the file).
// Only such a piece is masked (every occurrence of the secret in it); a key, a
// service name or literal text that happens to hold the same characters is left
// alone, so masking never changes a name nor tells where the secret was.
std::string MaskMessagePiece(std::string_view piece, std::string_view secret, bool is_the_secret);

// `line` (a source line) with the secret scalar written at code-point columns
// [column, end_column) (1-based, end exclusive, quotes included) masked. The
// secret is the value as YAML reads it, which may differ from its text
// ("Esc\u0061ped", 'It''s'): when the written span holds the value's text it is
// masked there only (`- KEY=value` keeps KEY); otherwise the whole span is
// masked. Without a usable span (0, or past the line) every occurrence of the
// value's text is masked instead. For the engine's Finish(), per secret on a
// finding's line:
//   f.source_line = eval::MaskSourceLine(f.source_line, p.secret_column,
//                                        p.secret_end_column, p.secret);
std::string MaskSourceLine(std::string_view line, uint32_t column, uint32_t end_column,
                           std::string_view secret);

}  // namespace policy::eval
