# cmake --install: headers, libpolicy.a (libpolicy::policy), libpolicy_c.so
# (libpolicy::policy_c), policy-check, the built-in rule packs, a CMake package
# (find_package(libpolicy CONFIG)) and pkg-config files (libpolicy, libpolicy-c).
# The Python package installs itself (bindings/python/CMakeLists.txt).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(POLICY_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/libpolicy)

target_include_directories(policy PUBLIC $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
set_target_properties(policy PROPERTIES EXPORT_NAME policy)
install(TARGETS policy EXPORT libpolicyTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
# POLICY_PUBLIC_HEADERS: libpolicy/CMakeLists.txt, where the layers test reads it too.
install(FILES ${POLICY_PUBLIC_HEADERS} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/libpolicy)

if(TARGET policy_c)
  install(FILES ${PROJECT_SOURCE_DIR}/bindings/c/policy.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/libpolicy)
  set_target_properties(policy_c PROPERTIES EXPORT_NAME policy_c)
  install(TARGETS policy_c EXPORT libpolicyTargets
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

if(TARGET policy-check)
  install(TARGETS policy-check RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT cli)
endif()
# Component cli: what the .deb holds (cmake/package.cmake).
install(DIRECTORY ${PROJECT_SOURCE_DIR}/rules/ DESTINATION ${CMAKE_INSTALL_DATADIR}/libpolicy/rules
        COMPONENT cli)

install(EXPORT libpolicyTargets NAMESPACE libpolicy:: DESTINATION ${POLICY_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/libpolicyConfig.cmake.in
  ${PROJECT_BINARY_DIR}/libpolicyConfig.cmake INSTALL_DESTINATION ${POLICY_CMAKE_DIR}
  PATH_VARS CMAKE_INSTALL_DATADIR)
# 0.x: a minor release may break the API, so only the same minor version matches.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/libpolicyConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/libpolicyConfig.cmake ${PROJECT_BINARY_DIR}/libpolicyConfigVersion.cmake
  DESTINATION ${POLICY_CMAKE_DIR})

# Relocatable: paths are relative to the .pc file, so the install can be moved.
file(RELATIVE_PATH POLICY_PC_INCLUDE_REL /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix/${CMAKE_INSTALL_INCLUDEDIR})
set(pc_files libpolicy)
if(TARGET policy_c)
  list(APPEND pc_files libpolicy-c)
endif()
foreach(pc IN LISTS pc_files)
  configure_file(${PROJECT_SOURCE_DIR}/cmake/${pc}.pc.in ${PROJECT_BINARY_DIR}/${pc}.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/${pc}.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endforeach()
