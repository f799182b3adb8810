#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stab/stab_fit.h"

static int model_min_points(StabModel model)
{
    return model == STAB_MODEL_SIMILARITY ? 2 : model == STAB_MODEL_AFFINE ? 3 : 4;
}

/* Accumulates one weighted equation row . params = rhs into the normal equations. */
static void add_row(double *ata, double *atb, int n, const double *row, double rhs, double w)
{
    for (int i = 0; i < n; i++) {
        if (row[i] == 0.0)
            continue;
        for (int j = 0; j < n; j++)
            ata[i * n + j] += w * row[i] * row[j];
        atb[i] += w * row[i] * rhs;
    }
}

int stab_fit_least_squares(const StabMatch *m, const double *w, int n, StabModel model,
                           StabMat *out)
{
    /* Coordinates normalised (centroid 0, mean distance ~1) so that the normal equations of
     * the homography are well conditioned (Hartley 1997). */
    double sw = 0, cx = 0, cy = 0, dx = 0, dy = 0;
    for (int i = 0; i < n; i++) {
        double wi = w ? w[i] : m[i].weight;
        sw += wi;
        cx += wi * m[i].x0;
        cy += wi * m[i].y0;
        dx += wi * m[i].x1;
        dy += wi * m[i].y1;
    }
    if (!(sw > 0))
        return -EDOM;
    cx /= sw, cy /= sw, dx /= sw, dy /= sw;
    double spread = 0;
    for (int i = 0; i < n; i++) {
        double wi = w ? w[i] : m[i].weight;
        spread += wi * (hypot(m[i].x0 - cx, m[i].y0 - cy) + hypot(m[i].x1 - dx, m[i].y1 - dy));
    }
    spread /= 2 * sw;
    if (!(spread > 1e-9))
        return -EDOM;
    const double s = 1.0 / spread;
    const int np = model == STAB_MODEL_SIMILARITY ? 4 : model == STAB_MODEL_AFFINE ? 6 : 8;
    double ata[64] = {0}, atb[8] = {0};
    for (int i = 0; i < n; i++) {
        double wi = w ? w[i] : m[i].weight;
        if (!(wi > 0))
            continue;
        double x = (m[i].x0 - cx) * s, y = (m[i].y0 - cy) * s;
        double u = (m[i].x1 - dx) * s, v = (m[i].y1 - dy) * s;
        if (model == STAB_MODEL_SIMILARITY) { /* u = a x - b y + c, v = b x + a y + d */
            add_row(ata, atb, np, (double[]){x, -y, 1, 0}, u, wi);
            add_row(ata, atb, np, (double[]){y, x, 0, 1}, v, wi);
        } else if (model == STAB_MODEL_AFFINE) {
            add_row(ata, atb, np, (double[]){x, y, 1, 0, 0, 0}, u, wi);
            add_row(ata, atb, np, (double[]){0, 0, 0, x, y, 1}, v, wi);
        } else { /* u (g x + h y + 1) = a x + b y + c, linearised (DLT with h33 = 1) */
            add_row(ata, atb, np, (double[]){x, y, 1, 0, 0, 0, -u * x, -u * y}, u, wi);
            add_row(ata, atb, np, (double[]){0, 0, 0, x, y, 1, -v * x, -v * y}, v, wi);
        }
    }
    int err = stab_solve(ata, atb, np);
    if (err < 0)
        return err;
    StabMat hn;
    if (model == STAB_MODEL_SIMILARITY)
        hn = (StabMat){{atb[0], -atb[1], atb[2], atb[1], atb[0], atb[3], 0, 0, 1}};
    else if (model == STAB_MODEL_AFFINE)
        hn = (StabMat){{atb[0], atb[1], atb[2], atb[3], atb[4], atb[5], 0, 0, 1}};
    else
        hn = (StabMat){{atb[0], atb[1], atb[2], atb[3], atb[4], atb[5], atb[6], atb[7], 1}};
    /* undo the normalisation: H = T1^-1 Hn T0 with T = scale s about the centroid */
    StabMat t0 = {{s, 0, -s * cx, 0, s, -s * cy, 0, 0, 1}};
    StabMat t1inv = {{1 / s, 0, dx, 0, 1 / s, dy, 0, 0, 1}};
    StabMat a = stab_mat_mul(&hn, &t0);
    *out = stab_mat_mul(&t1inv, &a);
    stab_mat_normalize(out);
    for (int i = 0; i < 9; i++)
        if (!isfinite(out->m[i]))
            return -EDOM;
    return 0;
}

