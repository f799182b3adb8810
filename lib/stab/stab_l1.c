#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stab/stab_l1.h"

#define BAND 4 /* A^T A has entries (i, i + d) for d = 0..3 */

static const double stencil[3][4] = {{-1, 1, 0, 0}, {1, -2, 1, 0}, {-1, 3, -3, 1}};

/* y = D_k x (k = 1..3): n - k values */
static void diff(int k, const double *x, int n, double *y)
{
    for (int i = 0; i + k < n; i++) {
        double s = 0;
        for (int j = 0; j <= k; j++)
            s += stencil[k - 1][j] * x[i + j];
        y[i] = s;
    }
}

/* x += D_k^T y */
static void diff_transpose_add(int k, const double *y, int n, double *x)
{
    for (int i = 0; i + k < n; i++)
        for (int j = 0; j <= k; j++)
            x[i + j] += stencil[k - 1][j] * y[i];
}

/* Banded Cholesky of M = I + sum_k Dk^T Dk in place: band[i * BAND + d] = M(i, i + d) on
 * input, L(i + d, i) on output (L lower triangular, M = L L^T). */
static int band_cholesky(double *band, int n)
{
    for (int i = 0; i < n; i++) {
        double diag = band[i * BAND];
        for (int k = 1; k < BAND && i - k >= 0; k++)
            diag -= band[(i - k) * BAND + k] * band[(i - k) * BAND + k];
        if (!(diag > 0))
            return -EDOM;
        diag = sqrt(diag);
        band[i * BAND] = diag;
        for (int d = 1; d < BAND && i + d < n; d++) {
            double s = band[i * BAND + d];
            /* L(i+d, i) = (M(i, i+d) - sum_k L(i, i-k) L(i+d, i-k)) / L(i, i) */
            for (int k = 1; k < BAND && i - k >= 0 && d + k < BAND; k++)
                s -= band[(i - k) * BAND + k] * band[(i - k) * BAND + d + k];
            band[i * BAND + d] = s / diag;
        }
    }
    return 0;
}

static void band_solve(const double *band, int n, double *x)
{
    for (int i = 0; i < n; i++) { /* L y = b */
        double s = x[i];
        for (int k = 1; k < BAND && i - k >= 0; k++)
            s -= band[(i - k) * BAND + k] * x[i - k];
        x[i] = s / band[i * BAND];
    }
    for (int i = n - 1; i >= 0; i--) { /* L^T x = y */
        double s = x[i];
        for (int d = 1; d < BAND && i + d < n; d++)
            s -= band[i * BAND + d] * x[i + d];
        x[i] = s / band[i * BAND];
    }
}

static double soft(double x, double t)
{
    return x > t ? x - t : x < -t ? x + t : 0.0;
}

int stab_l1_smooth(const double *c, const double *r, int n, const StabL1Weights *w, double *p)
{
    if (!c || !r || !w || !p || n < 1)
        return -EINVAL;
    double scale = 0;
    for (int i = 0; i < n; i++) {
        if (!(r[i] > 0) || !isfinite(c[i]))
            return -EINVAL;
        scale = fmax(scale, r[i]);
    }
    if (n < 2) {
        p[0] = c[0];
        return 0;
    }
    /* blocks of z: D1 p (n-1), D2 p (n-2), D3 p (n-3), p (n) */
    int len[4], off[4], total = 0;
    for (int k = 0; k < 4; k++) {
        len[k] = k < 3 ? (n - k - 1 > 0 ? n - k - 1 : 0) : n;
        off[k] = total;
        total += len[k];
    }
    double *band = calloc((size_t)n * BAND, sizeof(double));
    double *z = calloc((size_t)total, sizeof(double));
    double *u = calloc((size_t)total, sizeof(double));
    double *ap = calloc((size_t)total, sizeof(double));
    double *lo = malloc((size_t)n * sizeof(double));
    double *hi = malloc((size_t)n * sizeof(double));
    double *x = malloc((size_t)n * sizeof(double));
    int err = -ENOMEM;
    if (!band || !z || !u || !ap || !lo || !hi || !x)
        goto done;
    /* work on the path divided by its largest bound: the same step sizes suit every
     * parameter (pixels, radians) */
    for (int i = 0; i < n; i++) {
        lo[i] = (c[i] - r[i]) / scale;
        hi[i] = (c[i] + r[i]) / scale;
        band[i * BAND] = 1.0;
    }
    for (int k = 1; k <= 3; k++)
        for (int i = 0; i + k < n; i++)
            for (int a = 0; a <= k; a++)
                for (int b = a; b <= k; b++)
                    band[(i + a) * BAND + (b - a)] += stencil[k - 1][a] * stencil[k - 1][b];
    if ((err = band_cholesky(band, n)) < 0)
        goto done;
    const double weight[3] = {w->w1, w->w2, w->w3};
    /* the penalty: large enough that the thresholds w_k / rho are well below the
     * differences of a path normalised to bounds of 1 (measured on constructed paths: the
     * sparsity of D3 p, the knots, settles within 20000 steps from rho ~ 3 sum w) */
    const double rho = 3.0 * (weight[0] + weight[1] + weight[2]) + 1e-9;
    const double relax = 1.6; /* over-relaxation (Boyd et al., 3.4.3) */
    for (int i = 0; i < n; i++) {
        z[off[3] + i] = c[i] / scale;
        x[i] = c[i] / scale;
    }
    for (int k = 1; k <= 3; k++)
        diff(k, x, n, z + off[k - 1]);
    const int max_iterations = 20000;
    for (int it = 0; it < max_iterations; it++) {
        /* p-step: (A^T A) x = A^T (z - u) */
        for (int i = 0; i < n; i++)
            x[i] = z[off[3] + i] - u[off[3] + i];
        for (int k = 1; k <= 3; k++) {
            double *t = ap + off[k - 1]; /* scratch */
            for (int i = 0; i < len[k - 1]; i++)
                t[i] = z[off[k - 1] + i] - u[off[k - 1] + i];
            diff_transpose_add(k, t, n, x);
        }
        band_solve(band, n, x);
        for (int k = 1; k <= 3; k++)
            diff(k, x, n, ap + off[k - 1]);
        memcpy(ap + off[3], x, (size_t)n * sizeof(double));
        /* z-step: soft thresholds for the L1 terms, the box for the proximity bound */
        double primal = 0, dual = 0;
        for (int k = 0; k < 4; k++) {
            for (int i = 0; i < len[k]; i++) {
                int j = off[k] + i;
                double a = relax * ap[j] + (1 - relax) * z[j];
                double v = a + u[j];
                double nz = k < 3 ? soft(v, weight[k] / rho) : fmin(fmax(v, lo[i]), hi[i]);
                dual += (nz - z[j]) * (nz - z[j]);
                z[j] = nz;
                u[j] += a - nz;
                primal += (ap[j] - nz) * (ap[j] - nz);
            }
        }
        if (it > 50 && primal < 1e-24 * total && dual < 1e-24 * total)
            break;
    }
    /* the box is a hard limit: x is within round-off of z's box part */
    for (int i = 0; i < n; i++)
        p[i] = fmin(fmax(x[i], lo[i]), hi[i]) * scale;
    err = 0;
done:
    free(band);
    free(z);
    free(u);
    free(ap);
    free(lo);
    free(hi);
    free(x);
    return err;
}
