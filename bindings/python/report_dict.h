#pragma once
// A Report as plain Python data (dicts, lists, str, int) and back: what a
// Dask task returns (it pickles and travels between processes) and what the
// reduce step merges and hands to the library's reporters. Every field of
// the Report is kept, so a report that goes there and back formats as it did.
#include <pybind11/pybind11.h>

#include "libpolicy/finding.h"

namespace policy::python {

// The layout's version: readers reject another (libpolicy/dask.py).
inline constexpr int kReportDictVersion = 1;

pybind11::dict ReportToDict(const Report& report);
Report ReportFromDict(const pybind11::dict& d);

}  // namespace policy::python
