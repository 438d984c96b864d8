"""Decimal (libpolicy/decimal.h) against Python's decimal module.

Seeded random operands, with the 64- and 128-bit edges of the coefficient,
go through decimal_oracle (a small program over the library, path in
$DECIMAL_ORACLE); every result is compared, digits and scale, with what
LANGUAGE.md section 4 specifies, computed here with Python's decimal module
at a precision high enough to be exact:

* at most 38 significant digits, scale 0..38;
* + and - keep the larger scale, * adds the scales; a result needing more
  than 38 digits or a scale above 38 (after dropping trailing fractional
  zeros) is an overflow, never rounded;
* / is exact when the quotient fits (at the preferred scale, the dividend's
  minus the divisor's, when it has room), else rounded half-even to 28
  significant digits;
* % truncates, with the dividend's sign;
* round(x, n) half away from zero or half-even, scale max(n, 0).
"""
import decimal
import os
import random
import re
import subprocess

import pytest

from decimal import Decimal, ROUND_HALF_EVEN, ROUND_HALF_UP

MAX_DIGITS = 38
MAX_SCALE = 38
DIVISION_DIGITS = 28
SEED = 20261207
CASES_PER_OPERATION = 3000

EXACT = decimal.Context(prec=400, rounding=ROUND_HALF_EVEN, Emin=-9999, Emax=9999,
                        traps=[decimal.InvalidOperation, decimal.DivisionByZero])

# Coefficients at the edges of the fast paths and of the representation.
EDGE_COEFFICIENTS = sorted({
    0, 1, 9, 10, 99, 100, 255, 256,
    2**31 - 1, 2**31, 2**32 - 1, 2**32,
    10**18 - 1, 10**18, 2**63 - 1, 2**63, 2**63 + 1, 10**19 - 1, 10**19, 2**64 - 1, 2**64,
    10**28 - 1, 10**28, 2**96, 10**37, 2**126, 2**127 - 1,
    10**38 - 1,
})
EDGE_COEFFICIENTS = [c for c in EDGE_COEFFICIENTS if c < 10**MAX_DIGITS]


def oracle(lines):
    path = os.environ.get("DECIMAL_ORACLE")
    if not path:
        pytest.skip("DECIMAL_ORACLE is not set (run through ctest)")
    out = subprocess.run([path], input="\n".join(lines) + "\n", capture_output=True, text=True,
                         check=True).stdout.splitlines()
    assert len(out) == len(lines)
    return out


def text(coefficient, scale):
    """Plain notation with the scale, as Decimal::ToString prints it."""
    digits = str(abs(coefficient)).rjust(scale + 1, "0")
    body = digits if scale == 0 else digits[:-scale] + "." + digits[-scale:]
    return ("-" if coefficient < 0 else "") + body


def as_decimal(coefficient, scale):
    return Decimal(coefficient).scaleb(-scale, EXACT)


def digit_count(n):
    return len(str(abs(n)))


def fit(coefficient, scale):
    """An exact result: drop trailing fractional zeros only while it does not fit."""
    while (digit_count(coefficient) > MAX_DIGITS or scale > MAX_SCALE) and scale > 0 \
            and coefficient % 10 == 0:
        coefficient //= 10
        scale -= 1
    if digit_count(coefficient) > MAX_DIGITS or scale > MAX_SCALE:
        return "overflow"
    return text(coefficient, scale)


def coefficient_at(value, scale):
    scaled = value.scaleb(scale, EXACT)
    assert scaled == scaled.to_integral_value(), (value, scale)
    return int(scaled)


# ---- the specification, with Python's decimal ----------------------------

def expect_parse(s):
    match = re.fullmatch(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE]([+-]?[0-9]+))?", s)
    if not match:
        return "invalid"
    if match.group(4) and abs(int(match.group(4))) > 10**6:
        return "invalid"  # far outside any scale (and beyond what Decimal() reads)
    value = Decimal(s)
    sign, digits, exponent = value.as_tuple()
    coefficient = int("".join(map(str, digits)) or "0") * (-1 if sign else 1)
    scale = -exponent
    if scale < 0:
        coefficient *= 10**-scale
        scale = 0
    # Trailing fractional zeros are not significant: dropped when the written
    # form would not fit, as for the results of + - * (the value is exact).
    result = fit(coefficient, scale)
    return "invalid" if result == "overflow" else result


