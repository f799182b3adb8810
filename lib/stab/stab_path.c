#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stab/stab_path.h"

enum { KIND_SHIFT, KIND_LINEAR, KIND_PERSPECTIVE };

int stab_path_num_params(StabModel model)
{
    return model == STAB_MODEL_SIMILARITY ? 4 : model == STAB_MODEL_AFFINE ? 6 : 8;
}

static int param_kind(StabModel model, int k)
{
    if (k < 2)
        return KIND_SHIFT;
    return model == STAB_MODEL_HOMOGRAPHY && k >= 6 ? KIND_PERSPECTIVE : KIND_LINEAR;
}

void stab_path_to_params(StabModel model, const StabMat *a, double *p)
{
    StabMat m = *a;
    stab_mat_normalize(&m);
    p[0] = m.m[2];
    p[1] = m.m[5];
    if (model == STAB_MODEL_SIMILARITY) {
        /* the similarity nearest to the linear part: mean of the two rotation estimates */
        double c = 0.5 * (m.m[0] + m.m[4]), s = 0.5 * (m.m[3] - m.m[1]);
        p[2] = atan2(s, c);
        p[3] = log(fmax(hypot(c, s), 1e-9));
        return;
    }
    p[2] = m.m[0] - 1;
    p[3] = m.m[1];
    p[4] = m.m[3];
    p[5] = m.m[4] - 1;
    if (model == STAB_MODEL_HOMOGRAPHY) {
        p[6] = m.m[6];
        p[7] = m.m[7];
    }
}

StabMat stab_path_from_params(StabModel model, const double *p)
{
    if (model == STAB_MODEL_SIMILARITY)
        return stab_mat_similarity(p[0], p[1], p[2], exp(p[3]));
    StabMat m = {{p[2] + 1, p[3], p[0], p[4], p[5] + 1, p[1], 0, 0, 1}};
    if (model == STAB_MODEL_HOMOGRAPHY) {
        m.m[6] = p[6];
        m.m[7] = p[7];
    }
    return m;
}

void stab_path_accumulate(const StabMat *motion, int n, StabMat *camera)
{
    if (n < 1)
        return;
    camera[0] = stab_mat_identity();
    for (int i = 1; i < n; i++) {
        camera[i] = stab_mat_mul(&motion[i], &camera[i - 1]);
        stab_mat_normalize(&camera[i]);
    }
}

/* Gaussian low-pass of one parameter, as a Gaussian-weighted local linear fit at each
 * frame (a local regression, Cleveland 1979): inside the shot it equals the plain Gaussian
 * (the weights are symmetric), and near the ends, where the window is one-sided, it
 * follows the path's trend instead of flattening or pinning it to the (shaken) first and
 * last pictures. */
static void gauss_smooth(const double *c, int n, double sigma, double *out)
{
    int radius = (int)ceil(3 * sigma);
    for (int i = 0; i < n; i++) {
        double s0 = 0, s1 = 0, s2 = 0, t0 = 0, t1 = 0;
        for (int j = i - radius; j <= i + radius; j++) {
            if (j < 0 || j >= n)
                continue;
            double d = j - i, w = exp(-0.5 * d * d / (sigma * sigma));
            s0 += w;
            s1 += w * d;
            s2 += w * d * d;
            t0 += w * c[j];
            t1 += w * d * c[j];
        }
        double det = s0 * s2 - s1 * s1;
        /* the fit's value at d = 0; a single point (or none to fit a slope) is its mean */
        out[i] = det > 1e-12 * s0 * s0 ? (s2 * t0 - s1 * t1) / det : t0 / s0;
    }
}

