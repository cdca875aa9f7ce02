/* Conv2d benchmark: oneDNN (2.x C API) vs im2col + OpenBLAS SGEMM.
 * float32 NCHW, batch 128, forward / backward-data / backward-weights (+bias).
 * Usage: OMP_NUM_THREADS=T ./bench T [reps] [shapes e.g. "abc"|all] [methods e.g. "0123"]
 * Build: gcc -O2 -fopenmp bench.c -o bench -ldnnl -lopenblas -lm
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <time.h>
#include <unistd.h>
#include <omp.h>
#include <cblas.h>
#include <oneapi/dnnl/dnnl.h>

#define CHK(x) do { dnnl_status_t s_ = (x); if (s_ != dnnl_success) { \
    fprintf(stderr, "dnnl error %d at %s:%d: %s\n", (int)s_, __FILE__, __LINE__, #x); exit(1);} } while (0)

extern void openblas_set_num_threads(int);

static dnnl_engine_t eng;
static dnnl_stream_t strm;

static double tcpu(void) { struct timespec t; clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t); return t.tv_sec + 1e-9 * t.tv_nsec; }
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + 1e-9 * t.tv_nsec; }

static float *falloc(size_t n) { float *p; if (posix_memalign((void **)&p, 64, n * sizeof(float) + 64)) exit(1); memset(p, 0, n * sizeof(float)); return p; }
static void frand(float *p, size_t n, unsigned *seed) { for (size_t i = 0; i < n; i++) { *seed = *seed * 1664525u + 1013904223u; p[i] = ((*seed >> 8) / 16777216.0f) * 2.f - 1.f; } }

typedef struct { const char *name; int N, C, H, W, K, k, s, p, Ho, Wo; } shape_t;

/* ---------------- im2col helpers ---------------- */
/* cols row r=(c*k+ky)*k+kx, row stride ld; writes HWo entries per row at cols+r*ld */
static void im2col(const float *x, const shape_t *S, float *cols, size_t ld) {
    int C = S->C, H = S->H, W = S->W, k = S->k, s = S->s, p = S->p, Ho = S->Ho, Wo = S->Wo;
    for (int c = 0; c < C; c++)
        for (int ky = 0; ky < k; ky++)
            for (int kx = 0; kx < k; kx++) {
                float *d = cols + (size_t)((c * k + ky) * k + kx) * ld;
                const float *xc = x + (size_t)c * H * W;
                for (int oy = 0; oy < Ho; oy++) {
                    int iy = oy * s - p + ky;
                    float *dr = d + oy * Wo;
                    if (iy < 0 || iy >= H) { memset(dr, 0, Wo * sizeof(float)); continue; }
                    const float *xr = xc + iy * W;
                    if (s == 1) {
                        int ix0 = kx - p;
                        for (int ox = 0; ox < Wo; ox++) { int ix = ox + ix0; dr[ox] = (ix >= 0 && ix < W) ? xr[ix] : 0.f; }
                    } else {
                        for (int ox = 0; ox < Wo; ox++) { int ix = ox * s - p + kx; dr[ox] = (ix >= 0 && ix < W) ? xr[ix] : 0.f; }
                    }
                }
            }
}
/* dx (one image, must be zeroed) += col2im(cols) */
static void col2im(const float *cols, const shape_t *S, float *dx, size_t ld) {
    int C = S->C, H = S->H, W = S->W, k = S->k, s = S->s, p = S->p, Ho = S->Ho, Wo = S->Wo;
    for (int c = 0; c < C; c++)
        for (int ky = 0; ky < k; ky++)
            for (int kx = 0; kx < k; kx++) {
                const float *d = cols + (size_t)((c * k + ky) * k + kx) * ld;
                float *xc = dx + (size_t)c * H * W;
                for (int oy = 0; oy < Ho; oy++) {
                    int iy = oy * s - p + ky;
                    if (iy < 0 || iy >= H) continue;
                    const float *dr = d + oy * Wo;
                    float *xr = xc + iy * W;
                    for (int ox = 0; ox < Wo; ox++) { int ix = ox * s - p + kx; if (ix >= 0 && ix < W) xr[ix] += dr[ox]; }
                }
            }
}

