#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "flow/flow.h"
#include "ops/resize.h"
#include "stab/stab_analyse.h"

#define GRID_STEP 6 /* analysis pixels between sampled points */
#define MARGIN 4    /* flow near the picture's edge is extrapolated: not sampled */

struct StabAnalyser {
    Device *dev;
    Log *log;
    StabModel model;
    int width, height; /* full resolution */
    int w, h;          /* analysis resolution */
    FlowEstimator *flow;
    WeftTensor small[2], fwd, bwd;
    int current; /* slot of the newest picture */
    int count;   /* pictures pushed */
    float *host_fwd, *host_bwd, *host_luma;
    StabMatch *matches;
    int max_matches;
};

void stab_analyser_destroy(StabAnalyser **pa)
{
    if (!pa || !*pa)
        return;
    StabAnalyser *a = *pa;
    flow_destroy(&a->flow);
    device_tensor_free(&a->small[0]);
    device_tensor_free(&a->small[1]);
    device_tensor_free(&a->fwd);
    device_tensor_free(&a->bwd);
    free(a->host_fwd);
    free(a->host_bwd);
    free(a->host_luma);
    free(a->matches);
    free(a);
    *pa = NULL;
}

int stab_analyser_create(StabAnalyser **out, Device *d, Log *log, int width, int height,
                         StabModel model)
{
    if (!out || !d || width < 1 || height < 1)
        return -EINVAL;
    *out = NULL;
    StabAnalyser *a = calloc(1, sizeof(*a));
    if (!a)
        return -ENOMEM;
    a->dev = d;
    a->log = log;
    a->model = model;
    a->width = width;
    a->height = height;
    int longest = width > height ? width : height;
    double s = longest > STAB_ANALYSIS_SIZE ? (double)STAB_ANALYSIS_SIZE / longest : 1.0;
    a->w = (int)fmax(1, floor(width * s + 0.5));
    a->h = (int)fmax(1, floor(height * s + 0.5));
    size_t n = (size_t)a->w * a->h;
    a->max_matches = (a->w / GRID_STEP + 1) * (a->h / GRID_STEP + 1);
    a->host_fwd = malloc(2 * n * sizeof(float));
    a->host_bwd = malloc(2 * n * sizeof(float));
    a->host_luma = malloc(n * sizeof(float));
    a->matches = malloc((size_t)a->max_matches * sizeof(StabMatch));
    int err = -ENOMEM;
    if (!a->host_fwd || !a->host_bwd || !a->host_luma || !a->matches)
        goto fail;
    if ((err = device_tensor(d, &a->small[0], 1, a->h, a->w)) < 0 ||
        (err = device_tensor(d, &a->small[1], 1, a->h, a->w)) < 0 ||
        (err = device_tensor(d, &a->fwd, 2, a->h, a->w)) < 0 ||
        (err = device_tensor(d, &a->bwd, 2, a->h, a->w)) < 0 ||
        (err = flow_create(&a->flow, d, WEFT_QUALITY_MEDIUM, a->w, a->h)) < 0)
        goto fail;
    *out = a;
    return 0;
fail:
    stab_analyser_destroy(&a);
    return err;
}

static float bilinear(const float *f, int w, int h, float x, float y)
{
    x = fminf(fmaxf(x, 0.0f), (float)(w - 1));
    y = fminf(fmaxf(y, 0.0f), (float)(h - 1));
    int x0 = (int)x, y0 = (int)y;
    int x1 = x0 + 1 < w ? x0 + 1 : w - 1, y1 = y0 + 1 < h ? y0 + 1 : h - 1;
    float ax = x - x0, ay = y - y0;
    float top = f[y0 * w + x0] + ax * (f[y0 * w + x1] - f[y0 * w + x0]);
    float bot = f[y1 * w + x0] + ax * (f[y1 * w + x1] - f[y1 * w + x0]);
    return top + ay * (bot - top);
}

/* How well a point can be tracked: the smaller eigenvalue of the structure tensor over a
 * 5 x 5 window (Shi and Tomasi 1994); flat areas and straight edges score low. */
static double trackability(const float *l, int w, int x, int y)
{
    double a = 0, b = 0, c = 0;
    for (int dy = -2; dy <= 2; dy++) {
        for (int dx = -2; dx <= 2; dx++) {
            int i = (y + dy) * w + x + dx;
            double gx = 0.5 * (l[i + 1] - l[i - 1]), gy = 0.5 * (l[i + w] - l[i - w]);
            a += gx * gx;
            b += gx * gy;
            c += gy * gy;
        }
    }
    return 0.5 * (a + c - sqrt((a - c) * (a - c) + 4 * b * b));
}