def expect_add(a, b, negate_b=False):
    (ca, sa), (cb, sb) = a, b
    if negate_b:
        cb = -cb
    scale = max(sa, sb)
    total = EXACT.add(as_decimal(ca, sa), as_decimal(cb, sb))
    return fit(coefficient_at(total, scale), scale)


def expect_mul(a, b):
    (ca, sa), (cb, sb) = a, b
    product = EXACT.multiply(as_decimal(ca, sa), as_decimal(cb, sb))
    return fit(coefficient_at(product, sa + sb), sa + sb)


def min_exact_scale(q):
    """The smallest scale >= 0 at which q is an integer, or None (not terminating)."""
    for scale in range(0, 400):
        if q.scaleb(scale, EXACT) == q.scaleb(scale, EXACT).to_integral_value():
            return scale
    return None


def expect_div(a, b):
    (ca, sa), (cb, sb) = a, b
    if cb == 0:
        return "division_by_zero"
    preferred = max(sa - sb, 0)
    if ca == 0:
        return text(0, preferred)
    ctx = EXACT.copy()
    ctx.clear_flags()
    q = ctx.divide(as_decimal(ca, sa), as_decimal(cb, sb))
    if not ctx.flags[decimal.Inexact]:
        scale = min_exact_scale(q)
        coefficient = coefficient_at(q, scale)
        if digit_count(coefficient) <= MAX_DIGITS and scale <= MAX_SCALE:
            while scale < min(preferred, MAX_SCALE) and digit_count(coefficient) < MAX_DIGITS:
                coefficient *= 10
                scale += 1
            return text(coefficient, scale)
    # Inexact (or too long): half-even at 28 significant digits, scale 0..38.
    msd = q.adjusted()
    if msd >= MAX_DIGITS:
        return "overflow"
    scale = min(max(DIVISION_DIGITS - 1 - msd, 0), MAX_SCALE)
    rounded = q.quantize(Decimal(1).scaleb(-scale), rounding=ROUND_HALF_EVEN, context=EXACT)
    coefficient = coefficient_at(rounded, scale)
    if digit_count(coefficient) > MAX_DIGITS:
        if scale == 0:
            return "overflow"
        coefficient //= 10
        scale -= 1
    return text(coefficient, scale)


def expect_mod(a, b):
    (ca, sa), (cb, sb) = a, b
    if cb == 0:
        return "division_by_zero"
    scale = max(sa, sb)
    remainder = EXACT.remainder(as_decimal(ca, sa), as_decimal(cb, sb))  # truncating
    return text(coefficient_at(remainder, scale), scale)


def expect_round(a, digits, mode):
    ca, sa = a
    if not -MAX_SCALE <= digits <= MAX_SCALE:
        return "invalid"
    rounding = ROUND_HALF_EVEN if mode == "even" else ROUND_HALF_UP
    rounded = as_decimal(ca, sa).quantize(Decimal(1).scaleb(-digits), rounding=rounding,
                                          context=EXACT)
    scale = max(digits, 0)
    coefficient = coefficient_at(rounded, scale)
    if digit_count(coefficient) > MAX_DIGITS:
        return "overflow"
    return text(coefficient, scale)


def expect_cmp(a, b):
    x, y = as_decimal(*a), as_decimal(*b)
    return str((x > y) - (x < y))


# ---- operands -------------------------------------------------------------

def random_operand(rng):
    kind = rng.random()
    if kind < 0.25:  # money: a few digits, two places
        coefficient, scale = rng.randrange(0, 10**rng.randint(1, 12)), rng.choice([0, 1, 2, 2, 2, 4])
    elif kind < 0.45:  # the edges, at a few scales, and their neighbours
        coefficient = rng.choice(EDGE_COEFFICIENTS) + rng.choice([0, 0, 0, -1, 1])
        coefficient = min(max(coefficient, 0), 10**MAX_DIGITS - 1)
        scale = rng.choice([0, 0, 1, 2, 9, 18, 19, 28, 37, 38])
    else:  # any number of digits, any scale
        coefficient = rng.randrange(0, 10**rng.randint(1, MAX_DIGITS))
        scale = rng.randint(0, MAX_SCALE)
    if rng.random() < 0.4:
        coefficient = -coefficient
    return coefficient, scale


