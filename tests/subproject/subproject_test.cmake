# Builds tests/subproject, a parent project that pulls libpolicy in with
# add_subdirectory, into WORK (offline: every dependency is a Debian package).
# First configured with no build type and no launcher, to show the library
# forces neither; then with the main build's type, flags and launcher, so that
# ccache serves the library's objects the main build already compiled. That
# needs WORK beside the main build directory: ccache hashes paths relative to
# the compiler's working directory, so both must be the same distance from the
# sources (inside the build directory every lookup misses, and the library
# builds from scratch: minutes instead of seconds).
# Usage: cmake -DSOURCE_DIR= -DWORK= -DGENERATOR= -DCC= -DCXX= -DBUILD_TYPE=
#              -DLAUNCHER= -DWERROR= [-DCCACHE_BASEDIR= -DCCACHE_NOHASHDIR=] -P subproject_test.cmake
function(run)
  execute_process(COMMAND ${ARGN} WORKING_DIRECTORY ${WORK}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${ARGN}\nexited ${rc}\n${out}\n${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
set(configure ${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/subproject -B ${WORK} -G ${GENERATOR}
    -DCMAKE_C_COMPILER=${CC} -DCMAKE_CXX_COMPILER=${CXX} -DLIBPOLICY_SOURCE_DIR=${SOURCE_DIR})

run(${configure})
run(${configure} -DCMAKE_BUILD_TYPE=${BUILD_TYPE} -DEXPECT_BUILD_TYPE=${BUILD_TYPE}
    -DCMAKE_C_COMPILER_LAUNCHER=${LAUNCHER} -DCMAKE_CXX_COMPILER_LAUNCHER=${LAUNCHER}
    -DEXPECT_LAUNCHER=${LAUNCHER} -DPOLICY_WERROR=${WERROR})
# With the ccache settings the main build was configured with (scripts/build.sh
# sets CCACHE_BASEDIR and CCACHE_NOHASHDIR), so the cache keys match.
set(ccache_env)
foreach(var CCACHE_BASEDIR CCACHE_NOHASHDIR)
  if(${var})
    list(APPEND ccache_env ${var}=${${var}})
  endif()
endforeach()
run(${CMAKE_COMMAND} -E env ${ccache_env} ${CMAKE_COMMAND} --build ${WORK} --target subproject_consumer)
run(${WORK}/subproject_consumer)
if(NOT out MATCHES "subproject consumer: ok")
  message(FATAL_ERROR "subproject_consumer printed:\n${out}")
endif()
file(REMOVE_RECURSE ${WORK})
message(STATUS "subproject test: ok")
