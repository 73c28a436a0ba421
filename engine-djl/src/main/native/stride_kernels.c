/*
 * CPU kernels engine-djl calls through JNA where libtorch's own are slow (engine-djl's
 * NativeKernels). No C library, no state: each function reads and writes only the memory it is
 * given, so calls on different threads are independent.
 *
 * Built by ./build next to this file into src/main/resources (committed, so that building Stride
 * needs no C compiler).
 */
#include <emmintrin.h>
#include <immintrin.h>
#include <stdint.h>

/*
 * For max pooling with a k x k window and stride k (no padding, no dilation, floor mode) over
 * `planes` planes of h x w floats laid end to end (a contiguous NCHW tensor): writes, for each
 * output element in order, the index within its plane of the input element libtorch's
 * max_pool2d_with_indices selects for it. libtorch's CPU kernel scans a window row by row from a
 * maximum of -infinity and takes an element when it is greater than the maximum so far or NaN, so
 * the first of equal maxima wins, the last NaN wins over everything, and a window of -infinity
 * gives its first element. Gathering the input at these indices gives max pooling's values, and
 * the gather's gradient is max pooling's (each input element is in one window at most).
 */
/*
 * With `relu` set the window is taken as libtorch's relu would hand it over (max(v, 0), a NaN stays
 * NaN, -0.0 stays -0.0): the index max pooling of relu(x) selects, so relu(x) gathered there is
 * max_pool(relu(x)) without the relu of the whole input.
 */
static inline float relu_of(float v, int32_t relu) {
    return relu && v < 0 ? 0.0f : v;
}

/* One 2x2 window, the rule as libtorch's loop has it. */
static int32_t window_2x2(const float *top, const float *bottom, int32_t w, int32_t relu) {
    const float v[4] = {relu_of(top[0], relu), relu_of(top[1], relu), relu_of(bottom[0], relu), relu_of(bottom[1], relu)};
    const int32_t at[4] = {0, 1, w, w + 1};
    float max = -__builtin_inff();
    int32_t best = 0;
    for (int i = 0; i < 4; i++) {
        if (v[i] > max || v[i] != v[i]) {
            max = v[i];
            best = at[i];
        }
    }
    return best;
}

/* a where mask is set, else b */
static inline __m128i pick(__m128i mask, __m128i a, __m128i b) {
    return _mm_or_si128(_mm_and_si128(mask, a), _mm_andnot_si128(mask, b));
}

/*
 * k = 2, four windows at a time with SSE2 (every x86-64 CPU has it), without branches (random data
 * would mispredict half of them): the window's last NaN if it has one, else its first element
 * equal to its maximum; which is the loop's rule (-0.0 equals 0.0, so the first of them wins).
 */