int stab_path_smooth_track(const double *track, int n, StabPathMode mode, int smooth,
                           double bound, double *out)
{
    if (!track || !out || n < 1 || smooth < 1 || bound < 0 || (mode == STAB_PATH_L1 && !(bound > 0)))
        return -EINVAL;
    if (mode == STAB_PATH_GAUSS) {
        gauss_smooth(track, n, 0.5 * smooth, out);
    } else if (mode == STAB_PATH_TRIPOD) {
        /* the camera that needs the least correction overall: the mean */
        double mean = 0;
        for (int i = 0; i < n; i++)
            mean += track[i];
        mean /= n;
        for (int i = 0; i < n; i++)
            out[i] = mean;
    } else {
        double *r = malloc((size_t)n * sizeof(double));
        if (!r)
            return -ENOMEM;
        for (int i = 0; i < n; i++)
            r[i] = bound;
        const StabL1Weights w = {10, 1, 100};
        int err = stab_l1_smooth(track, r, n, &w, out);
        free(r);
        if (err < 0)
            return err;
    }
    if (bound > 0) /* the limit on how far the corrected frame may move */
        for (int i = 0; i < n; i++)
            out[i] = fmin(fmax(out[i], track[i] - bound), track[i] + bound);
    return 0;
}

/* The limits of the correction for each kind of parameter (0 = no limit). */
static void limits(const StabPathOptions *o, double bound[3])
{
    double shift = o->max_shift, angle = o->max_angle;
    if (o->mode == STAB_PATH_L1) {
        /* the L1 problem needs a bound: without one a constant path is optimal */
        int short_side = o->width < o->height ? o->width : o->height;
        if (!(shift > 0))
            shift = short_side * o->smooth / 300.0;
        if (!(angle > 0))
            angle = o->smooth / 15.0 * 1.5 * M_PI / 180.0;
    }
    bound[KIND_SHIFT] = shift;
    bound[KIND_LINEAR] = angle;
    /* a perspective term g moves a point at distance d by about g d^2: the same limit as
     * a rotation at half the diagonal */
    bound[KIND_PERSPECTIVE] = angle / (0.5 * hypot(o->width, o->height));
}

int stab_path_smooth(const StabMat *camera, int n, const StabPathOptions *o, StabMat *correction)
{
    if (!camera || !o || !correction || n < 1 || o->smooth < 1 || o->width < 1 || o->height < 1 ||
        o->max_shift < 0 || o->max_angle < 0)
        return -EINVAL;
    const int np = stab_path_num_params(o->model);
    double *c = malloc((size_t)n * np * sizeof(double));
    double *track = malloc((size_t)n * sizeof(double));
    double *smooth = malloc((size_t)n * sizeof(double));
    int err = -ENOMEM;
    if (!c || !track || !smooth)
        goto done;
    for (int i = 0; i < n; i++) {
        stab_path_to_params(o->model, &camera[i], c + (size_t)i * np);
        if (o->model == STAB_MODEL_SIMILARITY && i > 0) { /* unwrap the angle */
            double *a = &c[(size_t)i * np + 2];
            double prev = c[(size_t)(i - 1) * np + 2];
            *a = prev + remainder(*a - prev, 2 * M_PI);
        }
    }
    double bound[3];
    limits(o, bound);
    double *p = malloc((size_t)n * np * sizeof(double));
    if (!p)
        goto done;
    for (int k = 0; k < np; k++) {
        for (int i = 0; i < n; i++)
            track[i] = c[(size_t)i * np + k];
        if ((err = stab_path_smooth_track(track, n, o->mode, o->smooth,
                                          bound[param_kind(o->model, k)], smooth)) < 0) {
            free(p);
            goto done;
        }
        for (int i = 0; i < n; i++)
            p[(size_t)i * np + k] = smooth[i];
    }
    for (int i = 0; i < n; i++) {
        /* the camera as the model sees it (itself when measured with the model; its
         * similarity part when a homography was measured and a similarity corrects it, so
         * the correction never distorts) */
        StabMat target = stab_path_from_params(o->model, p + (size_t)i * np), inverse;
        StabMat seen = stab_path_from_params(o->model, c + (size_t)i * np);
        if (stab_mat_invert(&seen, &inverse) < 0) {
            correction[i] = stab_mat_identity();
            continue;
        }
        correction[i] = stab_mat_mul(&target, &inverse);
        stab_mat_normalize(&correction[i]);
    }
    free(p);
    err = 0;
done:
    free(c);
    free(track);
    free(smooth);
    return err;
}
