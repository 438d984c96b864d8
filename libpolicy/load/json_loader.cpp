// LoadJson: one JSON document, every string copied into the Document's arena so
// the result does not depend on the caller's text.
#include "libpolicy/load/json_internal.h"
#include "libpolicy/load/loaders.h"
#include "libpolicy/load/text_internal.h"

namespace policy::load {

DocumentsResult LoadJson(std::string_view text, const std::string& file, const LoadLimits& limits) {
  DocumentsResult result;
  if (Result<void> checked = CheckInputText(text, file, limits, false); !checked) {
    result.error = std::move(checked).error();
    return result;
  }
  auto doc = std::make_unique<Document>();
  doc->files.push_back(file);
  JsonParser parser(limits, /*copy_strings=*/true);
  JsonError error;
  Value root;
  if (!parser.Parse(text, 1, BomLength(text), nullptr, 0, doc->arena, &root, &error)) {
    result.error = MakeError(error.code, file, error.line, error.column, std::move(error.message));
    return result;
  }
  doc->root = root;
  result.documents.push_back(std::move(doc));
  return result;
}

}  // namespace policy::load
