# What `cmake --install` puts under the prefix, and the exported package
# that find_package(endaccept-conformance) reads:
#
#   bin/endaccept-conformance                       the runner (the judge)
#   share/endaccept-conformance/                    run_conformance.py, harness/python, spec, cases,
#                                                   the report schema, installed-layout.json
#   include/endaccept/, lib/libendaccept_*.a        the host library, the asio reference, the contract kit
#   lib/cmake/endaccept-conformance/                config, version, targets, endaccept_add_conformance_test()
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(ENDACCEPT_INSTALL_DATADIR ${CMAKE_INSTALL_DATADIR}/endaccept-conformance)
set(ENDACCEPT_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/endaccept-conformance)

set(exported_libraries endaccept_adapter_host endaccept_contract_kit)
if(TARGET endaccept_asio_ref)
  list(APPEND exported_libraries endaccept_asio_ref)
endif()
# What an install needs built, and no more (docs/ci/run-suite.sh builds it).
add_custom_target(endaccept-package DEPENDS ${exported_libraries} endaccept-conformance)
install(TARGETS ${exported_libraries} EXPORT endaccept-conformance-targets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS endaccept-conformance EXPORT endaccept-conformance-targets
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
foreach(include_dir adapters/host/include adapters/host/contract_kit/include adapters/asio/include)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${include_dir}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
endforeach()

# The driver, and what it and the runner read, in the shape of a checkout
# (run_conformance.py beside spec/, cases/, reports/schema/), so that the
# driver's paths hold from the prefix too.
install(PROGRAMS ${PROJECT_SOURCE_DIR}/run_conformance.py DESTINATION ${ENDACCEPT_INSTALL_DATADIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/harness/python DESTINATION ${ENDACCEPT_INSTALL_DATADIR}/harness
        PATTERN __pycache__ EXCLUDE PATTERN "*.pyc" EXCLUDE)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/spec ${PROJECT_SOURCE_DIR}/cases DESTINATION ${ENDACCEPT_INSTALL_DATADIR})
install(FILES ${PROJECT_SOURCE_DIR}/reports/README.md DESTINATION ${ENDACCEPT_INSTALL_DATADIR}/reports)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/reports/schema DESTINATION ${ENDACCEPT_INSTALL_DATADIR}/reports)
# Tells the driver it runs from a prefix: where the runner is (relative, so
# that the prefix can move), and that nothing is to be built.
file(RELATIVE_PATH runner_from_data ${CMAKE_INSTALL_PREFIX}/${ENDACCEPT_INSTALL_DATADIR}
     ${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/endaccept-conformance)
file(WRITE ${PROJECT_BINARY_DIR}/package/installed-layout.json
     "{\n  \"version\": \"${PROJECT_VERSION}\",\n  \"runner\": \"${runner_from_data}\"\n}\n")
install(FILES ${PROJECT_BINARY_DIR}/package/installed-layout.json DESTINATION ${ENDACCEPT_INSTALL_DATADIR})

install(EXPORT endaccept-conformance-targets NAMESPACE endaccept:: DESTINATION ${ENDACCEPT_INSTALL_CMAKEDIR})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/endaccept-conformance-config.cmake.in
                              ${PROJECT_BINARY_DIR}/package/endaccept-conformance-config.cmake
                              INSTALL_DESTINATION ${ENDACCEPT_INSTALL_CMAKEDIR}
                              PATH_VARS ENDACCEPT_INSTALL_DATADIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/package/endaccept-conformance-config-version.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/package/endaccept-conformance-config.cmake
              ${PROJECT_BINARY_DIR}/package/endaccept-conformance-config-version.cmake
              ${CMAKE_CURRENT_LIST_DIR}/EndacceptConformanceTest.cmake
        DESTINATION ${ENDACCEPT_INSTALL_CMAKEDIR})
