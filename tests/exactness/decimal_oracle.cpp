// Reads decimal operations from stdin, one a line, and prints each result on
// its own line, for test_decimal.py to compare with Python's decimal module:
//
//   parse A        -> A as read, in plain notation with its scale, or "invalid"
//   add|sub|mul|div|mod A B -> the result, or overflow / division_by_zero / invalid
//   round A N even|away     -> round(A, N) half-even or half away from zero
//   cmp A B        -> -1, 0 or 1
//
// An operand that does not parse prints "bad_operand".
#include <iostream>
#include <sstream>
#include <string>

#include "libpolicy/decimal.h"

namespace {

using policy::Decimal;
using policy::DecimalStatus;

std::string Status(DecimalStatus s, const Decimal& d) {
  switch (s) {
    case DecimalStatus::kOk:
      return d.ToString();
    case DecimalStatus::kOverflow:
      return "overflow";
    case DecimalStatus::kDivisionByZero:
      return "division_by_zero";
    case DecimalStatus::kInvalid:
      return "invalid";
  }
  return "?";
}

std::string Run(const std::string& line) {
  std::istringstream in(line);
  std::string op, a_text, b_text;
  in >> op >> a_text;
  if (op == "parse") {
    auto d = Decimal::Parse(a_text);
    return d ? d->ToString() : "invalid";
  }
  in >> b_text;
  auto a = Decimal::Parse(a_text);
  if (!a) return "bad_operand";
  Decimal out;
  if (op == "round") {
    std::string mode;
    in >> mode;
    int digits = std::stoi(b_text);
    auto rounding =
        mode == "even" ? policy::Rounding::kHalfEven : policy::Rounding::kHalfAwayFromZero;
    return Status(a->Round(digits, rounding, &out), out);
  }
  auto b = Decimal::Parse(b_text);
  if (!b) return "bad_operand";
  if (op == "cmp") {
    auto c = *a <=> *b;
    return c < 0 ? "-1" : c > 0 ? "1" : "0";
  }
  if (op == "add") return Status(Decimal::Add(*a, *b, &out), out);
  if (op == "sub") return Status(Decimal::Sub(*a, *b, &out), out);
  if (op == "mul") return Status(Decimal::Mul(*a, *b, &out), out);
  if (op == "div") return Status(Decimal::Div(*a, *b, &out), out);
  if (op == "mod") return Status(Decimal::Mod(*a, *b, &out), out);
  return "unknown_operation";
}

}  // namespace

int main() {
  std::ios::sync_with_stdio(false);
  std::string line;
  while (std::getline(std::cin, line)) std::cout << Run(line) << '\n';
  return std::cout.flush() ? 0 : 1;
}