/* ---------------- data ---------------- */
typedef struct {
    shape_t S; int CKK, HWo; size_t nx, ny, nw;
    float *x, *w, *b, *dy;                 /* inputs (NCHW / OIHW) */
    /* outputs per method: 0=dnnl(full, NCHW), 1=img, 2=batch, 3=img-omp */
    float *y[4], *dx[4], *dw[4], *db[4];
    float *cols, *dcols;                   /* per-image scratch (thread 0) */
    float *cols_t[2], *dcols_t[2], *dw_t[2], *db_t[2]; /* per-thread scratch for img-omp */
    float *bcols, *bY, *bdyT;              /* batch scratch */
    /* oneDNN */
    dnnl_primitive_t fwd, bwd_d, bwd_w;
    dnnl_memory_t u_x, u_w, u_b, u_y, u_dy, u_dx, u_dw, u_db;       /* user NCHW */
    dnnl_memory_t f_src, f_wei, f_bia, f_dst;                        /* fwd prim */
    dnnl_memory_t d_ddst, d_wei, d_dsrc;                             /* bwd data prim */
    dnnl_memory_t w_src, w_ddst, w_dwei, w_dbia;                     /* bwd weights prim */
    dnnl_primitive_t r_f_src, r_f_wei, r_f_dst, r_d_ddst, r_d_wei, r_d_dsrc, r_w_src, r_w_ddst, r_w_dwei;
    char impl_f[128], impl_d[128], impl_w[128], fmt[3][256];
} bench_t;

static dnnl_memory_t umem(const dnnl_memory_desc_t *md, void *ptr) { dnnl_memory_t m; CHK(dnnl_memory_create(&m, md, eng, ptr)); return m; }
/* memory for a primitive arg: wrap user buffer if layouts match, else allocate */
static dnnl_memory_t pmem(const dnnl_memory_desc_t *pmd, dnnl_memory_t user) {
    const dnnl_memory_desc_t *umd; CHK(dnnl_memory_get_memory_desc(user, &umd));
    void *h = NULL; CHK(dnnl_memory_get_data_handle(user, &h));
    dnnl_memory_t m; CHK(dnnl_memory_create(&m, pmd, eng, dnnl_memory_desc_equal(pmd, umd) ? h : DNNL_MEMORY_ALLOCATE));
    return m;
}
static dnnl_primitive_t mkreo(dnnl_memory_t from, dnnl_memory_t to) {
    const dnnl_memory_desc_t *a, *b; CHK(dnnl_memory_get_memory_desc(from, &a)); CHK(dnnl_memory_get_memory_desc(to, &b));
    if (dnnl_memory_desc_equal(a, b)) return NULL;
    dnnl_primitive_desc_t pd; CHK(dnnl_reorder_primitive_desc_create(&pd, a, eng, b, eng, NULL));
    dnnl_primitive_t p; CHK(dnnl_primitive_create(&p, pd)); dnnl_primitive_desc_destroy(pd); return p;
}
static void reo(dnnl_primitive_t p, dnnl_memory_t from, dnnl_memory_t to) {
    if (!p) return;
    dnnl_exec_arg_t a[2] = {{DNNL_ARG_FROM, from}, {DNNL_ARG_TO, to}};
    CHK(dnnl_primitive_execute(p, strm, 2, a));
}
static void describe(const dnnl_memory_desc_t *md, char *out, size_t n) {
    /* summarise format: plain strides or blocked inner blocks */
    if (md->format_kind != dnnl_blocked) { snprintf(out, n, "kind%d", md->format_kind); return; }
    const dnnl_blocking_desc_t *bd = &md->format_desc.blocking;
    int o = snprintf(out, n, "str[");
    for (int i = 0; i < md->ndims; i++) o += snprintf(out + o, n - o, "%s%ld", i ? "," : "", (long)bd->strides[i]);
    o += snprintf(out + o, n - o, "]");
    if (bd->inner_nblks) { o += snprintf(out + o, n - o, " blk"); for (int i = 0; i < bd->inner_nblks; i++) o += snprintf(out + o, n - o, " %ld@%ld", (long)bd->inner_blks[i], (long)bd->inner_idxs[i]); }
}

