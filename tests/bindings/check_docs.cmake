# docs/embedding.md must show each example file verbatim, in a fenced block,
# so the documented code is the code the tests build and run.
file(READ ${SOURCE_DIR}/docs/embedding.md doc)
foreach(pair "example.cpp;cpp" "example.c;c" "example.py;python")
  list(GET pair 0 name)
  list(GET pair 1 lang)
  file(READ ${SOURCE_DIR}/examples/embedding/${name} code)
  string(FIND "${doc}" "```${lang}\n${code}```\n" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "docs/embedding.md does not show examples/embedding/${name} verbatim in a ```${lang} block")
  endif()
endforeach()
message(STATUS "docs/embedding.md shows the three examples")