def random_parse_text(rng):
    kind = rng.random()
    if kind < 0.5:
        coefficient, scale = random_operand(rng)
        s = text(coefficient, scale)
        if rng.random() < 0.2:
            s = "+" + s.lstrip("-")
        if rng.random() < 0.3:
            s += rng.choice("eE") + rng.choice(["", "+", "-"]) + str(rng.randint(0, 45))
        return s
    if kind < 0.8:  # digit strings around 38 significant digits, leading zeros, bare points
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 45)))
        point = rng.randint(0, len(digits))
        s = rng.choice(["", "-", "+"]) + "0" * rng.randint(0, 3) + digits[:point] + "." + digits[point:]
        return s.replace(".", "") if rng.random() < 0.3 else s
    return rng.choice(["", ".", "-", "+.", "1..2", "1e", "e5", "1.2.3", "--1", "1_000", "inf", "nan",
                       "0x10", " 1", "1 ", "1e+", "١٢", "1e99999999999999999999", ".e1", "5."])


CASES = []


def build_cases():
    rng = random.Random(SEED)
    for _ in range(CASES_PER_OPERATION):
        s = random_parse_text(rng)
        if " " in s or s == "":
            continue  # the oracle reads whitespace-separated words
        CASES.append(("parse " + s, expect_parse(s)))
    binary = {"add": expect_add, "sub": lambda a, b: expect_add(a, b, negate_b=True),
              "mul": expect_mul, "div": expect_div, "mod": expect_mod, "cmp": expect_cmp}
    for op, expect in binary.items():
        for _ in range(CASES_PER_OPERATION):
            a, b = random_operand(rng), random_operand(rng)
            if op in ("div", "mod") and rng.random() < 0.02:
                b = (0, rng.randint(0, 3))
            if op == "div" and rng.random() < 0.1:
                # An exact tie where the quotient's scale passes 38: half-even decides.
                a = ((rng.randrange(0, 10**rng.randint(1, 30)) * 10 + 5) * rng.choice([1, -1]), 38)
                b = (rng.choice([10, 100, 1000]) * rng.choice([1, -1]), rng.randint(0, 1))
            if op == "cmp" and rng.random() < 0.2:  # equal values at different scales
                extra = rng.randint(0, MAX_SCALE - a[1])
                if digit_count(a[0] * 10**extra) <= MAX_DIGITS:
                    b = (a[0] * 10**extra, a[1] + extra)
            CASES.append((f"{op} {text(*a)} {text(*b)}", expect(a, b)))
    for _ in range(CASES_PER_OPERATION):
        a = random_operand(rng)
        digits = rng.randint(-40, 40)
        mode = rng.choice(["even", "away"])
        if rng.random() < 0.3 and a[1] > 0:  # exactly half: 5 in the first dropped place
            digits = rng.randint(0, a[1] - 1)
            a = ((abs(a[0]) // 10**(a[1] - digits) * 10 + 5) * 10**(a[1] - digits - 1)
                 * (-1 if a[0] < 0 else 1), a[1])
            if digit_count(a[0]) > MAX_DIGITS:
                continue
        CASES.append((f"round {text(*a)} {digits} {mode}", expect_round(a, digits, mode)))


build_cases()


@pytest.mark.parametrize("op", ["parse", "add", "sub", "mul", "div", "mod", "round", "cmp"])
def test_matches_python_decimal(op):
    cases = [(line, want) for line, want in CASES if line.split()[0] == op]
    assert len(cases) > 1000
    got = oracle([line for line, _ in cases])
    wrong = [f"{line}: got {g}, want {want}" for (line, want), g in zip(cases, got) if g != want]
    assert not wrong, f"{len(wrong)} of {len(cases)} differ, e.g.\n" + "\n".join(wrong[:20])


def test_the_cases_reach_every_outcome():
    """The generator is not vacuous: overflow, rounding and exact paths all occur."""
    outcomes = {want for _, want in CASES}
    assert "overflow" in outcomes and "invalid" in outcomes and "division_by_zero" in outcomes
    divisions = [want for line, want in CASES if line.startswith("div ")]
    assert sum(1 for w in divisions if len(w.replace("-", "").replace(".", "").lstrip("0")) == 28) > 100
