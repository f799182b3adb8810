/* Stabilisation end to end on a synthetic shot with a known camera: a textured plane seen
 * by a camera that pans smoothly, with random translation (+-4 px) and rotation (+-0.6
 * degrees) jitter added to every picture. Checks, on the C path:
 *  1. the measured camera path (flow + robust fit) is within 0.5 px RMS of the true one;
 *  2. path gauss: the stabilised camera (correction applied to the true camera) is within
 *     1 px RMS of the original smooth pan, up to one constant offset over the shot (path l1 chooses
 * its own path - static, linear and ease segments within its bounds - so it is not compared with
 * the pan);
 *  3. the stabilised camera's frame-to-frame motion changes by less than 0.5 px RMS from
 *     one pair to the next (the input's shake changes it by ~5 px), for both paths;
 *  4. path gauss, re-measured on the rendered output pictures (a second context analyses
 *     them): the frame-to-frame motion is the pan's to within 0.5 px RMS and steady: the
 *     shake is gone from the pixels, not only from the plan.
 * Errors are measured at the picture's corners (centred coordinates). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/stabilize.h"
#include "stab/stab_matrix.h"
#include "weft/weft.h"

enum { W = 256, H = 144, N = 40 };

/* Smooth value noise: a hashed lattice, smoothstep-interpolated, two octaves. */
static double lattice(int x, int y, uint32_t seed)
{
    uint32_t h = (uint32_t)x * 374761393u + (uint32_t)y * 668265263u + seed * 2246822519u;
    h = (h ^ (h >> 13)) * 1274126177u;
    return ((h ^ (h >> 16)) & 0xffff) / 65535.0;
}

static double noise(double x, double y, double cell, uint32_t seed)
{
    x /= cell;
    y /= cell;
    int x0 = (int)floor(x), y0 = (int)floor(y);
    double fx = x - x0, fy = y - y0;
    fx = fx * fx * (3 - 2 * fx);
    fy = fy * fy * (3 - 2 * fy);
    double a = lattice(x0, y0, seed), b = lattice(x0 + 1, y0, seed);
    double c = lattice(x0, y0 + 1, seed), d = lattice(x0 + 1, y0 + 1, seed);
    return (a + fx * (b - a)) * (1 - fy) + (c + fx * (d - c)) * fy;
}

static double texture(double x, double y)
{
    return 0.55 * noise(x, y, 9.0, 1) + 0.3 * noise(x, y, 31.0, 2) + 0.15 * noise(x, y, 3.0, 3);
}

/* camera[i]: world (centred coordinates of picture 0 of the smooth pan) -> picture i */
static void make_cameras(StabMat *pan, StabMat *camera)
{
    TestRng rng = {20261201};
    for (int i = 0; i < N; i++) {
        pan[i] = stab_mat_similarity(-1.2 * i, -0.4 * i, 0.001 * i, 1.0);
        double dx = (rng_below(&rng, 8001) / 1000.0) - 4.0;
        double dy = (rng_below(&rng, 8001) / 1000.0) - 4.0;
        double da = ((rng_below(&rng, 12001) / 10000.0) - 0.6) * M_PI / 180.0;
        StabMat jitter = stab_mat_similarity(dx, dy, da, 1.0);
        camera[i] = stab_mat_mul(&jitter, &pan[i]);
    }
}

static void render_picture(const StabMat *camera, WeftPicture *pic)
{
    StabMat inverse;
    stab_mat_invert(camera, &inverse);
    const double cx = 0.5 * (W - 1), cy = 0.5 * (H - 1);
    for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
            double wx, wy;
            stab_mat_apply(&inverse, x - cx, y - cy, &wx, &wy);
            /* a 3 x 3 box average against aliasing of the finest octave */
            double v = 0;
            for (int k = 0; k < 9; k++)
                v += texture(wx + (k % 3 - 1) / 3.0, wy + (k / 3 - 1) / 3.0);
            pic->data[0][y * pic->stride[0] + x] = (uint8_t)lrint(fmin(255, 255 * v / 9));
        }
    }
}

