/* Camera motion math of lib/stab without a device: matrices, the robust fit (with a moving
 * subject among the points), the L1-optimal smoother on constructed paths, the path
 * smoothers, the shape correction and the zoom that hides borders. Expected values come from the constructions
 * (known motions, known paths), not from the program's output. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "stab/stab_fit.h"
#include "stab/stab_l1.h"
#include "stab/stab_matrix.h"
#include "stab/stab_path.h"
#include "stab/stab_shape.h"
#include "stab/stab_zoom.h"

static double uniform(TestRng *r, double lo, double hi)
{
    return lo + (hi - lo) * (rng_next(r) / 4294967296.0);
}

static double mat_distance(const StabMat *a, const StabMat *b, double extent)
{
    /* largest displacement difference over the corners of an extent-sized square */
    double worst = 0;
    for (int k = 0; k < 4; k++) {
        double x = (k & 1) ? extent : -extent, y = (k & 2) ? extent : -extent, ax, ay, bx, by;
        if (stab_mat_apply(a, x, y, &ax, &ay) < 0 || stab_mat_apply(b, x, y, &bx, &by) < 0)
            return INFINITY;
        worst = fmax(worst, hypot(ax - bx, ay - by));
    }
    return worst;
}

static void test_matrix(void)
{
    StabMat a = stab_mat_similarity(3, -4, 0.2, 1.1), inv;
    a.m[6] = 1e-4;
    CHECK(stab_mat_invert(&a, &inv) == 0);
    StabMat one = stab_mat_mul(&a, &inv), id = stab_mat_identity();
    CHECK(mat_distance(&one, &id, 100) < 1e-9);
    double x, y;
    StabMat r = stab_mat_similarity(0, 0, M_PI / 2, 1);
    CHECK(stab_mat_apply(&r, 1, 0, &x, &y) == 0 && fabs(x) < 1e-12 && fabs(y - 1) < 1e-12);
    StabMat singular = {{1, 2, 0, 2, 4, 0, 0, 0, 1}};
    CHECK(stab_mat_invert(&singular, &inv) == -EDOM);
    double m[4] = {2, 1, 1, 3}, b[2] = {3, 5};
    CHECK(stab_solve(m, b, 2) == 0 && fabs(b[0] - 0.8) < 1e-12 && fabs(b[1] - 1.4) < 1e-12);
}

/* Background points follow `truth`; a third of them (a subject) follow another motion and
 * a few are wild: the fit must find the background. */
static void test_fit(StabModel model)
{
    TestRng rng = {0x1234567ull + (uint64_t)model};
    StabMat truth = stab_mat_similarity(4.5, -2.25, 0.03, 1.02);
    if (model != STAB_MODEL_SIMILARITY) {
        truth.m[1] += 0.01;
        truth.m[3] -= 0.005;
    }
    if (model == STAB_MODEL_HOMOGRAPHY) {
        truth.m[6] = 2e-5;
        truth.m[7] = -1e-5;
    }
    StabMat subject = stab_mat_translate(-15, 9);
    enum { N = 600 };
    StabMatch m[N];
    for (int i = 0; i < N; i++) {
        double x = uniform(&rng, -320, 320), y = uniform(&rng, -180, 180), u, v;
        const StabMat *motion = i % 3 == 0 ? &subject : &truth;
        stab_mat_apply(motion, x, y, &u, &v);
        if (i % 17 == 0) {
            u = uniform(&rng, -320, 320);
            v = uniform(&rng, -180, 180);
        }
        m[i] = (StabMatch){(float)x, (float)y, (float)(u + uniform(&rng, -0.3, 0.3)),
                           (float)(v + uniform(&rng, -0.3, 0.3)), 1.0f};
    }
    StabFitResult fit;
    CHECK(stab_fit_motion(m, N, model, 1.5, &fit) == 0);
    double d = mat_distance(&fit.motion, &truth, 300);
    CHECK_MSG(d < 0.25, "model %d: fitted motion %.3f px off the background's", model, d);
    CHECK_MSG(fit.inliers > N / 2 && fit.inliers < N * 2 / 3 + 5, "model %d: %d inliers", model,
              fit.inliers);
    CHECK(stab_fit_motion(m, 5, model, 1.5, &fit) == -EAGAIN);
    CHECK(stab_fit_motion(m, N, model, 0, &fit) == -EINVAL);
}

static double d2(const double *p, int i)
{
    return p[i + 2] - 2 * p[i + 1] + p[i];
}

