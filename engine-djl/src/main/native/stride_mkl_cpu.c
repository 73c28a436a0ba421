/*
 * Stride's answer to MKL's "is this an Intel CPU?", loaded into the process's global symbol scope
 * before libtorch (engine-djl's MklKernels). libtorch_cpu carries Intel's MKL, which does libtorch's
 * matrix products; MKL asks this function, through the dynamic linker, before it chooses its
 * kernels, and on any other vendor's CPU it takes its generic ones whatever the CPU supports. With
 * this definition first in the symbol scope MKL chooses by the instruction sets the CPU reports
 * (AVX2, AVX-512), as it does on Intel's: on AMD EPYC (Zen 4) one step of the reference MLP went
 * from 1.65 to 1.09 ms (bench/RESULTS.md). No C library, no other symbol.
 *
 * Built by ./build next to this file into src/main/resources (committed, so that building Stride
 * needs no C compiler).
 */
int mkl_serv_intel_cpu_true(void) {
    return 1;
}