/* The corners' displacement of a against b, and its mean over the shot: a constant offset
 * of the whole output (which of many equally steady views is shown) is not shake. */
static void corner_offsets(const StabMat *a, const StabMat *b, double off[8])
{
    for (int k = 0; k < 4; k++) {
        double x = (k & 1) ? 0.5 * W : -0.5 * W, y = (k & 2) ? 0.5 * H : -0.5 * H, ax, ay, bx, by;
        stab_mat_apply(a, x, y, &ax, &ay);
        stab_mat_apply(b, x, y, &bx, &by);
        off[2 * k] = ax - bx;
        off[2 * k + 1] = ay - by;
    }
}

/* RMS over the four corners of the difference between a and b (both -> picture). */
static double corner_distance(const StabMat *a, const StabMat *b)
{
    double sum = 0;
    for (int k = 0; k < 4; k++) {
        double x = (k & 1) ? 0.5 * W : -0.5 * W, y = (k & 2) ? 0.5 * H : -0.5 * H, ax, ay, bx, by;
        stab_mat_apply(a, x, y, &ax, &ay);
        stab_mat_apply(b, x, y, &bx, &by);
        sum += (ax - bx) * (ax - bx) + (ay - by) * (ay - by);
    }
    return sum / 4;
}

static WeftContext *open_cpu(int path)
{
    WeftSettings s;
    weft_default_settings(&s);
    s.device = WEFT_DEVICE_CPU;
    s.stabilize = 1;
    s.factor = 1;
    s.smooth = 30; /* the default */
    s.stab_path = path;
    s.stab_border = WEFT_STAB_BORDER_FILL;
    s.log_level = WEFT_LOG_WARNING;
    WeftContext *c = NULL;
    CHECK(weft_open(&c, &s) == 0);
    return c;
}

static int analyse_all(WeftContext *c, WeftPicture *pics, int n)
{
    for (int i = 0; i < n; i++)
        if (weft_stabilize_analyse(c, &pics[i]) < 0)
            return -1;
    return weft_stabilize_analyse(c, NULL);
}