static void setup_dnnl(bench_t *B) {
    shape_t *S = &B->S;
    dnnl_dims_t xd = {S->N, S->C, S->H, S->W}, wd = {S->K, S->C, S->k, S->k}, bd = {S->K}, yd = {S->N, S->K, S->Ho, S->Wo};
    dnnl_dims_t st = {S->s, S->s}, pl = {S->p, S->p}, pr;
    /* right padding so that output size matches */
    pr[0] = (S->Ho - 1) * S->s + S->k - S->H - S->p; pr[1] = (S->Wo - 1) * S->s + S->k - S->W - S->p;
    dnnl_memory_desc_t ux, uw, ub, uy, ax, aw, ay, ab;
    CHK(dnnl_memory_desc_init_by_tag(&ux, 4, xd, dnnl_f32, dnnl_nchw));
    CHK(dnnl_memory_desc_init_by_tag(&uw, 4, wd, dnnl_f32, dnnl_oihw));
    CHK(dnnl_memory_desc_init_by_tag(&ub, 1, bd, dnnl_f32, dnnl_x));
    CHK(dnnl_memory_desc_init_by_tag(&uy, 4, yd, dnnl_f32, dnnl_nchw));
    CHK(dnnl_memory_desc_init_by_tag(&ax, 4, xd, dnnl_f32, dnnl_format_tag_any));
    CHK(dnnl_memory_desc_init_by_tag(&aw, 4, wd, dnnl_f32, dnnl_format_tag_any));
    CHK(dnnl_memory_desc_init_by_tag(&ab, 1, bd, dnnl_f32, dnnl_format_tag_any));
    CHK(dnnl_memory_desc_init_by_tag(&ay, 4, yd, dnnl_f32, dnnl_format_tag_any));
    B->u_x = umem(&ux, B->x); B->u_w = umem(&uw, B->w); B->u_b = umem(&ub, B->b); B->u_y = umem(&uy, B->y[0]);
    B->u_dy = umem(&uy, B->dy); B->u_dx = umem(&ux, B->dx[0]); B->u_dw = umem(&uw, B->dw[0]); B->u_db = umem(&ub, B->db[0]);

    dnnl_convolution_desc_t fd, dd, wdsc;
    CHK(dnnl_convolution_forward_desc_init(&fd, dnnl_forward_training, dnnl_convolution_direct, &ax, &aw, &ab, &ay, st, pl, pr));
    dnnl_primitive_desc_t fpd, dpd, wpd;
    CHK(dnnl_primitive_desc_create(&fpd, &fd, NULL, eng, NULL));
    CHK(dnnl_convolution_backward_data_desc_init(&dd, dnnl_convolution_direct, &ax, &aw, &ay, st, pl, pr));
    CHK(dnnl_primitive_desc_create(&dpd, &dd, NULL, eng, fpd));
    CHK(dnnl_convolution_backward_weights_desc_init(&wdsc, dnnl_convolution_direct, &ax, &aw, &ab, &ay, st, pl, pr));
    CHK(dnnl_primitive_desc_create(&wpd, &wdsc, NULL, eng, fpd));
    const char *s;
    CHK(dnnl_primitive_desc_query(fpd, dnnl_query_impl_info_str, 0, &s)); snprintf(B->impl_f, 128, "%s", s);
    CHK(dnnl_primitive_desc_query(dpd, dnnl_query_impl_info_str, 0, &s)); snprintf(B->impl_d, 128, "%s", s);
    CHK(dnnl_primitive_desc_query(wpd, dnnl_query_impl_info_str, 0, &s)); snprintf(B->impl_w, 128, "%s", s);
    char a1[96], a2[96];
    describe(dnnl_primitive_desc_query_md(fpd, dnnl_query_src_md, 0), a1, 96);
    describe(dnnl_primitive_desc_query_md(fpd, dnnl_query_weights_md, 0), a2, 96);
    snprintf(B->fmt[0], 256, "src %s | wei %s", a1, a2);

    B->f_src = pmem(dnnl_primitive_desc_query_md(fpd, dnnl_query_src_md, 0), B->u_x);
    B->f_wei = pmem(dnnl_primitive_desc_query_md(fpd, dnnl_query_weights_md, 0), B->u_w);
    B->f_bia = pmem(dnnl_primitive_desc_query_md(fpd, dnnl_query_weights_md, 1), B->u_b);
    B->f_dst = pmem(dnnl_primitive_desc_query_md(fpd, dnnl_query_dst_md, 0), B->u_y);
    B->d_ddst = pmem(dnnl_primitive_desc_query_md(dpd, dnnl_query_diff_dst_md, 0), B->u_dy);
    B->d_wei = pmem(dnnl_primitive_desc_query_md(dpd, dnnl_query_weights_md, 0), B->u_w);
    B->d_dsrc = pmem(dnnl_primitive_desc_query_md(dpd, dnnl_query_diff_src_md, 0), B->u_dx);
    B->w_src = pmem(dnnl_primitive_desc_query_md(wpd, dnnl_query_src_md, 0), B->u_x);
    B->w_ddst = pmem(dnnl_primitive_desc_query_md(wpd, dnnl_query_diff_dst_md, 0), B->u_dy);
    B->w_dwei = pmem(dnnl_primitive_desc_query_md(wpd, dnnl_query_diff_weights_md, 0), B->u_dw);
    B->w_dbia = pmem(dnnl_primitive_desc_query_md(wpd, dnnl_query_diff_weights_md, 1), B->u_db);
    B->r_f_src = mkreo(B->u_x, B->f_src); B->r_f_wei = mkreo(B->u_w, B->f_wei); B->r_f_dst = mkreo(B->f_dst, B->u_y);
    B->r_d_ddst = mkreo(B->u_dy, B->d_ddst); B->r_d_wei = mkreo(B->u_w, B->d_wei); B->r_d_dsrc = mkreo(B->d_dsrc, B->u_dx);
    B->r_w_src = mkreo(B->u_x, B->w_src); B->r_w_ddst = mkreo(B->u_dy, B->w_ddst); B->r_w_dwei = mkreo(B->w_dwei, B->u_dw);
    if (mkreo(B->u_b, B->f_bia) || mkreo(B->w_dbia, B->u_db)) { fprintf(stderr, "unexpected bias reorder\n"); exit(1); }
    snprintf(B->fmt[1], 256, "reorders: fwd src%c wei%c dst%c | bwd_d ddst%c wei%c dsrc%c | bwd_w src%c ddst%c dwei%c",
             B->r_f_src ? 'Y' : 'n', B->r_f_wei ? 'Y' : 'n', B->r_f_dst ? 'Y' : 'n', B->r_d_ddst ? 'Y' : 'n', B->r_d_wei ? 'Y' : 'n',
             B->r_d_dsrc ? 'Y' : 'n', B->r_w_src ? 'Y' : 'n', B->r_w_ddst ? 'Y' : 'n', B->r_w_dwei ? 'Y' : 'n');
    CHK(dnnl_primitive_create(&B->fwd, fpd)); CHK(dnnl_primitive_create(&B->bwd_d, dpd)); CHK(dnnl_primitive_create(&B->bwd_w, wpd));
    dnnl_primitive_desc_destroy(fpd); dnnl_primitive_desc_destroy(dpd); dnnl_primitive_desc_destroy(wpd);
    /* pre-fill primitive-format inputs for the prim-only timings */
    reo(B->r_f_src, B->u_x, B->f_src); reo(B->r_f_wei, B->u_w, B->f_wei);
    reo(B->r_d_ddst, B->u_dy, B->d_ddst); reo(B->r_d_wei, B->u_w, B->d_wei);
    reo(B->r_w_src, B->u_x, B->w_src); reo(B->r_w_ddst, B->u_dy, B->w_ddst);
    CHK(dnnl_stream_wait(strm));
}

