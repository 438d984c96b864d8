# One place for the warning set: every target of ours calls policy_warnings().
# GCC 12's -Wrestrict misfires on `"literal" + std::string` at -O2 (GCC bug 105329),
# so it is off for GCC; Clang still checks what it can. Under the sanitizers GCC 12
# also reports -Wmaybe-uninitialized inside libstdc++'s <regex> and <functional>
# (std::function in regex states), so that one is off in sanitizer builds only;
# the Release build keeps it.
function(policy_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic
    $<$<CXX_COMPILER_ID:GNU>:-Wshadow=local> $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>
    $<$<AND:$<CXX_COMPILER_ID:GNU>,$<OR:$<BOOL:${POLICY_SANITIZE}>,$<BOOL:${POLICY_SANITIZE_THREAD}>>>:-Wno-maybe-uninitialized>
    $<$<CXX_COMPILER_ID:Clang>:-Wno-c++98-compat -Wno-gnu-zero-variadic-macro-arguments>)
  if(POLICY_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
