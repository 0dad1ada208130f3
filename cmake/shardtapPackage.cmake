# `cpack -G DEB` (or `cmake --build BUILD --target package`): a Debian package of what
# `cmake --install` installs (headers, libshardtap.a, libshardtap_main.a, the CMake package config
# with shardtapDiscoverTests.cmake, bin/shardtap), under /usr. It is for CI machines that should
# not compile shardtap themselves: Heroku's apt buildpack extracts a .deb named in `Aptfile` into
# $HOME/.apt, where find_package(shardtap) finds it through CMAKE_PREFIX_PATH.
#
# Depends pins what the static libraries are bound to, as the package config does:
#   catch2  the upstream version shardtap was built with, any Debian revision of it
#           (3.4.0-1 and 3.4.0-1build1 alike, nothing later); the package config refuses any
#           other Catch2 at configure time, so apt should refuse it first.
#   libfmt-dev  the major version built with: the libraries call fmt's compiled functions,
#           whose symbols carry the major version (fmt::v9).
#   the libraries bin/shardtap links (dpkg-shlibdeps, where it is installed).
# Build it on the distribution it is for (Ubuntu 24.04 for Heroku's heroku-24 stack, with its
# catch2 3.4.0 and libfmt-dev 9), in Release.
string(REGEX MATCH "^[0-9]+\\.[0-9]+\\.[0-9]+" shardtap_catch2_pin "${SHARDTAP_CATCH2_VERSION}")
string(REGEX REPLACE "^([0-9]+\\.[0-9]+)\\.([0-9]+)$" "\\1" shardtap_catch2_minor "${shardtap_catch2_pin}")
string(REGEX REPLACE "^([0-9]+\\.[0-9]+)\\.([0-9]+)$" "\\2" shardtap_catch2_patch "${shardtap_catch2_pin}")
math(EXPR shardtap_catch2_next_patch "${shardtap_catch2_patch} + 1")
string(REGEX MATCH "^[0-9]+" shardtap_fmt_major "${fmt_VERSION}")
math(EXPR shardtap_fmt_next_major "${shardtap_fmt_major} + 1")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME shardtap)
set(CPACK_PACKAGE_VENDOR "shardtap")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Split a Catch2 suite across parallel CI nodes, report it as TAP (built with Catch2 ${shardtap_catch2_pin})")
set(CPACK_PACKAGE_DESCRIPTION
    "shardtap::shardtap, shardtap::main and the shardtap command, prebuilt so that a CI node\nlinks shardtap instead of compiling it. The static libraries are bound to Catch2\n${shardtap_catch2_pin}, which the package config checks and Depends pins.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(SHARDTAP_DEB_MAINTAINER "shardtap developers" CACHE STRING "Maintainer field of the .deb")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${SHARDTAP_DEB_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "catch2 (>= ${shardtap_catch2_pin}), catch2 (<< ${shardtap_catch2_minor}.${shardtap_catch2_next_patch}~), libfmt-dev (>= ${shardtap_fmt_major}), libfmt-dev (<< ${shardtap_fmt_next_major}~)")
find_program(SHARDTAP_DPKG_SHLIBDEPS dpkg-shlibdeps)
mark_as_advanced(SHARDTAP_DPKG_SHLIBDEPS)
if(SHARDTAP_DPKG_SHLIBDEPS)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
endif()
include(CPack)
