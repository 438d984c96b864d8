# cpack -G DEB (in the build directory) -> policy-check_<version>_amd64.deb:
# the command, the rule packs as files (they are also built in) and the docs.
# The library, headers and Python module are for builders and stay out (they
# install with `cmake --install` and `pip install .`). Depends is computed by
# dpkg-shlibdeps (dpkg-dev, pulled in by build-essential) from the binary's
# NEEDED libraries, so it follows whatever the build linked, static or not.
include(GNUInstallDirs)

install(FILES README.md CHANGELOG.md LICENSE NOTICE SECURITY.md
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/policy-check COMPONENT cli)
install(FILES docs/CLI.md docs/LANGUAGE.md docs/RULES.md docs/DIAGNOSTICS.md docs/ci.md
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/policy-check COMPONENT cli)

set(CPACK_PACKAGE_NAME policy-check)
set(CPACK_PACKAGE_VERSION ${libpolicy_VERSION})
set(CPACK_PACKAGE_VENDOR "libpolicy")
set(CPACK_PACKAGE_CONTACT "libpolicy maintainers <policy-check@users.noreply.github.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Readiness and compliance rules as code for docker-compose files and records")
set(CPACK_PACKAGE_DESCRIPTION
    "policy-check compiles a small rule language and checks docker-compose files and CSV, TSV, JSON Lines, JSON and YAML records against it, with built-in readiness and Bangladesh invoice packs. Output as text, JSON, SARIF, JUnit, Markdown or GitHub annotations.")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)

# One package of the command's components (see install.cmake and above).
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_GROUPING ALL_COMPONENTS_IN_ONE)
set(CPACK_COMPONENTS_ALL cli)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)

set(CPACK_GENERATOR DEB)
set(CPACK_SOURCE_GENERATOR TGZ)
set(CPACK_SOURCE_IGNORE_FILES "/\\\\.git/" "/build[^/]*/" "__pycache__")
include(CPack)
