# Sourced by bench/peers/run and bench/peers/phases. MKL_PRELOAD: the shim engine-djl opens on AMD
# and Hygon CPUs so that MKL takes its AVX2/AVX-512 kernels (engine-djl's MklKernels), for the plain
# DJL loops to run on the same kernels as Stride; empty elsewhere (MKL's own choice, as in Stride).
# MKL_PRELOAD_NOTE says which, for the header.
MKL_PRELOAD=""
MKL_PRELOAD_NOTE="MKL's own choice (not an AMD or Hygon CPU)"
if [ "$(uname -sm)" = "Linux x86_64" ] && grep -qm1 -E '^vendor_id\s*:\s*(AuthenticAMD|HygonGenuine)' /proc/cpuinfo; then
  MKL_PRELOAD="$PWD/engine-djl/src/main/resources/dev/stride/engine/djl/native/linux-x86-64/libstride_mkl_cpu.so"
  MKL_PRELOAD_NOTE="Intel's kernels on this AMD CPU, as in Stride (LD_PRELOAD=engine-djl's shim)"
fi
