# POLICY_STATIC=ON: the third-party libraries as the static archives Debian ships,
# under the target names the dynamic build uses (cmake/dependencies.cmake), so
# nothing else in the build knows the difference. policy-check is then linked
# with -static (CMakeLists.txt): no NEEDED library at all, not even the C library.
#
# Debian 12's archives:  yaml-cpp, libfyaml, RE2, ICU (uc + data): libX.a in the -dev
# package. fmt: libfmt-dev has no libfmt.a, so fmt is used header-only
# (FMT_HEADER_ONLY, its format-inl.h ships in libfmt-dev); the result is the same code.
# libstdc++, libgcc, glibc: their .a come with GCC and libc6-dev.
include_guard(GLOBAL)

function(policy_static_archive out name)
  unset(${out})  # find_library does not search again for a variable already set
  unset(${out} CACHE)
  find_library(${out} NAMES lib${name}.a NO_CACHE)
  if(NOT ${out})
    message(FATAL_ERROR "POLICY_STATIC: no lib${name}.a (install its Debian -dev package)")
  endif()
  set(${out} ${${out}} PARENT_SCOPE)
endfunction()

# fmt, header-only: FMT_HEADER_ONLY on the sources that include <fmt/...> only
# (policy_static_fmt_sources, below), so every other object keeps the flags of
# the dynamic build and ccache serves it from that build.
find_path(POLICY_FMT_INCLUDE fmt/format-inl.h REQUIRED)
add_library(fmt::fmt INTERFACE IMPORTED)
set_target_properties(fmt::fmt PROPERTIES INTERFACE_INCLUDE_DIRECTORIES ${POLICY_FMT_INCLUDE})

# Called once the targets exist: every .cpp under DIRS that includes <fmt/...>.
function(policy_static_fmt_sources)
  foreach(dir IN LISTS ARGN)
    file(GLOB_RECURSE sources ${PROJECT_SOURCE_DIR}/${dir}/*.cpp)
    set(users "")
    foreach(source IN LISTS sources)
      file(STRINGS ${source} fmt_includes REGEX "^#include <fmt/")
      if(fmt_includes)
        list(APPEND users ${source})
      endif()
    endforeach()
    if(users)
      set_source_files_properties(${users} DIRECTORY ${PROJECT_SOURCE_DIR}/${dir}
                                  PROPERTIES COMPILE_DEFINITIONS FMT_HEADER_ONLY=1)
    endif()
  endforeach()
  # A header including fmt would bring it into sources this scan does not mark.
  file(GLOB_RECURSE headers ${PROJECT_SOURCE_DIR}/libpolicy/*.h ${PROJECT_SOURCE_DIR}/cli/*.h)
  foreach(header IN LISTS headers)
    file(STRINGS ${header} fmt_includes REGEX "^#include <fmt/")
    if(fmt_includes)
      message(FATAL_ERROR "POLICY_STATIC: ${header} includes fmt; mark its includers FMT_HEADER_ONLY")
    endif()
  endforeach()
endfunction()

find_path(POLICY_YAML_CPP_INCLUDE yaml-cpp/yaml.h REQUIRED)
policy_static_archive(yaml_cpp_a yaml-cpp)
add_library(yaml-cpp STATIC IMPORTED)
set_target_properties(yaml-cpp PROPERTIES IMPORTED_LOCATION ${yaml_cpp_a}
                                          INTERFACE_INCLUDE_DIRECTORIES ${POLICY_YAML_CPP_INCLUDE})

# pkg-config for the include directories; the archives by name, with the
# libraries each archive needs in turn (pkg-config --static).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
foreach(spec "RE2;re2;re2;" "FYAML;libfyaml;fyaml;" "ICU;icu-uc;icuuc;icudata")
  list(GET spec 0 prefix)
  list(GET spec 1 module)
  list(GET spec 2 archive)
  list(GET spec 3 extra)
  pkg_check_modules(${prefix} REQUIRED ${module})
  policy_static_archive(main_a ${archive})
  set(links Threads::Threads m)
  if(extra)
    policy_static_archive(extra_a ${extra})
    list(PREPEND links ${extra_a})
  endif()
  add_library(PkgConfig::${prefix} STATIC IMPORTED)
  set_target_properties(PkgConfig::${prefix} PROPERTIES IMPORTED_LOCATION ${main_a}
    INTERFACE_INCLUDE_DIRECTORIES "${${prefix}_INCLUDE_DIRS}"
    INTERFACE_COMPILE_OPTIONS "${${prefix}_CFLAGS_OTHER}"
    INTERFACE_LINK_LIBRARIES "${links}")
endforeach()
