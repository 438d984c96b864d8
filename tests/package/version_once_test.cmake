# The version is written once: project(libpolicy VERSION ...) in CMakeLists.txt.
# No source, script or build file repeats the literal (docs, the changelog and
# usage examples may). Run with -DSOURCE_DIR=... -DVERSION=...
set(patterns *.cpp *.h *.c *.py *.pyi *.cmake *.in CMakeLists.txt *.toml *.sh *.policy)
list(TRANSFORM patterns PREPEND ${SOURCE_DIR}/)
file(GLOB_RECURSE files ${patterns})
string(REPLACE "." "\\." version_re "${VERSION}")
set(repeats "")
foreach(f IN LISTS files)
  file(RELATIVE_PATH rel ${SOURCE_DIR} ${f})
  # Data (fixtures, corpora, examples) may hold any version-like text, e.g. image tags.
  if(rel MATCHES "^(build[^/]*|out|\\.git|examples|tests/(cases|corpus|fuzz_regressions|hostile))/"
     OR rel MATCHES "^rules/.*/tests/" OR rel STREQUAL "CMakeLists.txt")
    continue()
  endif()
  file(STRINGS ${f} hits REGEX "(^|[^0-9.])${version_re}([^0-9]|$)")
  if(hits)
    list(APPEND repeats ${rel})
  endif()
endforeach()
if(repeats)
  message(FATAL_ERROR "the version ${VERSION} is written again in: ${repeats}; take it from "
                      "project(VERSION) (policy::Version(), libpolicy_VERSION, setup.py reads it)")
endif()
message(STATUS "version ${VERSION}: written once (CMakeLists.txt)")
