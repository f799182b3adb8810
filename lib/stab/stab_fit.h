/* Robust fit of a global planar motion to point correspondences (from dense flow): RANSAC
 * on minimal samples for the consensus, then iteratively reweighted least squares (Tukey
 * biweight) on all points, so that moving subjects (a minority of consistent outliers) do
 * not drag the camera. Pure C, deterministic. */
#ifndef WEFT_STAB_STAB_FIT_H
#define WEFT_STAB_STAB_FIT_H

#include "stab/stab_matrix.h"

typedef enum StabModel {
    STAB_MODEL_SIMILARITY = 0, /* translation, rotation, uniform scale (4 parameters) */
    STAB_MODEL_AFFINE = 1,     /* 6 parameters */
    STAB_MODEL_HOMOGRAPHY = 2, /* 8 parameters */
} StabModel;

/* Point (x0, y0) of the first frame is seen at (x1, y1) in the second; weight >= 0 says how
 * much it is trusted (texture, flow consistency). */
typedef struct StabMatch {
    float x0, y0, x1, y1;
    float weight;
} StabMatch;

typedef struct StabFitResult {
    StabMat motion; /* maps first-frame points to second-frame points */
    int inliers;    /* points within the inlier distance of the final motion */
    double rms;     /* RMS residual of those inliers, pixels */
} StabFitResult;

/* Fits `model` to n matches. inlier_px: the residual (pixels) up to which a point supports
 * a model. Returns 0, or -EAGAIN when there is no consensus (too few matches or inliers:
 * the caller keeps the identity), -EINVAL on bad arguments. */
int stab_fit_motion(const StabMatch *m, int n, StabModel model, double inlier_px,
                    StabFitResult *out);

/* Weighted least-squares fit of `model` to all n matches with weights w (NULL: the
 * matches' own). Returns 0 or -EDOM (degenerate). Exposed for the tests. */
int stab_fit_least_squares(const StabMatch *m, const double *w, int n, StabModel model,
                           StabMat *out);

#endif