static double residual(const StabMat *h, const StabMatch *m)
{
    double x, y;
    if (stab_mat_apply(h, m->x0, m->y0, &x, &y) < 0)
        return INFINITY;
    return hypot(x - m->x1, y - m->y1);
}

/* xorshift64: deterministic sampling, the same fit on every run and machine */
static uint64_t next_random(uint64_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return *state;
}

int stab_fit_motion(const StabMatch *m, int n, StabModel model, double inlier_px,
                    StabFitResult *out)
{
    if (!m || !out || n < 0 || !(inlier_px > 0) || model < STAB_MODEL_SIMILARITY ||
        model > STAB_MODEL_HOMOGRAPHY)
        return -EINVAL;
    out->motion = stab_mat_identity();
    out->inliers = 0;
    out->rms = 0;
    const int k = model_min_points(model);
    const int min_support = k * 4 > 12 ? k * 4 : 12;
    if (n < min_support)
        return -EAGAIN;
    double *w = malloc((size_t)n * sizeof(double));
    if (!w)
        return -ENOMEM;
    /* RANSAC: the model with the most (weighted) support wins */
    uint64_t state = 0x9e3779b97f4a7c15ull ^ (uint64_t)n;
    StabMat best = stab_mat_identity();
    double best_support = -1;
    const int iterations = 256;
    for (int it = 0; it < iterations; it++) {
        StabMatch sample[4];
        int idx[4];
        for (int j = 0; j < k; j++) {
            int again;
            do {
                idx[j] = (int)(next_random(&state) % (uint64_t)n);
                again = !(m[idx[j]].weight > 0);
                for (int q = 0; q < j; q++)
                    again |= idx[q] == idx[j];
            } while (again && n > 2 * k);
            sample[j] = m[idx[j]];
            sample[j].weight = 1;
        }
        StabMat h;
        if (stab_fit_least_squares(sample, NULL, k, model, &h) < 0)
            continue;
        double support = 0;
        for (int i = 0; i < n; i++) {
            double r = residual(&h, &m[i]);
            if (r < inlier_px)
                support += m[i].weight * (1.0 - (r / inlier_px) * (r / inlier_px));
        }
        if (support > best_support) {
            best_support = support;
            best = h;
        }
    }
    /* IRLS with Tukey's biweight (cut-off twice the inlier distance): refines the consensus
     * with every point that agrees, weighting out the rest completely */
    StabMat current = best;
    const double cut = 2.0 * inlier_px;
    for (int it = 0; it < 6; it++) {
        int used = 0;
        for (int i = 0; i < n; i++) {
            double r = residual(&current, &m[i]) / cut;
            w[i] = r < 1.0 ? m[i].weight * (1 - r * r) * (1 - r * r) : 0.0;
            used += w[i] > 0;
        }
        StabMat h;
        if (used < min_support || stab_fit_least_squares(m, w, n, model, &h) < 0)
            break;
        current = h;
    }
    int inliers = 0;
    double sum_sq = 0;
    for (int i = 0; i < n; i++) {
        double r = residual(&current, &m[i]);
        if (r < inlier_px && m[i].weight > 0) {
            inliers++;
            sum_sq += r * r;
        }
    }
    free(w);
    if (inliers < min_support)
        return -EAGAIN;
    out->motion = current;
    out->inliers = inliers;
    out->rms = sqrt(sum_sq / inliers);
    return 0;
}
