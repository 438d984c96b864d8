# Installs the build into a fresh prefix, checks what landed there, builds the
# consumer project (tests/bindings/consumer) against it with find_package, runs
# it and the embedding examples, compiles the C example through pkg-config, and
# imports the installed Python package.
# Usage: cmake -DBUILD_DIR= -DSOURCE_DIR= -DWORK= -DGENERATOR= -DCC= -DCXX= -DHAVE_CLI=
#              [-DPYTHON= -DPYTHON_DIR=] -P install_test.cmake
function(run)
  cmake_parse_arguments(R "" "WORKING_DIRECTORY;OUTPUT;EXPECT_RC" "COMMAND;ENV" ${ARGN})
  if(NOT DEFINED R_EXPECT_RC)
    set(R_EXPECT_RC 0)
  endif()
  if(NOT R_WORKING_DIRECTORY)
    set(R_WORKING_DIRECTORY ${WORK})
  endif()
  execute_process(COMMAND ${CMAKE_COMMAND} -E env ${R_ENV} ${R_COMMAND} WORKING_DIRECTORY ${R_WORKING_DIRECTORY}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc STREQUAL R_EXPECT_RC)
    message(FATAL_ERROR "${R_COMMAND}\nexited ${rc}, expected ${R_EXPECT_RC}\n${out}\n${err}")
  endif()
  if(R_OUTPUT)
    set(${R_OUTPUT} "${out}" PARENT_SCOPE)
  endif()
endfunction()

function(expect_match text regex what)
  if(NOT text MATCHES "${regex}")
    message(FATAL_ERROR "${what}: no match for ${regex} in\n${text}")
  endif()
endfunction()

set(PREFIX ${WORK}/prefix)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
run(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX})

# What a user expects to find under the prefix.
set(expected include/libpolicy/engine.h include/libpolicy/finding.h include/libpolicy/diagnostic.h
             include/libpolicy/report.h include/libpolicy/policy.h share/libpolicy/rules/readiness)
if(HAVE_CLI)
  list(APPEND expected bin/policy-check)
endif()
foreach(f IN LISTS expected)
  if(NOT EXISTS ${PREFIX}/${f})
    message(FATAL_ERROR "not installed: ${f}")
  endif()
endforeach()
file(GLOB_RECURSE libs RELATIVE ${PREFIX} ${PREFIX}/lib*/libpolicy* ${PREFIX}/lib*/*/libpolicy*)
# The shared library's full version is the project's (VERSION, from the one place).
string(REPLACE "." "\\." version_re "${VERSION}")
foreach(pattern "libpolicy\\.a" "libpolicy_c\\.so\\.${version_re}" "libpolicy_c\\.so\\.0[;]" "libpolicy_c\\.so[;]"
                "cmake/libpolicy/libpolicyConfig\\.cmake" "cmake/libpolicy/libpolicyConfigVersion\\.cmake"
                "pkgconfig/libpolicy\\.pc" "pkgconfig/libpolicy-c\\.pc")
  expect_match("${libs};" "${pattern}" "installed libraries")
endforeach()
# Only the public headers: nothing from the private layers.
file(GLOB_RECURSE headers RELATIVE ${PREFIX}/include/libpolicy ${PREFIX}/include/libpolicy/*)
list(SORT headers)
if(NOT headers STREQUAL "diagnostic.h;engine.h;finding.h;partition.h;policy.h;report.h")
  message(FATAL_ERROR "installed headers: ${headers}")
endif()

# The installed CLI runs with the installed rules.
if(HAVE_CLI)
  run(COMMAND ${PREFIX}/bin/policy-check --no-builtin --rules ${PREFIX}/share/libpolicy/rules
              ${SOURCE_DIR}/examples/compose.yaml EXPECT_RC 1 OUTPUT out)
  expect_match("${out}" "RDY-" "policy-check with the installed rules")
endif()

# A separate project finds the package and builds.
run(COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/bindings/consumer -B ${WORK}/consumer -G ${GENERATOR} -DLIBPOLICY_VERSION=${VERSION}
            -DCMAKE_PREFIX_PATH=${PREFIX} -DCMAKE_C_COMPILER=${CC} -DCMAKE_CXX_COMPILER=${CXX}
            -DEXAMPLES_DIR=${SOURCE_DIR}/examples/embedding)
run(COMMAND ${CMAKE_COMMAND} --build ${WORK}/consumer)
run(COMMAND ${WORK}/consumer/consumer OUTPUT out)
expect_match("${out}" "consumer: ok" "consumer")
foreach(example example_cpp example_c)
  run(COMMAND ${WORK}/consumer/${example} ${SOURCE_DIR}/examples/rules examples/compose.yaml
      WORKING_DIRECTORY ${SOURCE_DIR} EXPECT_RC 1 OUTPUT out)
  expect_match("${out}" "examples/compose.yaml:41:12: error: [^\n]*\\[EX-IMG-001\\]" ${example})
endforeach()

# The C example through pkg-config, as a Makefile would build it.
find_program(PKG_CONFIG pkg-config REQUIRED)
file(GLOB pcdir ${PREFIX}/lib*/pkgconfig ${PREFIX}/lib*/*/pkgconfig)
run(COMMAND ${PKG_CONFIG} --cflags --libs libpolicy-c ENV PKG_CONFIG_PATH=${pcdir} OUTPUT flags)
string(STRIP "${flags}" flags)
separate_arguments(flags UNIX_COMMAND "${flags}")
run(COMMAND ${CC} -std=c99 -Wall -Werror ${SOURCE_DIR}/examples/embedding/example.c ${flags} -o ${WORK}/example_pc)
list(FILTER flags INCLUDE REGEX "^-L")
string(REGEX REPLACE "^-L" "" libdir "${flags}")
run(COMMAND ${WORK}/example_pc ${SOURCE_DIR}/examples/rules examples/compose.yaml ENV LD_LIBRARY_PATH=${libdir}
    WORKING_DIRECTORY ${SOURCE_DIR} EXPECT_RC 1 OUTPUT out)
expect_match("${out}" "\\[EX-IMG-001\\]" "example_c through pkg-config")
# The C++ library's pkg-config file resolves (its Requires exist).
run(COMMAND ${PKG_CONFIG} --exists --print-errors libpolicy ENV PKG_CONFIG_PATH=${pcdir})

# The installed Python package, from where Debian's python3 looks under the prefix.
if(PYTHON)
  run(COMMAND ${PYTHON} ${SOURCE_DIR}/examples/embedding/example.py examples/rules examples/compose.yaml
      ENV PYTHONPATH=${PREFIX}/${PYTHON_DIR} WORKING_DIRECTORY ${SOURCE_DIR} EXPECT_RC 1 OUTPUT out)
  expect_match("${out}" "<records>:2: error: VAT" "installed Python package")
endif()
file(REMOVE_RECURSE ${WORK})
message(STATUS "install test: ok")