/* pass: 0 fwd, 1 bwd data, 2 bwd weights; full: include reorders from/to NCHW */
static void run_dnnl(bench_t *B, int pass, int full) {
    if (pass == 0) {
        if (full) { reo(B->r_f_src, B->u_x, B->f_src); reo(B->r_f_wei, B->u_w, B->f_wei); }
        dnnl_exec_arg_t a[4] = {{DNNL_ARG_SRC, B->f_src}, {DNNL_ARG_WEIGHTS, B->f_wei}, {DNNL_ARG_BIAS, B->f_bia}, {DNNL_ARG_DST, B->f_dst}};
        CHK(dnnl_primitive_execute(B->fwd, strm, 4, a));
        if (full) reo(B->r_f_dst, B->f_dst, B->u_y);
    } else if (pass == 1) {
        if (full) { reo(B->r_d_ddst, B->u_dy, B->d_ddst); reo(B->r_d_wei, B->u_w, B->d_wei); }
        dnnl_exec_arg_t a[3] = {{DNNL_ARG_DIFF_DST, B->d_ddst}, {DNNL_ARG_WEIGHTS, B->d_wei}, {DNNL_ARG_DIFF_SRC, B->d_dsrc}};
        CHK(dnnl_primitive_execute(B->bwd_d, strm, 3, a));
        if (full) reo(B->r_d_dsrc, B->d_dsrc, B->u_dx);
    } else {
        if (full) { reo(B->r_w_src, B->u_x, B->w_src); reo(B->r_w_ddst, B->u_dy, B->w_ddst); }
        dnnl_exec_arg_t a[4] = {{DNNL_ARG_SRC, B->w_src}, {DNNL_ARG_DIFF_DST, B->w_ddst}, {DNNL_ARG_DIFF_WEIGHTS, B->w_dwei}, {DNNL_ARG_DIFF_BIAS, B->w_dbia}};
        CHK(dnnl_primitive_execute(B->bwd_w, strm, 4, a));
        if (full) reo(B->r_w_dwei, B->w_dwei, B->u_dw);
    }
    CHK(dnnl_stream_wait(strm));
}

