/* scalr-simd.h — SCALR_VECTOR_CLONES: a hot loop compiled twice, for AVX2 and for baseline
 * x86-64, the clone to run chosen when the library loads (GCC/Clang target_clones: an ifunc
 * on the CPU's features). The release build targets baseline x86-64, whose vectors are
 * SSE2's two doubles; AVX2 doubles that width for the element-wise loops of iALS's CG, BPR's
 * updates, EASE's row sums and the top-k scan.
 *
 * AVX2 without FMA, on purpose: the compiler then never contracts a·b + c into one rounding,
 * reductions stay in source order (no fast-math), so both clones compute the same bits and a
 * run's results do not depend on the machine's instruction set. Elsewhere (other
 * architectures, other compilers) the macro is empty. */
#pragma once

#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define SCALR_SIMD_TSAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define SCALR_SIMD_TSAN 1
#endif

/* Not under ThreadSanitizer: the ifunc resolvers run before its runtime is up, and every
 * test binary crashed at start (the TSan build checks races, not speed). */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(SCALR_SIMD_TSAN)
#define SCALR_VECTOR_CLONES __attribute__ ((target_clones ("avx2", "default")))
#else
#define SCALR_VECTOR_CLONES
#endif
