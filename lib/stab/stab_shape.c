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
    for (int i = 0; i < n; i++)
        shape[i] = shape_from_params(target + (size_t)i * NUM_SHAPE, reach);
    free(target);
    err = 0;
done:
    free(path);
    free(track);
    free(smooth);
    return err;
}