/* (ii) per-image im2col + sgemm; images [n0,n1) using scratch cols/dcols; dw/db accumulate (caller zeroes) */
static void img_range(bench_t *B, int pass, int n0, int n1, float *cols, float *dcols, float *y, float *dx, float *dw, float *db) {
    shape_t *S = &B->S; int K = S->K, CKK = B->CKK, HWo = B->HWo;
    size_t xs = (size_t)S->C * S->H * S->W, ys = (size_t)K * HWo;
    for (int n = n0; n < n1; n++) {
        if (pass == 0) {
            im2col(B->x + n * xs, S, cols, HWo);
            float *yn = y + n * ys;
            for (int o = 0; o < K; o++) { float bv = B->b[o]; for (int i = 0; i < HWo; i++) yn[o * HWo + i] = bv; }
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, K, HWo, CKK, 1.f, B->w, CKK, cols, HWo, 1.f, yn, HWo);
        } else if (pass == 1) {
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, CKK, HWo, K, 1.f, B->w, CKK, B->dy + n * ys, HWo, 0.f, dcols, HWo);
            memset(dx + n * xs, 0, xs * sizeof(float));
            col2im(dcols, S, dx + n * xs, HWo);
        } else {
            im2col(B->x + n * xs, S, cols, HWo);
            const float *dyn = B->dy + n * ys;
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, K, CKK, HWo, 1.f, dyn, HWo, cols, HWo, 1.f, dw, CKK);
            for (int o = 0; o < K; o++) { float sacc = 0; for (int i = 0; i < HWo; i++) sacc += dyn[o * HWo + i]; db[o] += sacc; }
        }
    }
}
static void run_img(bench_t *B, int pass) {
    if (pass == 2) { memset(B->dw[1], 0, B->nw * 4); memset(B->db[1], 0, B->S.K * 4); }
    img_range(B, pass, 0, B->S.N, B->cols, B->dcols, B->y[1], B->dx[1], B->dw[1], B->db[1]);
}
/* (iv) per-image, images split across OpenMP threads, 1-thread sgemm in each */
static void run_img_omp(bench_t *B, int pass, int nt) {
    openblas_set_num_threads(1);
    int N = B->S.N, K = B->S.K; size_t nw = B->nw;
    #pragma omp parallel num_threads(nt)
    {
        int t = omp_get_thread_num(), T = omp_get_num_threads();
        int n0 = N * t / T, n1 = N * (t + 1) / T;
        if (pass == 2) { memset(B->dw_t[t], 0, nw * 4); memset(B->db_t[t], 0, K * 4); }
        img_range(B, pass, n0, n1, B->cols_t[t], B->dcols_t[t], B->y[3], B->dx[3], B->dw_t[t], B->db_t[t]);
    }
    if (pass == 2) {
        for (size_t i = 0; i < nw; i++) B->dw[3][i] = B->dw_t[0][i] + (nt > 1 ? B->dw_t[1][i] : 0);
        for (int i = 0; i < K; i++) B->db[3][i] = B->db_t[0][i] + (nt > 1 ? B->db_t[1][i] : 0);
    }
    openblas_set_num_threads(nt);
}
/* (iii) whole-batch im2col + one sgemm (+ transposes) */
static void run_batch(bench_t *B, int pass, int nt) {
    shape_t *S = &B->S; int N = S->N, K = S->K, CKK = B->CKK, HWo = B->HWo;
    size_t NHW = (size_t)N * HWo, xs = (size_t)S->C * S->H * S->W, ys = (size_t)K * HWo;
    if (pass == 0) {
        #pragma omp parallel for num_threads(nt)
        for (int n = 0; n < N; n++) im2col(B->x + n * xs, S, B->bcols + (size_t)n * HWo, NHW);
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, K, NHW, CKK, 1.f, B->w, CKK, B->bcols, NHW, 0.f, B->bY, NHW);
        /* transpose C x (N*HW) -> N x C x HW, add bias */
        #pragma omp parallel for num_threads(nt)
        for (int n = 0; n < N; n++)
            for (int o = 0; o < K; o++) {
                const float *src = B->bY + (size_t)o * NHW + (size_t)n * HWo; float *dst = B->y[2] + n * ys + o * HWo; float bv = B->b[o];
                for (int i = 0; i < HWo; i++) dst[i] = src[i] + bv;
            }
    } else {
        /* transpose dy N x C x HW -> C x (N*HW) */
        #pragma omp parallel for num_threads(nt)
        for (int n = 0; n < N; n++)
            for (int o = 0; o < K; o++) memcpy(B->bdyT + (size_t)o * NHW + (size_t)n * HWo, B->dy + n * ys + o * HWo, HWo * 4);
        if (pass == 1) {
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, CKK, NHW, K, 1.f, B->w, CKK, B->bdyT, NHW, 0.f, B->bcols, NHW);
            #pragma omp parallel for num_threads(nt)
            for (int n = 0; n < N; n++) { memset(B->dx[2] + n * xs, 0, xs * 4); col2im(B->bcols + (size_t)n * HWo, S, B->dx[2] + n * xs, NHW); }
        } else {
            #pragma omp parallel for num_threads(nt)
            for (int n = 0; n < N; n++) im2col(B->x + n * xs, S, B->bcols + (size_t)n * HWo, NHW);
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, K, CKK, NHW, 1.f, B->bdyT, NHW, B->bcols, NHW, 0.f, B->dw[2], CKK);
            #pragma omp parallel for num_threads(nt)
            for (int o = 0; o < K; o++) { const float *r = B->bdyT + (size_t)o * NHW; double sacc = 0; for (size_t i = 0; i < NHW; i++) sacc += r[i]; B->db[2][o] = sacc; }
        }
    }
}

