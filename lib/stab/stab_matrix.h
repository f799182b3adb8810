/* 3x3 matrices (row-major, double) for planar camera motion: similarity, affine and
 * homography transforms of pixel coordinates, and a small dense linear solver for the fits.
 * Pure C, no device. */
#ifndef WEFT_STAB_STAB_MATRIX_H
#define WEFT_STAB_STAB_MATRIX_H

typedef struct StabMat {
    double m[9]; /* row-major: x' = (m0 x + m1 y + m2) / (m6 x + m7 y + m8), likewise y' */
} StabMat;

StabMat stab_mat_identity(void);
StabMat stab_mat_translate(double tx, double ty);
StabMat stab_mat_scale(double s);
/* s R(angle) followed by a translation: x' = s (cos a x - sin a y) + tx, ... */
StabMat stab_mat_similarity(double tx, double ty, double angle, double scale);
/* a * b: apply b first, then a. */
StabMat stab_mat_mul(const StabMat *a, const StabMat *b);
/* Returns 0, or -EDOM for a (nearly) singular matrix. */
int stab_mat_invert(const StabMat *a, StabMat *out);
/* Scales so that m[8] == 1 (when m[8] is not ~0). */
void stab_mat_normalize(StabMat *a);
/* Applies a to (x, y); returns 0, or -EDOM when the point maps to infinity. */
int stab_mat_apply(const StabMat *a, double x, double y, double *ox, double *oy);
/* Solves the n x n system a x = b in place (partial pivoting): b becomes x. a is destroyed.
 * Returns 0, or -EDOM when the system is singular. n <= 16. */
int stab_solve(double *a, double *b, int n);

#endif
