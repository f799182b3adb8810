#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "stab/stab_zoom.h"

static int covers(const StabMat *inverse, double zoom, int w, int h)
{
    const double hw = 0.5 * w, hh = 0.5 * h;
    const double corners[4][2] = {{-hw, -hh}, {hw, -hh}, {hw, hh}, {-hw, hh}};
    for (int k = 0; k < 4; k++) {
        double x, y;
        /* the frame is convex and a homography keeps straight edges, so the corners decide */
        if (stab_mat_apply(inverse, corners[k][0] / zoom, corners[k][1] / zoom, &x, &y) < 0)
            return 0;
        if (x < -hw - 1e-6 || x > hw + 1e-6 || y < -hh - 1e-6 || y > hh + 1e-6)
            return 0;
    }
    return 1;
}

double stab_zoom_needed(const StabMat *correction, int w, int h)
{
    StabMat inverse;
    if (stab_mat_invert(correction, &inverse) < 0)
        return STAB_MAX_ZOOM;
    if (covers(&inverse, 1.0, w, h))
        return 1.0;
    if (!covers(&inverse, STAB_MAX_ZOOM, w, h))
        return STAB_MAX_ZOOM;
    double lo = 1.0, hi = STAB_MAX_ZOOM;
    for (int it = 0; it < 40; it++) {
        double mid = 0.5 * (lo + hi);
        if (covers(&inverse, mid, w, h))
            hi = mid;
        else
            lo = mid;
    }
    return hi;
}

int stab_zoom_plan(const StabMat *correction, int n, int w, int h, StabBorder border, int smooth,
                   double *zoom)
{
    if (!correction || !zoom || n < 1 || w < 1 || h < 1 || smooth < 1)
        return -EINVAL;
    if (border == STAB_BORDER_FILL) {
        for (int i = 0; i < n; i++)
            zoom[i] = 1.0;
        return 0;
    }
    double *need = malloc((size_t)n * sizeof(double));
    double *peak = malloc((size_t)n * sizeof(double));
    if (!need || !peak) {
        free(need);
        free(peak);
        return -ENOMEM;
    }
    double most = 1.0;
    for (int i = 0; i < n; i++) {
        need[i] = stab_zoom_needed(&correction[i], w, h);
        most = fmax(most, need[i]);
    }
    if (border == STAB_BORDER_CROP) {
        for (int i = 0; i < n; i++)
            zoom[i] = most;
    } else {
        /* a running maximum over +-2 sigma, then a Gaussian of sigma: the zoom rises ahead
         * of a need and falls after it, without steps */
        double sigma = fmax(1.0, smooth);
        int radius = (int)ceil(2 * sigma);
        for (int i = 0; i < n; i++) {
            double m = 1.0;
            for (int j = i - radius; j <= i + radius; j++)
                if (j >= 0 && j < n)
                    m = fmax(m, need[j]);
            peak[i] = m;
        }
        for (int i = 0; i < n; i++) {
            double sum = 0, wsum = 0;
            for (int j = i - radius; j <= i + radius; j++) {
                if (j < 0 || j >= n)
                    continue;
                double wt = exp(-0.5 * (j - i) * (j - i) / (sigma * sigma));
                sum += wt * peak[j];
                wsum += wt;
            }
            zoom[i] = fmax(1.0, sum / wsum);
        }
    }
    free(need);
    free(peak);
    return 0;
}
