# Every third-party dependency comes from a Debian package (see README).
find_program(TAO_CCACHE ccache)
if(TAO_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER ${TAO_CCACHE})
endif()

find_package(Threads REQUIRED)
find_package(Torch REQUIRED)
# LibTorch is built with OpenMP, and at::parallel_for is inline: a translation unit built
# without -fopenmp runs its loops on one thread whatever the thread setting. Every torch
# translation unit (and the precompiled header they share) is built with it.
find_package(OpenMP REQUIRED)
target_link_libraries(torch INTERFACE OpenMP::OpenMP_CXX)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(OpenSSL 3 REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
pkg_check_modules(CRYPTOPP REQUIRED IMPORTED_TARGET libcrypto++)
pkg_check_modules(SECP256K1 REQUIRED IMPORTED_TARGET libsecp256k1)
pkg_check_modules(GVC REQUIRED IMPORTED_TARGET libgvc)
# oneDNN (the library LibTorch itself links) for BF16 magnitude products; its CMake package
# asks for OpenCL, which the CPU build does not need, so the library is found directly.
find_library(TAO_DNNL_LIBRARY dnnl REQUIRED)
find_path(TAO_DNNL_INCLUDE oneapi/dnnl/dnnl.hpp REQUIRED)
add_library(tao_dnnl INTERFACE)
target_link_libraries(tao_dnnl INTERFACE ${TAO_DNNL_LIBRARY})
target_include_directories(tao_dnnl SYSTEM INTERFACE ${TAO_DNNL_INCLUDE})

# CUDA replay needs a LibTorch built with CUDA; Debian's is CPU-only.
set(TAO_TORCH_HAS_CUDA OFF)
if(TARGET torch_cuda OR TARGET c10_cuda)
  set(TAO_TORCH_HAS_CUDA ON)
endif()
if(TAO_WITH_CUDA STREQUAL "AUTO")
  set(TAO_CUDA_ENABLED ${TAO_TORCH_HAS_CUDA})
else()
  set(TAO_CUDA_ENABLED ${TAO_WITH_CUDA})
endif()
message(STATUS "TAO: LibTorch ${Torch_VERSION}, CUDA replay: ${TAO_CUDA_ENABLED}")

set(TAO_QT_TEST_FOUND OFF)
if(TAO_BUILD_GUI)
  find_package(Qt6 REQUIRED COMPONENTS Core Gui Widgets Charts Svg SvgWidgets Concurrent Test)
  set(TAO_QT_TEST_FOUND ON)
elseif(TAO_BUILD_TESTS)
  find_package(Qt6 QUIET COMPONENTS Core Test)
  if(Qt6Test_FOUND)
    set(TAO_QT_TEST_FOUND ON)
  endif()
endif()
if(TAO_BUILD_TESTS AND NOT TAO_QT_TEST_FOUND)
  message(STATUS "TAO: Qt6 Test not found, test suites are not built")
  set(TAO_BUILD_TESTS OFF)
endif()
