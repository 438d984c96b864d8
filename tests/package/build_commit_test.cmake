# cmake/build_commit.cmake: the short hash of HEAD in our work tree, "unknown" in
# a directory that is not the top of a work tree (a tarball, an sdist, a copy
# unpacked inside some other repository), and the header rewritten only when the
# commit changes. Run with -DSOURCE_DIR=... -DWORK=...
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK}/plain)

function(commit_of dir out)
  execute_process(COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${dir} -DOUT=${WORK}/commit.h
                          -P ${SOURCE_DIR}/cmake/build_commit.cmake RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "build_commit.cmake failed on ${dir}")
  endif()
  file(STRINGS ${WORK}/commit.h line REGEX "POLICY_BUILD_COMMIT")
  string(REGEX REPLACE ".*POLICY_BUILD_COMMIT \"([^\"]*)\".*" "\\1" commit "${line}")
  set(${out} ${commit} PARENT_SCOPE)
endfunction()

# A directory inside the build tree: inside a work tree, but not its top.
commit_of(${WORK}/plain nested)
if(NOT nested STREQUAL "unknown")
  message(FATAL_ERROR "a directory below a work tree's top got commit '${nested}', want unknown")
endif()

find_program(GIT git)
commit_of(${SOURCE_DIR} ours)
if(GIT AND EXISTS ${SOURCE_DIR}/.git)
  execute_process(COMMAND ${GIT} -C ${SOURCE_DIR} rev-parse --short=7 HEAD OUTPUT_VARIABLE head
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT ours STREQUAL head)
    message(FATAL_ERROR "commit '${ours}', git says '${head}'")
  endif()
elseif(NOT ours STREQUAL "unknown")
  message(FATAL_ERROR "no git here, yet commit '${ours}'")
endif()

# Unchanged commit: the header keeps its time stamp, so nothing recompiles.
file(TIMESTAMP ${WORK}/commit.h before "%s%f")
execute_process(COMMAND ${CMAKE_COMMAND} -E sleep 1.1)
commit_of(${SOURCE_DIR} again)
file(TIMESTAMP ${WORK}/commit.h after "%s%f")
if(NOT before STREQUAL after)
  message(FATAL_ERROR "the header was rewritten though the commit did not change")
endif()
file(REMOVE_RECURSE ${WORK})
message(STATUS "build commit: ok (${ours}; unknown outside a work tree's top)")