static void max_pool_indices_2x2(const float *x, int64_t *out, int64_t planes, int32_t h, int32_t w, int32_t relu) {
    const int32_t ho = h / 2, wo = w / 2;
    const int64_t plane = (int64_t) h * w;
    const __m128i zero = _mm_setzero_si128(), one = _mm_set1_epi32(1), two = _mm_set1_epi32(2), three = _mm_set1_epi32(3);
    const __m128i right = _mm_set1_epi32(1), down = _mm_set1_epi32(w), step = _mm_set_epi32(6, 4, 2, 0);
    /* relu: max(0, v) is v when v is NaN or a zero (MAXPS returns its second operand then), else 0 for v < 0 */
    const __m128 floor = relu ? _mm_setzero_ps() : _mm_set1_ps(-__builtin_inff());
    for (int64_t p = 0; p < planes; p++) {
        const float *in = x + p * plane;
        for (int32_t oh = 0; oh < ho; oh++) {
            const float *top = in + 2 * oh * w;
            const float *bottom = top + w;
            int32_t ow = 0;
            for (; ow + 4 <= wo; ow += 4) {
                const __m128 t0 = _mm_loadu_ps(top + 2 * ow), t1 = _mm_loadu_ps(top + 2 * ow + 4);
                const __m128 b0 = _mm_loadu_ps(bottom + 2 * ow), b1 = _mm_loadu_ps(bottom + 2 * ow + 4);
                const __m128 a = _mm_max_ps(floor, _mm_shuffle_ps(t0, t1, _MM_SHUFFLE(2, 0, 2, 0)));
                const __m128 b = _mm_max_ps(floor, _mm_shuffle_ps(t0, t1, _MM_SHUFFLE(3, 1, 3, 1)));
                const __m128 c = _mm_max_ps(floor, _mm_shuffle_ps(b0, b1, _MM_SHUFFLE(2, 0, 2, 0)));
                const __m128 d = _mm_max_ps(floor, _mm_shuffle_ps(b0, b1, _MM_SHUFFLE(3, 1, 3, 1)));
                const __m128 m = _mm_max_ps(_mm_max_ps(a, b), _mm_max_ps(c, d));
                __m128i i = three;
                i = pick(_mm_castps_si128(_mm_cmpeq_ps(c, m)), two, i);
                i = pick(_mm_castps_si128(_mm_cmpeq_ps(b, m)), one, i);
                i = pick(_mm_castps_si128(_mm_cmpeq_ps(a, m)), zero, i);
                const __m128i na = _mm_castps_si128(_mm_cmpunord_ps(a, a)), nb = _mm_castps_si128(_mm_cmpunord_ps(b, b));
                const __m128i nc = _mm_castps_si128(_mm_cmpunord_ps(c, c)), nd = _mm_castps_si128(_mm_cmpunord_ps(d, d));
                __m128i nan = zero;
                nan = pick(nb, one, nan);
                nan = pick(nc, two, nan);
                nan = pick(nd, three, nan);
                i = pick(_mm_or_si128(_mm_or_si128(na, nb), _mm_or_si128(nc, nd)), nan, i);
                /* the index in the plane: the window's top left, one to the right for 1 and 3, one row down for 2 and 3 */
                const __m128i corner = _mm_add_epi32(_mm_set1_epi32(2 * oh * w + 2 * ow), step);
                const __m128i col = _mm_and_si128(i, right);
                const __m128i row = _mm_and_si128(_mm_cmpgt_epi32(i, one), down);
                const __m128i at = _mm_add_epi32(corner, _mm_add_epi32(col, row));
                /* non-negative, so widening to 64 bits is interleaving with zeros */
                _mm_storeu_si128((__m128i *) (out), _mm_unpacklo_epi32(at, zero));
                _mm_storeu_si128((__m128i *) (out + 2), _mm_unpackhi_epi32(at, zero));
                out += 4;
            }
            for (; ow < wo; ow++) {
                *out++ = 2 * oh * w + 2 * ow + window_2x2(top + 2 * ow, bottom + 2 * ow, w, relu);
            }
        }
    }
}

/*
 * k = 2 with AVX2, eight windows at a time, the same rule as max_pool_indices_2x2. A row's last
 * windows (fewer than eight) are computed the same way from loads that run on into the next rows,
 * their surplus lanes stored and then overwritten by the next row's indices; only where those
 * loads or stores would leave the tensor (its last rows) does the scalar rule run. So short rows
 * (LeNet's second pooling: 5 windows a row) run vectorised too.
 */
