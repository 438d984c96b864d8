# One place for the warning set: every target of ours calls policy_warnings().
# GCC 12's -Wrestrict misfires on `"literal" + std::string` at -O2 (GCC bug 105329),
# so it is off for GCC; Clang still checks what it can.
function(policy_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic
    $<$<CXX_COMPILER_ID:GNU>:-Wshadow=local> $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>
    $<$<CXX_COMPILER_ID:Clang>:-Wno-c++98-compat -Wno-gnu-zero-variadic-macro-arguments>)
  if(POLICY_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