static void test_l1(void)
{
    TestRng rng = {99};
    enum { N = 300 };
    double c[N], r[N], p[N], line[N];
    const StabL1Weights w = {10, 1, 100};
    /* a constant-velocity camera with +-4 px shake, bound 6 px. The optimum is near the
     * line but not quite it: |D1| pays for travel, so a very slight ease (constant D2,
     * D3 = 0) that starts high and ends low within the bound is cheaper than a line (the
     * cheapest feasible line costs 2043 here, the ease about 2010). So: D3 zero except at
     * a few knots, and D2 tiny everywhere (the input's |D2| is ~ 4) */
    for (int i = 0; i < N; i++) {
        line[i] = 20 + 0.7 * i;
        c[i] = line[i] + uniform(&rng, -4, 4);
        r[i] = 6;
    }
    CHECK(stab_l1_smooth(c, r, N, &w, p) == 0);
    int knots = 0;
    double worst_bound = 0, worst_d2 = 0;
    for (int i = 0; i + 3 < N; i++)
        knots += fabs(p[i + 3] - 3 * p[i + 2] + 3 * p[i + 1] - p[i]) > 1e-3;
    for (int i = 0; i + 2 < N; i++)
        worst_d2 = fmax(worst_d2, fabs(d2(p, i)));
    for (int i = 0; i < N; i++)
        worst_bound = fmax(worst_bound, fabs(p[i] - c[i]));
    CHECK_MSG(knots <= 6, "constant velocity: %d knots (want a line or a slight ease)", knots);
    CHECK_MSG(worst_d2 < 0.02, "constant velocity: largest |D2 p| %.4f", worst_d2);
    CHECK(worst_bound <= 6 + 1e-9);
    double slope = (p[N - 1] - p[0]) / (N - 1);
    CHECK_MSG(fabs(slope - 0.7) < 0.03, "slope %.4f", slope);

    /* static, then a pan, then static again: the result is piecewise, with a few knots */
    for (int i = 0; i < N; i++) {
        line[i] = i < 100 ? 0 : i < 200 ? (i - 100) * 0.8 : 80;
        c[i] = line[i] + uniform(&rng, -3, 3);
        r[i] = 8;
    }
    CHECK(stab_l1_smooth(c, r, N, &w, p) == 0);
    int still = 0;
    knots = 0;
    for (int i = 0; i + 3 < N; i++)
        knots += fabs(p[i + 3] - 3 * p[i + 2] + 3 * p[i + 1] - p[i]) > 1e-3;
    for (int i = 10; i < 60; i++)
        still += fabs(p[i + 1] - p[i]) < 1e-3;
    for (int i = 240; i < 290; i++)
        still += fabs(p[i + 1] - p[i]) < 1e-3;
    for (int i = 0; i < N; i++)
        worst_bound = fmax(worst_bound, fabs(p[i] - c[i]));
    CHECK_MSG(knots <= 12, "%d knots (want a few: static, ease, linear, ease, static)", knots);
    CHECK_MSG(still == 100, "%d of 100 frames static in the static parts", still);
    CHECK(worst_bound <= 8 + 1e-9);
    CHECK(stab_l1_smooth(c, r, 0, &w, p) == -EINVAL);
    r[5] = 0;
    CHECK(stab_l1_smooth(c, r, N, &w, p) == -EINVAL);
}

/* A smooth pan with known shake: the corrected frames (correction * camera) follow a path
 * close to the smooth pan, for each smoother; tripod holds one camera. */