__attribute__((target("avx2")))
static void max_pool_indices_2x2_avx2(const float *x, int64_t *out, int64_t planes, int32_t h, int32_t w, int32_t relu) {
    const int32_t ho = h / 2, wo = w / 2;
    const int64_t plane = (int64_t) h * w;
    const int64_t x_size = planes * plane, out_size = planes * ho * wo;
    const int64_t *const out_start = out;
    const __m256i zero = _mm256_setzero_si256(), one = _mm256_set1_epi32(1), two = _mm256_set1_epi32(2);
    const __m256i three = _mm256_set1_epi32(3), down = _mm256_set1_epi32(w), step = _mm256_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14);
    /* the in-lane shuffles leave windows 0 1 4 5 2 3 6 7 in lanes 0..7: this puts them back in order */
    const __m256i order = _mm256_setr_epi32(0, 1, 4, 5, 2, 3, 6, 7);
    const __m256 floor = relu ? _mm256_setzero_ps() : _mm256_set1_ps(-__builtin_inff());
    for (int64_t p = 0; p < planes; p++) {
        const float *in = x + p * plane;
        for (int32_t oh = 0; oh < ho; oh++) {
            const float *top = in + 2 * oh * w;
            const float *bottom = top + w;
            for (int32_t ow = 0; ow < wo; ow += 8) {
                const int32_t n = wo - ow < 8 ? wo - ow : 8;
                if (n < 8 && ((bottom - x) + 2 * ow + 16 > x_size || (out - out_start) + 8 > out_size)) {
                    for (; ow < wo; ow++) {
                        *out++ = 2 * oh * w + 2 * ow + window_2x2(top + 2 * ow, bottom + 2 * ow, w, relu);
                    }
                    break;
                }
                const __m256 t0 = _mm256_loadu_ps(top + 2 * ow), t1 = _mm256_loadu_ps(top + 2 * ow + 8);
                const __m256 b0 = _mm256_loadu_ps(bottom + 2 * ow), b1 = _mm256_loadu_ps(bottom + 2 * ow + 8);
                const __m256 a = _mm256_max_ps(floor, _mm256_shuffle_ps(t0, t1, _MM_SHUFFLE(2, 0, 2, 0)));
                const __m256 b = _mm256_max_ps(floor, _mm256_shuffle_ps(t0, t1, _MM_SHUFFLE(3, 1, 3, 1)));
                const __m256 c = _mm256_max_ps(floor, _mm256_shuffle_ps(b0, b1, _MM_SHUFFLE(2, 0, 2, 0)));
                const __m256 d = _mm256_max_ps(floor, _mm256_shuffle_ps(b0, b1, _MM_SHUFFLE(3, 1, 3, 1)));
                const __m256 m = _mm256_max_ps(_mm256_max_ps(a, b), _mm256_max_ps(c, d));
                __m256i i = three;
                i = _mm256_blendv_epi8(i, two, _mm256_castps_si256(_mm256_cmp_ps(c, m, _CMP_EQ_OQ)));
                i = _mm256_blendv_epi8(i, one, _mm256_castps_si256(_mm256_cmp_ps(b, m, _CMP_EQ_OQ)));
                i = _mm256_blendv_epi8(i, zero, _mm256_castps_si256(_mm256_cmp_ps(a, m, _CMP_EQ_OQ)));
                const __m256i na = _mm256_castps_si256(_mm256_cmp_ps(a, a, _CMP_UNORD_Q));
                const __m256i nb = _mm256_castps_si256(_mm256_cmp_ps(b, b, _CMP_UNORD_Q));
                const __m256i nc = _mm256_castps_si256(_mm256_cmp_ps(c, c, _CMP_UNORD_Q));
                const __m256i nd = _mm256_castps_si256(_mm256_cmp_ps(d, d, _CMP_UNORD_Q));
                __m256i nan = zero;
                nan = _mm256_blendv_epi8(nan, one, nb);
                nan = _mm256_blendv_epi8(nan, two, nc);
                nan = _mm256_blendv_epi8(nan, three, nd);
                i = _mm256_blendv_epi8(i, nan, _mm256_or_si256(_mm256_or_si256(na, nb), _mm256_or_si256(nc, nd)));
                i = _mm256_permutevar8x32_epi32(i, order);
                /* the index in the plane: the window's top left, one to the right for 1 and 3, one row down for 2 and 3 */
                const __m256i corner = _mm256_add_epi32(_mm256_set1_epi32(2 * oh * w + 2 * ow), step);
                const __m256i col = _mm256_and_si256(i, one);
                const __m256i row = _mm256_and_si256(_mm256_cmpgt_epi32(i, one), down);
                const __m256i at = _mm256_add_epi32(corner, _mm256_add_epi32(col, row));
                /* non-negative, so widening to 64 bits is zero extension */
                _mm256_storeu_si256((__m256i *) out, _mm256_cvtepu32_epi64(_mm256_castsi256_si128(at)));
                _mm256_storeu_si256((__m256i *) (out + 4), _mm256_cvtepu32_epi64(_mm256_extracti128_si256(at, 1)));
                out += n;
            }
        }
    }
}

