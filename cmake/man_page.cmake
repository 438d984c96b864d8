# policy-check(1): help2man runs the built binary's --help and adds the sections
# of cli/policy-check.h2m, then gzip -9n (Debian installs man pages compressed).
# The date on the page is the commit's, when there is one, so that a rebuild of
# the same commit gives the same page.
# cmake -DHELP2MAN=... -DBINARY=... -DINCLUDE=... -DVERSION=... -DSOURCE_DIR=... -DOUT=x.1.gz -P man_page.cmake
find_program(GIT git)
if(GIT AND NOT DEFINED ENV{SOURCE_DATE_EPOCH})
  execute_process(COMMAND ${GIT} -C ${SOURCE_DIR} log -1 --format=%ct RESULT_VARIABLE rc
                  OUTPUT_VARIABLE epoch OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(rc EQUAL 0 AND epoch MATCHES "^[0-9]+$")
    set(ENV{SOURCE_DATE_EPOCH} ${epoch})
  endif()
endif()
string(REGEX REPLACE "\\.gz$" "" page ${OUT})
execute_process(COMMAND ${HELP2MAN} --no-info --no-discard-stderr --version-string=${VERSION}
                        --include=${INCLUDE} --output=${page} ${BINARY}
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT EXISTS ${page})
  message(FATAL_ERROR "help2man failed on ${BINARY}: ${err}")
endif()
execute_process(COMMAND gzip -9nf ${page} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "gzip ${page} failed")
endif()