static void test_path(void)
{
    TestRng rng = {7};
    enum { N = 240 };
    StabMat motion[N], camera[N], correction[N], smooth_cam[N];
    double jx[N], jy[N], ja[N];
    for (int i = 0; i < N; i++) {
        jx[i] = uniform(&rng, -5, 5);
        jy[i] = uniform(&rng, -5, 5);
        ja[i] = uniform(&rng, -0.01, 0.01);
        smooth_cam[i] = stab_mat_similarity(1.5 * i, 0.2 * i, 0.0005 * i, 1);
        StabMat jitter = stab_mat_similarity(jx[i], jy[i], ja[i], 1);
        camera[i] = stab_mat_mul(&jitter, &smooth_cam[i]);
    }
    /* the analysis sees frame-to-frame motions; accumulating them gives the path back */
    StabMat inv0;
    stab_mat_invert(&camera[0], &inv0);
    for (int i = 1; i < N; i++) {
        StabMat prev_inv;
        stab_mat_invert(&camera[i - 1], &prev_inv);
        motion[i] = stab_mat_mul(&camera[i], &prev_inv);
    }
    StabMat acc[N];
    stab_path_accumulate(motion, N, acc);
    StabMat expect = stab_mat_mul(&camera[N - 1], &inv0);
    CHECK(mat_distance(&acc[N - 1], &expect, 300) < 1e-6);

    const StabPathMode modes[] = {STAB_PATH_GAUSS, STAB_PATH_L1};
    for (int m = 0; m < 2; m++) {
        StabPathOptions o = {.model = STAB_MODEL_SIMILARITY,
                             .mode = modes[m],
                             .smooth = 20,
                             .width = 640,
                             .height = 360};
        CHECK(stab_path_smooth(camera, N, &o, correction) == 0);
        /* residual shake: the change of the output camera's frame-to-frame step (its
         * acceleration) at the corners of a 300 x 300 square; the input has ~7 px RMS */
        double sum_sq = 0;
        StabMat step[N];
        for (int i = 1; i < N; i++) {
            StabMat out_i = stab_mat_mul(&correction[i], &camera[i]);
            StabMat out_p = stab_mat_mul(&correction[i - 1], &camera[i - 1]), inv;
            stab_mat_invert(&out_p, &inv);
            step[i] = stab_mat_mul(&out_i, &inv);
            if (i > 1) {
                double d = mat_distance(&step[i], &step[i - 1], 150);
                sum_sq += d * d;
            }
        }
        double rms = sqrt(sum_sq / (N - 2));
        CHECK_MSG(rms < 0.3, "mode %d: residual shake %.3f px RMS", modes[m], rms);
    }
    StabPathOptions tripod = {.model = STAB_MODEL_AFFINE,
                              .mode = STAB_PATH_TRIPOD,
                              .smooth = 5,
                              .width = 640,
                              .height = 360};
    CHECK(stab_path_smooth(camera, N, &tripod, correction) == 0);
    StabMat first = stab_mat_mul(&correction[0], &camera[0]);
    double worst = 0;
    for (int i = 1; i < N; i++) {
        StabMat out = stab_mat_mul(&correction[i], &camera[i]);
        worst = fmax(worst, mat_distance(&out, &first, 300));
    }
    CHECK_MSG(worst < 1e-6, "tripod: output cameras differ by %.3g px", worst);
    /* limits: no correction moves the centre by more than max_shift */
    StabPathOptions limited = {.model = STAB_MODEL_SIMILARITY,
                               .mode = STAB_PATH_TRIPOD,
                               .smooth = 5,
                               .max_shift = 12,
                               .max_angle = 0.02,
                               .width = 640,
                               .height = 360};
    CHECK(stab_path_smooth(camera, N, &limited, correction) == 0);
    worst = 0;
    for (int i = 0; i < N; i++)
        worst = fmax(worst, hypot(correction[i].m[2], correction[i].m[5]));
    CHECK_MSG(worst < 12 + 300 * 0.02, "largest shift %.2f", worst);
    limited.smooth = 0;
    CHECK(stab_path_smooth(camera, N, &limited, correction) == -EINVAL);
}

/* The shape correction on a constructed camera: a similarity pan plus a shape (shear and
 * perspective) that drifts slowly and jitters from frame to frame. The corrected frames'
 * shape must change much less from frame to frame than the original's, and no correction
 * may exceed the limit. */
