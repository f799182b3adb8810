#include <errno.h>
#include <math.h>
#include <string.h>

#include "stab/stab_matrix.h"

StabMat stab_mat_identity(void)
{
    return (StabMat){{1, 0, 0, 0, 1, 0, 0, 0, 1}};
}

StabMat stab_mat_translate(double tx, double ty)
{
    return (StabMat){{1, 0, tx, 0, 1, ty, 0, 0, 1}};
}

StabMat stab_mat_scale(double s)
{
    return (StabMat){{s, 0, 0, 0, s, 0, 0, 0, 1}};
}

StabMat stab_mat_similarity(double tx, double ty, double angle, double scale)
{
    double c = scale * cos(angle), s = scale * sin(angle);
    return (StabMat){{c, -s, tx, s, c, ty, 0, 0, 1}};
}

StabMat stab_mat_mul(const StabMat *a, const StabMat *b)
{
    StabMat r;
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            r.m[3 * i + j] = a->m[3 * i] * b->m[j] + a->m[3 * i + 1] * b->m[3 + j] +
                             a->m[3 * i + 2] * b->m[6 + j];
    return r;
}

int stab_mat_invert(const StabMat *a, StabMat *out)
{
    const double *m = a->m;
    double c00 = m[4] * m[8] - m[5] * m[7], c01 = m[5] * m[6] - m[3] * m[8],
           c02 = m[3] * m[7] - m[4] * m[6];
    double det = m[0] * c00 + m[1] * c01 + m[2] * c02;
    double scale = fabs(m[0]) + fabs(m[1]) + fabs(m[3]) + fabs(m[4]) + fabs(m[8]);
    if (!(fabs(det) > 1e-14 * scale * scale * scale) || !isfinite(det))
        return -EDOM;
    double inv = 1.0 / det;
    StabMat r = {{
        c00 * inv,
        (m[2] * m[7] - m[1] * m[8]) * inv,
        (m[1] * m[5] - m[2] * m[4]) * inv,
        c01 * inv,
        (m[0] * m[8] - m[2] * m[6]) * inv,
        (m[2] * m[3] - m[0] * m[5]) * inv,
        c02 * inv,
        (m[1] * m[6] - m[0] * m[7]) * inv,
        (m[0] * m[4] - m[1] * m[3]) * inv,
    }};
    *out = r;
    return 0;
}

void stab_mat_normalize(StabMat *a)
{
    if (fabs(a->m[8]) > 1e-12) {
        double inv = 1.0 / a->m[8];
        for (int i = 0; i < 9; i++)
            a->m[i] *= inv;
    }
}

int stab_mat_apply(const StabMat *a, double x, double y, double *ox, double *oy)
{
    const double *m = a->m;
    double w = m[6] * x + m[7] * y + m[8];
    if (!(fabs(w) > 1e-12))
        return -EDOM;
    *ox = (m[0] * x + m[1] * y + m[2]) / w;
    *oy = (m[3] * x + m[4] * y + m[5]) / w;
    return 0;
}

int stab_solve(double *a, double *b, int n)
{
    if (n < 1 || n > 16)
        return -EINVAL;
    for (int col = 0; col < n; col++) {
        int pivot = col;
        for (int r = col + 1; r < n; r++)
            if (fabs(a[r * n + col]) > fabs(a[pivot * n + col]))
                pivot = r;
        if (!(fabs(a[pivot * n + col]) > 1e-300))
            return -EDOM;
        if (pivot != col) {
            for (int k = 0; k < n; k++) {
                double t = a[col * n + k];
                a[col * n + k] = a[pivot * n + k];
                a[pivot * n + k] = t;
            }
            double t = b[col];
            b[col] = b[pivot];
            b[pivot] = t;
        }
        for (int r = col + 1; r < n; r++) {
            double f = a[r * n + col] / a[col * n + col];
            if (f == 0.0)
                continue;
            for (int k = col; k < n; k++)
                a[r * n + k] -= f * a[col * n + k];
            b[r] -= f * b[col];
        }
    }
    for (int r = n - 1; r >= 0; r--) {
        double s = b[r];
        for (int k = r + 1; k < n; k++)
            s -= a[r * n + k] * b[k];
        b[r] = s / a[r * n + r];
        if (!isfinite(b[r]))
            return -EDOM;
    }
    return 0;
}
