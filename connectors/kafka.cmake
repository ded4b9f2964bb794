find_package(PkgConfig REQUIRED)
pkg_check_modules(RDKAFKA REQUIRED IMPORTED_TARGET rdkafka)
target_link_libraries(tributary_connectors PUBLIC PkgConfig::RDKAFKA)