/* Points of the older picture (slot `from`) with forward flow that the backward flow
 * confirms (forward-backward consistency: occluded or mismatched points fail it). */
static int collect_matches(StabAnalyser *a)
{
    const int w = a->w, h = a->h;
    const size_t plane = (size_t)w * h;
    const float *fu = a->host_fwd, *fv = a->host_fwd + plane;
    const float *bu = a->host_bwd, *bv = a->host_bwd + plane;
    const double sx = (double)a->width / w, sy = (double)a->height / h;
    const double cx = 0.5 * (a->width - 1), cy = 0.5 * (a->height - 1);
    const double texture_floor = 1e-5, texture_knee = 2e-4; /* luma in [0, 1] */
    int n = 0;
    for (int y = MARGIN; y < h - MARGIN; y += GRID_STEP) {
        for (int x = MARGIN; x < w - MARGIN; x += GRID_STEP) {
            double t = trackability(a->host_luma, w, x, y);
            if (t < texture_floor)
                continue;
            size_t i = (size_t)y * w + x;
            float u = fu[i], v = fv[i];
            float tx = x + u, ty = y + v;
            if (tx < 0 || ty < 0 || tx > w - 1 || ty > h - 1)
                continue;
            float ru = bilinear(bu, w, h, tx, ty), rv = bilinear(bv, w, h, tx, ty);
            float mismatch = hypotf(u + ru, v + rv);
            if (mismatch > 0.5f + 0.05f * hypotf(u, v))
                continue;
            StabMatch *m = &a->matches[n++];
            /* pixel centres of the analysis grid to centred full-resolution coordinates */
            m->x0 = (float)((x + 0.5) * sx - 0.5 - cx);
            m->y0 = (float)((y + 0.5) * sy - 0.5 - cy);
            m->x1 = (float)((tx + 0.5) * sx - 0.5 - cx);
            m->y1 = (float)((ty + 0.5) * sy - 0.5 - cy);
            m->weight = (float)(t / (t + texture_knee));
        }
    }
    return n;
}

int stab_analyser_push(StabAnalyser *a, WeftTensor *luma, StabMat *motion, StabMat *full,
                       int *found)
{
    if (!a || !luma || !motion || !full || !found || luma->w != a->width ||
        luma->h != a->height)
        return -EINVAL;
    *motion = *full = stab_mat_identity();
    *found = 0;
    int next = a->count == 0 ? 0 : 1 - a->current;
    int err = op_resize(a->dev, luma, &a->small[next], 1.0f, 1.0f);
    if (err < 0)
        return err;
    a->count++;
    int prev = a->current;
    a->current = next;
    if (a->count < 2)
        return 0;
    if ((err = flow_compute(a->flow, &a->small[prev], &a->small[next], &a->fwd, &a->bwd)) < 0 ||
        (err = device_download(a->dev, &a->fwd, a->host_fwd)) < 0 ||
        (err = device_download(a->dev, &a->bwd, a->host_bwd)) < 0 ||
        (err = device_download(a->dev, &a->small[prev], a->host_luma)) < 0)
        return err;
    int n = collect_matches(a);
    /* one analysis pixel of disagreement, in full-resolution pixels */
    double inlier = fmax(1.0, (double)a->width / a->w);
    StabFitResult fit;
    err = stab_fit_motion(a->matches, n, a->model, inlier, &fit);
    if (err == -EAGAIN) {
        log_verbose(a->log, "stabilise: no camera motion found for picture %d (%d points)",
                    a->count - 1, n);
        return 0;
    }
    if (err < 0)
        return err;
    log_debug(a->log, "stabilise: picture %d: %d of %d points agree, %.2f px RMS", a->count - 1,
              fit.inliers, n, fit.rms);
    *motion = *full = fit.motion;
    *found = 1;
    /* the same points as a homography: the shape of the motion (stab_shape.h) and the
     * registration of neighbouring frames for the border fill */
    if (a->model != STAB_MODEL_HOMOGRAPHY &&
        stab_fit_motion(a->matches, n, STAB_MODEL_HOMOGRAPHY, inlier, &fit) == 0)
        *full = fit.motion;
    return 0;
}
