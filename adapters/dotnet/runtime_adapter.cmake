# One .NET runtime version as an adapter: the C# source of adapters/dotnet,
# published self-contained for linux-x64 with the runtime pack of that
# version, so it runs without that runtime installed. Each
# adapters/dotnet<version>/CMakeLists.txt calls ea_dotnet_runtime_adapter()
# once; what differs between versions (target framework, and a pack version
# where the SDK would pick one this machine's NuGet feed does not serve) is
# read from that directory's adapter.json, "publish".
#
# The packs come from the local NuGet cache. EA_DOTNET_RUNTIMES says what to
# do when they are not there:
#   auto   build the versions whose packs are cached; skip the others
#          (--list-adapters then says how to get them)
#   fetch  restore the missing packs once, from the machine's NuGet sources
#   off    build no runtime version
set(EA_DOTNET_RUNTIMES auto CACHE STRING "runtime-version adapters: auto (if the packs are cached), fetch, off")
set_property(CACHE EA_DOTNET_RUNTIMES PROPERTY STRINGS auto fetch off)

function(ea_dotnet_runtime_adapter)
  get_filename_component(name ${CMAKE_CURRENT_SOURCE_DIR} NAME)
  find_program(DOTNET dotnet)
  if(NOT DOTNET OR EA_DOTNET_RUNTIMES STREQUAL "off")
    message(STATUS "${name}: not built (dotnet not found, or EA_DOTNET_RUNTIMES=off)")
    return()
  endif()

  file(READ ${CMAKE_CURRENT_SOURCE_DIR}/adapter.json definition)
  string(JSON target_framework GET "${definition}" publish target_framework)
  string(JSON pack_version ERROR_VARIABLE no_pack_version GET "${definition}" publish runtime_framework_version)
  set(project ${CMAKE_CURRENT_SOURCE_DIR}/../dotnet/EndAcceptAdapter.csproj)
  set(build_dir ${CMAKE_BINARY_DIR}/adapters/${name})
  set(program ${build_dir}/out/EndAcceptAdapter)
  # Only the runtime's own packs: ASP.NET Core's would be fetched too otherwise.
  # Old versions are tested on purpose: no end-of-support warning.
  set(properties -p:EaTargetFramework=${target_framework} -p:DisableTransitiveFrameworkReferenceDownloads=true
      -p:CheckEolTargetFramework=false)
  if(NOT no_pack_version)
    list(APPEND properties -p:RuntimeFrameworkVersion=${pack_version})
  endif()
  set(restore ${CMAKE_COMMAND} -E env DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
      ${DOTNET} restore ${project} --runtime linux-x64 ${properties} --artifacts-path ${build_dir}/artifacts --verbosity quiet)

  # Offline first: the adapter's nuget.config clears every source, so this
  # succeeds exactly when the packs are in the local cache.
  execute_process(COMMAND ${restore} RESULT_VARIABLE offline OUTPUT_QUIET ERROR_QUIET)
  if(NOT offline EQUAL 0 AND EA_DOTNET_RUNTIMES STREQUAL "fetch")
    # The user's NuGet configuration (its sources) instead of the adapter's;
    # listing the sources writes the default one on a machine that has none.
    execute_process(COMMAND ${CMAKE_COMMAND} -E env DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
                            ${DOTNET} nuget list source OUTPUT_QUIET ERROR_QUIET)
    set(user_config $ENV{HOME}/.nuget/NuGet/NuGet.Config)
    if(EXISTS ${user_config})
      set(config --configfile ${user_config})
    endif()
    message(STATUS "${name}: fetching the ${target_framework} runtime packs")
    execute_process(COMMAND ${restore} ${config} RESULT_VARIABLE offline OUTPUT_VARIABLE log ERROR_VARIABLE log)
    if(NOT offline EQUAL 0)
      message(FATAL_ERROR "${name}: restoring the ${target_framework} runtime packs failed:\n${log}")
    endif()
  endif()
  if(NOT offline EQUAL 0)
    message(STATUS "${name}: not built (the ${target_framework} runtime packs are not in the NuGet cache; "
                   "configure with -DEA_DOTNET_RUNTIMES=fetch)")
    return()
  endif()

  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/../dotnet/src/*.cs)
  add_custom_command(
    OUTPUT ${program}
    COMMAND ${CMAKE_COMMAND} -E env DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
            ${DOTNET} publish ${project} --configuration Release --runtime linux-x64 --self-contained true
            -p:UseAppHost=true ${properties}
            --output ${build_dir}/out --artifacts-path ${build_dir}/artifacts
            --nologo --verbosity quiet
    COMMAND ${CMAKE_COMMAND} -E touch ${program}
    DEPENDS ${sources} ${project} ${CMAKE_CURRENT_SOURCE_DIR}/../dotnet/nuget.config
            ${CMAKE_CURRENT_SOURCE_DIR}/adapter.json
    COMMENT "Publishing the ${name} adapter (self-contained, ${target_framework})"
    VERBATIM)
  add_custom_target(endaccept-adapter-${name} ALL DEPENDS ${program})
endfunction()
