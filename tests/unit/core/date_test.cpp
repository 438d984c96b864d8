#include "libpolicy/date.h"

#include <doctest/doctest.h>

using policy::Date;

TEST_CASE("date: day numbers start at 0001-01-01") {
  auto first = Date::FromYmd(1, 1, 1);
  REQUIRE(first);
  CHECK(first->days() == 0);
  CHECK(first->ToString() == "0001-01-01");
  auto unix_epoch = Date::FromYmd(1970, 1, 1);
  REQUIRE(unix_epoch);
  CHECK(unix_epoch->days() == 719162);
  auto last = Date::FromYmd(9999, 12, 31);
  REQUIRE(last);
  CHECK(last->ToString() == "9999-12-31");
  CHECK(last->days() == 3652058);
}

TEST_CASE("date: every day round-trips through its day number") {
  int32_t expected = 0;
  int mismatches = 0;
  for (int y = 1; y <= 9999; y += (y < 2100 ? 1 : 37)) {
    for (int m = 1; m <= 12; ++m) {
      for (int d = 1; d <= 31; ++d) {
        auto date = Date::FromYmd(y, m, d);
        if (!date) continue;
        auto ymd = date->ToYmd();
        if (ymd.year != y || ymd.month != m || ymd.day != d) ++mismatches;
        if (y < 2100) {
          if (date->days() != expected) ++mismatches;  // consecutive days, no gaps
          ++expected;
        }
      }
    }
  }
  CHECK(mismatches == 0);
  CHECK(expected == 766644);  // days in 0001..2099
}

TEST_CASE("date: leap years") {
  CHECK(Date::FromYmd(2024, 2, 29));
  CHECK(!Date::FromYmd(2023, 2, 29));
  CHECK(!Date::FromYmd(1900, 2, 29));
  CHECK(Date::FromYmd(2000, 2, 29));
  CHECK(!Date::FromYmd(2024, 2, 30));
  CHECK(!Date::FromYmd(2024, 4, 31));
  CHECK(!Date::FromYmd(2024, 13, 1));
  CHECK(!Date::FromYmd(2024, 0, 1));
  CHECK(!Date::FromYmd(2024, 1, 0));
  CHECK(!Date::FromYmd(0, 1, 1));
  CHECK(!Date::FromYmd(10000, 1, 1));
}

TEST_CASE("date: ISO parsing is exact") {
  auto d = Date::ParseIso("2024-07-01");
  REQUIRE(d);
  CHECK(d->ToString() == "2024-07-01");
  for (const char* bad :
       {"2024-02-30", "2024-7-01", "2024-07-1", "24-07-01", "2024/07/01", " 2024-07-01",
        "2024-07-01 ", "2024-07-01T00:00", "", "0000-01-01", "abcd-ef-gh", "2024-13-01"}) {
    CHECK_MESSAGE(!Date::ParseIso(bad), bad);
  }
}

TEST_CASE("date: patterns") {
  CHECK(Date::IsValidPattern("DD/MM/YYYY"));
  CHECK(Date::IsValidPattern("YYYY-MM-DD"));
  CHECK(Date::IsValidPattern("YYYYMMDD"));
  CHECK(Date::IsValidPattern("MM.DD.YYYY"));
  CHECK(!Date::IsValidPattern("DD/MM/YY"));
  CHECK(!Date::IsValidPattern("DD/MM/YYYY/DD"));
  CHECK(!Date::IsValidPattern("DD MMM YYYY"));
  CHECK(!Date::IsValidPattern(""));
  auto d = Date::Parse("31/12/2023", "DD/MM/YYYY");
  REQUIRE(d);
  CHECK(d->ToString() == "2023-12-31");
  auto compact = Date::Parse("20240229", "YYYYMMDD");
  REQUIRE(compact);
  CHECK(compact->ToString() == "2024-02-29");
  CHECK(!Date::Parse("30/02/2024", "DD/MM/YYYY"));
  CHECK(!Date::Parse("31-12-2023", "DD/MM/YYYY"));
  CHECK(!Date::Parse("1/12/2023", "DD/MM/YYYY"));
  CHECK(!Date::Parse("31/12/2023x", "DD/MM/YYYY"));
  CHECK(!Date::Parse("31/12/2023", "DD/MM/YY"));
}

TEST_CASE("date: arithmetic and order") {
  auto d = *Date::FromYmd(2024, 2, 28);
  CHECK(d.AddDays(1)->ToString() == "2024-02-29");
  CHECK(d.AddDays(2)->ToString() == "2024-03-01");
  CHECK(d.AddDays(-59)->ToString() == "2023-12-31");
  CHECK(!Date::FromYmd(1, 1, 1)->AddDays(-1));
  CHECK(!Date::FromYmd(9999, 12, 31)->AddDays(1));
  CHECK(!d.AddDays(INT64_MAX));
  CHECK(!d.AddDays(INT64_MIN));
  CHECK(*Date::FromYmd(2024, 1, 1) < *Date::FromYmd(2024, 1, 2));
  CHECK(*Date::FromYmd(2024, 1, 1) == *Date::ParseIso("2024-01-01"));
}