static int cmpd(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return x < y ? -1 : x > y; }
static void cmp(const char *what, const float *ref, const float *v, size_t n) {
    double md = 0, mr = 0;
    for (size_t i = 0; i < n; i++) { double d = fabs((double)ref[i] - v[i]); if (d > md) md = d; if (fabs(ref[i]) > mr) mr = fabs(ref[i]); }
    printf("  verify %-14s maxabs=%.3e  maxref=%.3e  rel=%.2e %s\n", what, md, mr, md / (mr > 0 ? mr : 1), md / (mr > 0 ? mr : 1) < 1e-4 ? "OK" : "MISMATCH");
}

#define NMETH 5
static const char *mname[NMETH] = {"dnnl-prim", "dnnl+reorder", "im2col-img", "im2col-batch", "im2col-img-omp"};

int main(int argc, char **argv) {
    int nt = argc > 1 ? atoi(argv[1]) : 1, reps = argc > 2 ? atoi(argv[2]) : 7;
    const char *only = argc > 3 && strcmp(argv[3], "all") ? argv[3] : NULL;
    const char *mmask = argc > 4 ? argv[4] : "01234"; /* which methods to time, by index */
    omp_set_num_threads(nt); openblas_set_num_threads(nt);
    CHK(dnnl_engine_create(&eng, dnnl_cpu, 0)); CHK(dnnl_stream_create(&strm, eng, dnnl_stream_default_flags));
    const dnnl_version_t *v = dnnl_version();
    printf("oneDNN %d.%d.%d hash=%s cpu_runtime=%d  threads=%d omp_max=%d reps=%d\n", v->major, v->minor, v->patch, v->hash, v->cpu_runtime, nt, omp_get_max_threads(), reps);
    shape_t shapes[] = {
        {"a:3-16/32x32", 128, 3, 32, 32, 16, 3, 1, 1}, {"b:16-16/32x32", 128, 16, 32, 32, 16, 3, 1, 1},
        {"c:16-32/s2", 128, 16, 32, 32, 32, 3, 2, 1}, {"d:64-64/8x8", 128, 64, 8, 8, 64, 3, 1, 1},
        {"e:1-32/28p0", 128, 1, 28, 28, 32, 3, 1, 0}, {"f:32-64/13p0", 128, 32, 13, 13, 64, 3, 1, 0},
    };
    int nshapes = sizeof shapes / sizeof shapes[0];
    for (int si = 0; si < nshapes; si++) {
        if (only && !strchr(only, shapes[si].name[0])) continue;
        bench_t B; memset(&B, 0, sizeof B); B.S = shapes[si]; shape_t *S = &B.S;
        S->Ho = (S->H + 2 * S->p - S->k) / S->s + 1; S->Wo = (S->W + 2 * S->p - S->k) / S->s + 1;
        B.CKK = S->C * S->k * S->k; B.HWo = S->Ho * S->Wo;
        B.nx = (size_t)S->N * S->C * S->H * S->W; B.ny = (size_t)S->N * S->K * B.HWo; B.nw = (size_t)S->K * B.CKK;
        unsigned seed = 12345 + si;
        B.x = falloc(B.nx); B.w = falloc(B.nw); B.b = falloc(S->K); B.dy = falloc(B.ny);
        frand(B.x, B.nx, &seed); frand(B.w, B.nw, &seed); frand(B.b, S->K, &seed); frand(B.dy, B.ny, &seed);
        for (int m = 0; m < 4; m++) { B.y[m] = falloc(B.ny); B.dx[m] = falloc(B.nx); B.dw[m] = falloc(B.nw); B.db[m] = falloc(S->K); }
        B.cols = falloc((size_t)B.CKK * B.HWo); B.dcols = falloc((size_t)B.CKK * B.HWo);
        for (int t = 0; t < 2; t++) { B.cols_t[t] = falloc((size_t)B.CKK * B.HWo); B.dcols_t[t] = falloc((size_t)B.CKK * B.HWo); B.dw_t[t] = falloc(B.nw); B.db_t[t] = falloc(S->K); }
        B.bcols = falloc((size_t)B.CKK * B.HWo * S->N); B.bY = falloc(B.ny); B.bdyT = falloc(B.ny);
        setup_dnnl(&B);
        double flop = 2.0 * S->N * S->K * B.HWo * S->C * S->k * S->k;
        printf("\nSHAPE %s  N=%d C=%d %dx%d -> K=%d %dx%d k=%d s=%d p=%d  GFLOP/pass=%.4f\n", S->name, S->N, S->C, S->H, S->W, S->K, S->Ho, S->Wo, S->k, S->s, S->p, flop * 1e-9);
        printf("  impl fwd=%s bwd_d=%s bwd_w=%s\n  fwd fmt: %s\n  %s\n", B.impl_f, B.impl_d, B.impl_w, B.fmt[0], B.fmt[1]);
        int nmeth = nt > 1 ? NMETH : NMETH - 1; /* img-omp == img at 1 thread */
        /* verification run */
        for (int pass = 0; pass < 3; pass++) { run_dnnl(&B, pass, 1); run_img(&B, pass); run_batch(&B, pass, nt); if (nmeth > 4) run_img_omp(&B, pass, nt); }
        const char *vn[4] = {"", "img", "batch", "img-omp"};
        for (int m = 1; m < (nmeth > 4 ? 4 : 3); m++) {
            char t[32];
            snprintf(t, 32, "y %s", vn[m]); cmp(t, B.y[0], B.y[m], B.ny);
            snprintf(t, 32, "dx %s", vn[m]); cmp(t, B.dx[0], B.dx[m], B.nx);
            snprintf(t, 32, "dw %s", vn[m]); cmp(t, B.dw[0], B.dw[m], B.nw);
            snprintf(t, 32, "db %s", vn[m]); cmp(t, B.db[0], B.db[m], S->K);
        }
        /* timing: warmup 2, then reps; interleave methods and passes */
        double T[NMETH][3][64], TC[NMETH][3][64]; /* wall, calling-thread CPU time */
        for (int r = -2; r < reps; r++)
            for (int pass = 0; pass < 3; pass++)
                for (int mm = 0; mm < nmeth; mm++) {
                    int m = (mm + r + 2) % nmeth; /* rotate order each rep */
                    if (!strchr(mmask, '0' + m)) continue;
                    double c0 = tcpu(), t0 = now();
                    switch (m) {
                    case 0: run_dnnl(&B, pass, 0); break;
                    case 1: run_dnnl(&B, pass, 1); break;
                    case 2: run_img(&B, pass); break;
                    case 3: run_batch(&B, pass, nt); break;
                    case 4: run_img_omp(&B, pass, nt); break;
                    }
                    double dt = now() - t0, dc = tcpu() - c0;
                    if (r >= 0) { T[m][pass][r] = dt; TC[m][pass][r] = dc; }
                }
        static const char *pn[3] = {"fwd", "bwd_data", "bwd_wei"};
        for (int m = 0; m < nmeth; m++)
            for (int pass = 0; pass < 3; pass++) {
                if (!strchr(mmask, '0' + m)) continue;
                double s[64]; memcpy(s, T[m][pass], reps * sizeof(double)); qsort(s, reps, sizeof(double), cmpd);
                double med = reps % 2 ? s[reps / 2] : 0.5 * (s[reps / 2 - 1] + s[reps / 2]);
                double c[64]; memcpy(c, TC[m][pass], reps * sizeof(double)); qsort(c, reps, sizeof(double), cmpd);
                double cmed = reps % 2 ? c[reps / 2] : 0.5 * (c[reps / 2 - 1] + c[reps / 2]);
                /* cpu_ms = CPU time of the calling thread only: equals uncontended work time when t=1 */
                printf("RES %s %s %s t=%d med_ms=%.3f min_ms=%.3f max_ms=%.3f gflops=%.2f cpu_med_ms=%.3f cpu_min_ms=%.3f\n", S->name, mname[m], pn[pass], nt, med * 1e3, s[0] * 1e3, s[reps - 1] * 1e3, flop / med * 1e-9, cmed * 1e3, c[0] * 1e3);
            }
        fflush(stdout);
        /* (leak buffers/primitives intentionally; process is short-lived) */
    }
    return 0;
}
