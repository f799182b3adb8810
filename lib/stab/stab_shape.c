#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "stab/stab_shape.h"

#define NUM_SHAPE 4

void stab_shape_params(const StabMat *a, double reach, double p[NUM_SHAPE])
{
    StabMat m = *a;
    stab_mat_normalize(&m);
    p[0] = 0.5 * (m.m[0] - m.m[4]);
    p[1] = 0.5 * (m.m[1] + m.m[3]);
    p[2] = m.m[6] * reach;
    p[3] = m.m[7] * reach;
}

static StabMat shape_from_params(const double p[NUM_SHAPE], double reach)
{
    StabMat m = {{1 + p[0], p[1], 0, p[1], 1 - p[0], 0, p[2] / reach, p[3] / reach, 1}};
    return m;
}

/* The least ratio of the singular values of m's local linear map (its Jacobian) at the
 * picture's corners: 1 where m only moves, turns and scales; the distortion measure of the
 * stabilisation literature reads it at one corner. */
static double corner_isotropy(const StabMat *m, double hw, double hh)
{
    double worst = 1;
    for (int k = 0; k < 4; k++) {
        const double *a = m->m;
        double x = (k & 1) ? hw : -hw, y = (k & 2) ? hh : -hh;
        double den = a[6] * x + a[7] * y + a[8];
        double u = (a[0] * x + a[1] * y + a[2]) / den, v = (a[3] * x + a[4] * y + a[5]) / den;
        /* d(u, v) / d(x, y) of the projective map */
        double j00 = (a[0] - u * a[6]) / den, j01 = (a[1] - u * a[7]) / den;
        double j10 = (a[3] - v * a[6]) / den, j11 = (a[4] - v * a[7]) / den;
        /* singular values of a 2 x 2 matrix from its similarity and anti-similarity parts */
        double p = hypot(0.5 * (j00 + j11), 0.5 * (j10 - j01));
        double q = hypot(0.5 * (j00 - j11), 0.5 * (j10 + j01));
        worst = fmin(worst, p > q ? (p - q) / (p + q) : 0);
    }
    return worst;
}

int stab_shape_correct(const StabMat *similarity, const StabMat *full, int n,
                       const StabShapeOptions *o, StabMat *shape)
{
    if (!similarity || !full || !o || !shape || n < 1 || o->smooth < 1 || o->width < 1 ||
        o->height < 1 || !(o->max_shear >= 0))
        return -EINVAL;
    for (int i = 0; i < n; i++)
        shape[i] = stab_mat_identity();
    if (o->max_shear == 0 || n < 2)
        return 0;
    /* a perspective term g moves a corner at distance d by about g d^2, relative to d: g d,
     * so at half the diagonal it weighs like a shear */
    const double reach = 0.5 * hypot(o->width, o->height);
    double *path = malloc((size_t)n * NUM_SHAPE * sizeof(double));
    double *track = malloc((size_t)n * sizeof(double));
    double *smooth = malloc((size_t)n * sizeof(double));
    int err = -ENOMEM;
    if (!path || !track || !smooth)
        goto done;
    for (int k = 0; k < NUM_SHAPE; k++)
        path[k] = 0;
    for (int i = 1; i < n; i++) {
        /* the residual in frame i-1's coordinates: the homography with the similarity
         * undone; near the identity, residuals add up to first order */
        StabMat inverse, residual;
        double p[NUM_SHAPE] = {0, 0, 0, 0};
        if (stab_mat_invert(&similarity[i], &inverse) == 0) {
            residual = stab_mat_mul(&inverse, &full[i]);
            stab_shape_params(&residual, reach, p);
        }
        for (int k = 0; k < NUM_SHAPE; k++)
            path[(size_t)i * NUM_SHAPE + k] = path[(size_t)(i - 1) * NUM_SHAPE + k] + p[k];
    }
    double *target = malloc((size_t)n * NUM_SHAPE * sizeof(double));
    if (!target)
        goto done;
    for (int k = 0; k < NUM_SHAPE; k++) {
        for (int i = 0; i < n; i++)
            track[i] = path[(size_t)i * NUM_SHAPE + k];
        if ((err = stab_path_smooth_track(track, n, o->mode, o->smooth, o->max_shear, smooth)) <
            0) {
            free(target);
            goto done;
        }
        for (int i = 0; i < n; i++)
            target[(size_t)i * NUM_SHAPE + k] = smooth[i] - track[i];
    }
    /* the box on each parameter lets them add up at a corner: where they do, the correction
     * is scaled back until it distorts no more than a shear of max_shear alone */
    const double floor_ratio = (1 - o->max_shear) / (1 + o->max_shear);
    for (int i = 0; i < n; i++) {
        double *t = target + (size_t)i * NUM_SHAPE, p[NUM_SHAPE];
        shape[i] = shape_from_params(t, reach);
        if (corner_isotropy(&shape[i], 0.5 * o->width, 0.5 * o->height) >= floor_ratio)
            continue;
        double lo = 0, hi = 1;
        for (int it = 0; it < 20; it++) {
            double mid = 0.5 * (lo + hi);
            for (int k = 0; k < NUM_SHAPE; k++)
                p[k] = mid * t[k];
            StabMat m = shape_from_params(p, reach);
            if (corner_isotropy(&m, 0.5 * o->width, 0.5 * o->height) >= floor_ratio)
                lo = mid;
            else
                hi = mid;
        }
        for (int k = 0; k < NUM_SHAPE; k++)
            p[k] = lo * t[k];
        shape[i] = shape_from_params(p, reach);
    }
    free(target);
    err = 0;
done:
    free(path);
    free(track);
    free(smooth);
    return err;
}
