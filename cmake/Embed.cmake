# bespoke_embed(TARGET NAMESPACE ns OUTPUT name FILES f1 f2 ...)
# Compiles the given files into the target as a sorted table of (name, text) pairs,
# so that the binary carries its migrations and templates wherever it is copied.
function(bespoke_embed target)
  cmake_parse_arguments(E "" "NAMESPACE;OUTPUT;BASE" "FILES" ${ARGN})
  set(out_cpp "${CMAKE_CURRENT_BINARY_DIR}/${E_OUTPUT}.cpp")
  add_custom_command(
    OUTPUT "${out_cpp}"
    COMMAND ${CMAKE_COMMAND} -DOUT=${out_cpp} -DNS=${E_NAMESPACE} -DBASE=${E_BASE}
            "-DFILES=${E_FILES}" -P "${PROJECT_SOURCE_DIR}/cmake/EmbedGenerate.cmake"
    DEPENDS ${E_FILES} "${PROJECT_SOURCE_DIR}/cmake/EmbedGenerate.cmake"
    COMMENT "Embedding ${E_OUTPUT}"
    VERBATIM)
  target_sources(${target} PRIVATE "${out_cpp}")
endfunction()