/* avx2: whether this CPU runs AVX2 (stride_has_avx2; the caller asks once); either way the same indices. */
void stride_max_pool_indices(const float *x, int64_t *out, int64_t planes, int32_t h, int32_t w, int32_t k, int32_t relu,
                             int32_t avx2) {
    if (k == 2) {
        if (avx2) {
            max_pool_indices_2x2_avx2(x, out, planes, h, w, relu);
        } else {
            max_pool_indices_2x2(x, out, planes, h, w, relu);
        }
        return;
    }
    const int32_t ho = h / k, wo = w / k;
    const int64_t plane = (int64_t) h * w;
    for (int64_t p = 0; p < planes; p++) {
        const float *in = x + p * plane;
        for (int32_t oh = 0; oh < ho; oh++) {
            for (int32_t ow = 0; ow < wo; ow++) {
                const int32_t first = oh * k * w + ow * k;
                float max = -__builtin_inff();
                int32_t best = first;
                for (int32_t dh = 0; dh < k; dh++) {
                    const int32_t row = first + dh * w;
                    for (int32_t dw = 0; dw < k; dw++) {
                        const float v = relu_of(in[row + dw], relu);
                        const int take = (v > max) | (v != v);
                        max = take ? v : max;
                        best = take ? row + dw : best;
                    }
                }
                *out++ = best;
            }
        }
    }
}

/*
 * torch.optim.SGD's update of one float32 parameter of n elements (_single_tensor_sgd, maximize
 * off), in one pass, element by element as ATen's kernels compute it:
 *   d = grad.add(param, alpha=weight_decay)        (when weight_decay != 0)
 *   buf = d (first step) or buf.mul_(momentum).add_(d, alpha=1 - dampening)   (when momentum != 0)
 *   d = d.add(buf, alpha=momentum) (nesterov) or buf
 *   param.add_(d, alpha=-lr)
 * ATen's vectorised `add` with an alpha is a fused multiply-add (other * alpha + self, one
 * rounding); stride_sgd_fused does the same everywhere, stride_sgd_plain rounds the product first
 * (ATen's scalar code compiled without contraction); the fused one needs AVX2 and FMA
 * (stride_has_fma says whether the CPU has them). engine-djl checks at the first step which of
 * them gives libtorch's bits on this machine, on a probe, and uses libtorch's own ops when neither
 * does. The scalars arrive as ATen has them: float32, alpha = 1 - dampening and -lr computed in
 * double first.
 */
static inline float plain_muladd(float a, float b, float c) {
    volatile float product = a * b; /* rounded before the addition, whatever the compiler would contract */
    return product + c;
}

void stride_sgd_plain(float *p, const float *g, float *b, int64_t n, float neg_lr, float m, float keep, float wd,
                      int32_t decay, int32_t momentum_on, int32_t nesterov, int32_t first) {
    for (int64_t i = 0; i < n; i++) {
        float d = g[i];
        if (decay) {
            d = plain_muladd(p[i], wd, d);
        }
        if (momentum_on) {
            const float v = first ? d : plain_muladd(d, keep, b[i] * m);
            b[i] = v;
            d = nesterov ? plain_muladd(v, m, d) : v;
        }
        p[i] = plain_muladd(d, neg_lr, p[i]);
    }
}