static void test_shape(StabPathMode mode)
{
    enum { N = 120, W = 640, H = 360 };
    const double reach = 0.5 * hypot(W, H), limit = 0.01;
    static StabMat similarity[N], full[N], shape[N], truth[N], correction[N];
    TestRng rng = {7};
    StabMat previous_camera = stab_mat_identity();
    for (int i = 0; i < N; i++) {
        double drift = 0.004 * sin(2 * M_PI * i / N), p[4];
        for (int k = 0; k < 4; k++)
            p[k] = drift + uniform(&rng, -0.003, 0.003);
        StabMat w = {{1 + p[0], p[1], 0, p[1], 1 - p[0], 0, p[2] / reach, p[3] / reach, 1}};
        shape[i] = w;
        StabMat pan = stab_mat_similarity(-2.0 * i, 0.5 * i, 0.001 * i, 1);
        StabMat camera = stab_mat_mul(&shape[i], &pan), inverse;
        CHECK(stab_mat_invert(&previous_camera, &inverse) == 0);
        full[i] = stab_mat_mul(&camera, &inverse);
        stab_mat_normalize(&full[i]);
        similarity[i] = stab_mat_similarity(-2.0, 0.5, 0.001, 1);
        previous_camera = camera;
    }
    StabShapeOptions o = {.mode = mode, .smooth = 30, .max_shear = limit, .width = W, .height = H};
    CHECK(stab_shape_correct(similarity, full, N, &o, correction) == 0);
    double before = 0, after = 0, worst = 0;
    double prev_in[4], prev_out[4];
    for (int i = 0; i < N; i++) {
        double in[4], out[4], c[4];
        truth[i] = stab_mat_mul(&correction[i], &shape[i]);
        stab_shape_params(&shape[i], reach, in);
        stab_shape_params(&truth[i], reach, out);
        stab_shape_params(&correction[i], reach, c);
        for (int k = 0; k < 4; k++) {
            worst = fmax(worst, fabs(c[k]));
            if (i > 0) {
                before += (in[k] - prev_in[k]) * (in[k] - prev_in[k]);
                after += (out[k] - prev_out[k]) * (out[k] - prev_out[k]);
            }
            prev_in[k] = in[k];
            prev_out[k] = out[k];
        }
    }
    before = sqrt(before / (4.0 * (N - 1)));
    after = sqrt(after / (4.0 * (N - 1)));
    CHECK(after < 0.25 * before);
    CHECK(worst <= limit * 1.001);
    /* and together they distort no corner more than a shear of the limit alone: singular
     * values of the numerical Jacobian */
    for (int i = 0; i < N; i++) {
        for (int k = 0; k < 4; k++) {
            double x = (k & 1) ? W / 2.0 : -W / 2.0, y = (k & 2) ? H / 2.0 : -H / 2.0, e = 1e-3;
            double u0 = 0, v0 = 0, ux = 0, vx = 0, uy = 0, vy = 0;
            CHECK(stab_mat_apply(&correction[i], x, y, &u0, &v0) == 0 &&
                  stab_mat_apply(&correction[i], x + e, y, &ux, &vx) == 0 &&
                  stab_mat_apply(&correction[i], x, y + e, &uy, &vy) == 0);
            double a = (ux - u0) / e, b = (uy - u0) / e, c = (vx - v0) / e, d = (vy - v0) / e;
            double s1 = hypot(0.5 * (a + d), 0.5 * (c - b)), s2 = hypot(0.5 * (a - d), 0.5 * (c + b));
            CHECK((s1 - s2) / (s1 + s2) >= (1 - limit) / (1 + limit) - 1e-4);
        }
    }
    /* no limit: no correction */
    o.max_shear = 0;
    CHECK(stab_shape_correct(similarity, full, N, &o, correction) == 0);
    StabMat id = stab_mat_identity();
    CHECK(mat_distance(&correction[N / 2], &id, 100) == 0);
    o.max_shear = -1;
    CHECK(stab_shape_correct(similarity, full, N, &o, correction) == -EINVAL);
}

static void test_zoom(void)
{
    /* a 10 px shift right needs a zoom of hw / (hw - 10) */
    StabMat shift = stab_mat_translate(10, 0);
    double z = stab_zoom_needed(&shift, 640, 360);
    CHECK_MSG(fabs(z - 320.0 / 310.0) < 1e-6, "zoom %.6f", z);
    StabMat id = stab_mat_identity();
    CHECK(stab_zoom_needed(&id, 640, 360) == 1.0);
    enum { N = 100 };
    StabMat corr[N];
    double zoom[N];
    for (int i = 0; i < N; i++)
        corr[i] = i == 50 ? stab_mat_translate(0, 20) : stab_mat_identity();
    CHECK(stab_zoom_plan(corr, N, 640, 360, STAB_BORDER_CROP, 10, zoom) == 0);
    CHECK(fabs(zoom[0] - 180.0 / 160.0) < 1e-6 && zoom[99] == zoom[0]);
    CHECK(stab_zoom_plan(corr, N, 640, 360, STAB_BORDER_ADAPTIVE, 10, zoom) == 0);
    CHECK(zoom[0] == 1.0 && zoom[50] > 1.05 && zoom[50] <= 180.0 / 160.0 + 1e-9);
    double steepest = 0;
    for (int i = 1; i < N; i++)
        steepest = fmax(steepest, fabs(zoom[i] - zoom[i - 1]));
    CHECK_MSG(steepest < 0.02, "adaptive zoom steps by %.4f", steepest);
    CHECK(stab_zoom_plan(corr, N, 640, 360, STAB_BORDER_FILL, 10, zoom) == 0 && zoom[50] == 1.0);
}

int main(void)
{
    test_matrix();
    test_fit(STAB_MODEL_SIMILARITY);
    test_fit(STAB_MODEL_AFFINE);
    test_fit(STAB_MODEL_HOMOGRAPHY);
    test_l1();
    test_path();
    test_shape(STAB_PATH_GAUSS);
    test_shape(STAB_PATH_L1);
    test_zoom();
    return check_result("test_stab");
}