int main(void)
{
    static StabMat pan[N], camera[N];
    make_cameras(pan, camera);
    WeftPicture pics[N];
    for (int i = 0; i < N; i++) {
        CHECK(weft_picture_alloc(&pics[i], W, H, WEFT_PIX_GRAY8) == 0);
        render_picture(&camera[i], &pics[i]);
        pics[i].pts = i;
        pics[i].duration = 1;
        pics[i].time_base = (WeftRational){1, 25};
    }
    const int paths[] = {WEFT_STAB_PATH_GAUSS, WEFT_STAB_PATH_L1};
    for (int p = 0; p < 2; p++) {
        WeftContext *c = open_cpu(paths[p]);
        if (!c)
            break;
        CHECK(analyse_all(c, pics, N) == 0);
        /* 1. measured path against the truth (both relative to picture 0) */
        StabMat inv0;
        stab_mat_invert(&camera[0], &inv0);
        double measure_sq = 0, output_sq = 0, offsets[N][8], mean[8] = {0};
        int planned = 0;
        const StabMat *measured_camera, *correction;
        CHECK(stab_stage_plan(c, &planned, &measured_camera, &correction) == 0 && planned == N);
        if (planned != N)
            break;
        for (int i = 0; i < N; i++) {
            StabMat truth = stab_mat_mul(&camera[i], &inv0);
            measure_sq += corner_distance(&measured_camera[i], &truth);
            /* 2. corrected true camera against the smooth pan (same reference) */
            StabMat corrected = stab_mat_mul(&correction[i], &truth);
            StabMat pan_rel = stab_mat_mul(&pan[i], &inv0);
            corner_offsets(&corrected, &pan_rel, offsets[i]);
            for (int k = 0; k < 8; k++)
                mean[k] += offsets[i][k] / N;
        }
        for (int i = 0; i < N; i++)
            for (int k = 0; k < 8; k++)
                output_sq += (offsets[i][k] - mean[k]) * (offsets[i][k] - mean[k]) / 4;
        double change_sq = 0;
        StabMat previous_step = stab_mat_identity();
        for (int i = 1; i < N; i++) {
            StabMat a = stab_mat_mul(&camera[i - 1], &inv0), b = stab_mat_mul(&camera[i], &inv0);
            StabMat out_a = stab_mat_mul(&correction[i - 1], &a);
            StabMat out_b = stab_mat_mul(&correction[i], &b), out_a_inv;
            stab_mat_invert(&out_a, &out_a_inv);
            StabMat step = stab_mat_mul(&out_b, &out_a_inv);
            if (i > 1)
                change_sq += corner_distance(&step, &previous_step);
            previous_step = step;
        }
        double plan_change_rms = sqrt(change_sq / (N - 2));
        CHECK_MSG(plan_change_rms < 0.5,
                  "path %d: stabilised camera's motion changes by %.3f px "
                  "RMS",
                  paths[p], plan_change_rms);
        double measure_rms = sqrt(measure_sq / N), output_rms = sqrt(output_sq / N);
        printf("path %d: measured camera %.3f px RMS off the truth; stabilised camera %.3f px "
               "RMS off the smooth pan, its motion changes by %.3f px RMS\n",
               paths[p], measure_rms, output_rms, plan_change_rms);
        CHECK_MSG(measure_rms < 0.5, "measured path %.3f px RMS off", measure_rms);
        if (paths[p] == WEFT_STAB_PATH_GAUSS)
            CHECK_MSG(output_rms < 1.0, "stabilised path %.3f px RMS off the pan", output_rms);
        /* 4. render, then re-measure the output */
        WeftPicture out[N];
        if (paths[p] != WEFT_STAB_PATH_GAUSS) {
            weft_close(&c);
            continue;
        }
        int got = 0;
        for (int i = 0; i <= N; i++) {
            int err;
            while ((err = weft_send_picture(c, i < N ? &pics[i] : NULL)) == -EAGAIN) {
                while (got < N && weft_get_picture(c, &out[got]) == 0)
                    got++;
            }
            CHECK(err == 0);
            while (got < N && (err = weft_get_picture(c, &out[got])) == 0)
                got++;
        }
        CHECK_MSG(got == N, "%d of %d stabilised pictures", got, N);
        if (got == N) {
            WeftContext *m = open_cpu(WEFT_STAB_PATH_GAUSS);
            CHECK(analyse_all(m, out, N) == 0);
            const StabMat *out_camera, *unused;
            CHECK(stab_stage_plan(m, &planned, &out_camera, &unused) == 0 && planned == N);
            double step_sq = 0;
            change_sq = 0;
            previous_step = stab_mat_identity();
            for (int i = 1; i < N; i++) {
                StabMat prev_inv, pan_step = stab_mat_similarity(-1.2, -0.4, 0.001, 1.0);
                stab_mat_invert(&out_camera[i - 1], &prev_inv);
                StabMat step = stab_mat_mul(&out_camera[i], &prev_inv);
                step_sq += corner_distance(&step, &pan_step);
                if (i > 1)
                    change_sq += corner_distance(&step, &previous_step);
                previous_step = step;
            }
            double step_rms = sqrt(step_sq / (N - 1)), change_rms = sqrt(change_sq / (N - 2));
            printf("path %d: output re-measured: frame-to-frame motion %.3f px RMS off the "
                   "pan's, changes by %.3f px RMS\n",
                   paths[p], step_rms, change_rms);
            CHECK_MSG(change_rms < 0.5, "output shake %.3f px RMS", change_rms);
            CHECK_MSG(step_rms < 0.5, "output motion %.3f px RMS off the pan", step_rms);
            weft_close(&m);
        }
        for (int i = 0; i < got; i++)
            weft_picture_unref(&out[i]);
        weft_close(&c);
    }
    for (int i = 0; i < N; i++)
        weft_picture_unref(&pics[i]);
    return check_result("test_stab_jitter");
}
