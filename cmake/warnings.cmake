# One place for the warning set: every target of ours calls policy_warnings().
function(policy_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic $<$<CXX_COMPILER_ID:GNU>:-Wshadow=local>
    $<$<CXX_COMPILER_ID:Clang>:-Wno-c++98-compat -Wno-gnu-zero-variadic-macro-arguments>)
  if(POLICY_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