/* One loop per combination of the options (constants here, so each loop has no branch and vectorises). */
#define SGD_FUSED_LOOP(DECAY, MOMENTUM, NESTEROV, FIRST)                                     \
    for (int64_t i = 0; i < n; i++) {                                                        \
        float d = g[i];                                                                      \
        if (DECAY) {                                                                         \
            d = __builtin_fmaf(p[i], wd, d);                                                 \
        }                                                                                    \
        if (MOMENTUM) {                                                                      \
            const float v = (FIRST) ? d : __builtin_fmaf(d, keep, b[i] * m);                 \
            b[i] = v;                                                                        \
            d = (NESTEROV) ? __builtin_fmaf(v, m, d) : v;                                    \
        }                                                                                    \
        p[i] = __builtin_fmaf(d, neg_lr, p[i]);                                              \
    }                                                                                        \
    return;

__attribute__((target("avx2,fma"), optimize("O3", "no-tree-loop-distribute-patterns")))
void stride_sgd_fused(float *restrict p, const float *restrict g, float *restrict b, int64_t n, float neg_lr, float m,
                      float keep, float wd, int32_t decay, int32_t momentum_on, int32_t nesterov, int32_t first) {
    switch ((decay ? 8 : 0) | (momentum_on ? 4 : 0) | (nesterov ? 2 : 0) | (first ? 1 : 0)) {
        case 0: case 1: case 2: case 3: SGD_FUSED_LOOP(0, 0, 0, 0)
        case 4: SGD_FUSED_LOOP(0, 1, 0, 0)
        case 5: SGD_FUSED_LOOP(0, 1, 0, 1)
        case 6: SGD_FUSED_LOOP(0, 1, 1, 0)
        case 7: SGD_FUSED_LOOP(0, 1, 1, 1)
        case 8: case 9: case 10: case 11: SGD_FUSED_LOOP(1, 0, 0, 0)
        case 12: SGD_FUSED_LOOP(1, 1, 0, 0)
        case 13: SGD_FUSED_LOOP(1, 1, 0, 1)
        case 14: SGD_FUSED_LOOP(1, 1, 1, 0)
        default: SGD_FUSED_LOOP(1, 1, 1, 1)
    }
}

/* Whether this CPU and its OS run AVX2 instructions, and with `fma` also FMA (CPUID: FMA, AVX, OSXSAVE, AVX2; XGETBV: XMM and YMM state on). */
static int32_t has_avx2(int32_t fma) {
    uint32_t a, b, c, d;
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
    const uint32_t need = (fma ? 1u << 12 : 0u) | (1u << 27) | (1u << 28);
    if ((c & need) != need) {
        return 0;
    }
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(7), "c"(0));
    if (!(b & (1u << 5))) {
        return 0;
    }
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return (lo & 6u) == 6u;
}

int32_t stride_has_fma(void) {
    return has_avx2(1);
}

int32_t stride_has_avx2(void) {
    return has_avx2(0);
}

/*
 * n floats set to +0.0, as grad.zero_() leaves them. The library has no memset to call, and GCC
 * at -O2 left the plain loop one 4-byte store at a time (78 µs for the reference MLP's 235,146
 * gradients): so 16-byte SSE2 stores, four per turn, the first few and last few floats one by one.
 */
__attribute__((optimize("no-tree-loop-distribute-patterns")))
void stride_zero(float *x, int64_t n) {
    int64_t i = 0;
    for (; i < n && ((uintptr_t) (x + i) & 15u) != 0; i++) {
        x[i] = 0.0f;
    }
    const __m128 zero = _mm_setzero_ps();
    for (; i + 16 <= n; i += 16) {
        _mm_store_ps(x + i, zero);
        _mm_store_ps(x + i + 4, zero);
        _mm_store_ps(x + i + 8, zero);
        _mm_store_ps(x + i + 12, zero);
    }
    for (; i < n; i++) {
        x[i] = 0.0f;
    }
}
