/* The camera's shape wobble: the part of the frame-to-frame motion that a similarity cannot
 * model (shear and perspective: a rolling shutter's skew, a hand-held camera tilting
 * against the scene's main plane). The similarity path (stab_path.h) steadies position,
 * angle and size; this removes the shape's jitter on top of it, with a correction held to a
 * small non-similarity part so that the picture is never visibly distorted.
 *
 * Each motion's residual (the measured homography with the measured similarity taken out)
 * gives four near-zero parameters: two of shear, two of perspective (scaled to how far they
 * move the picture's corners). Their running sums are the shape's path, which is smoothed
 * like a camera parameter (gauss, l1, tripod) within +-max_shear; the difference becomes a
 * near-identity transform applied to the frame before its similarity correction, scaled
 * back where needed so that at no corner of the picture it distorts (anisotropy of its
 * local linear map) more than a shear of max_shear alone. Working
 * on frame-to-frame residuals (not on homographies accumulated from the first frame) keeps
 * the parameters meaningful however far the camera travels. Pure C, no device. */
#ifndef WEFT_STAB_STAB_SHAPE_H
#define WEFT_STAB_STAB_SHAPE_H

#include "stab/stab_path.h"

typedef struct StabShapeOptions {
    StabPathMode mode;
    int smooth;        /* strength in frames, as for the path */
    double max_shear;  /* largest shear of the correction (and perspective that moves the
                          picture's corners as much); 0: no shape correction */
    int width, height; /* picture size in pixels */
} StabShapeOptions;

/* similarity[i], full[i]: the motion from frame i-1 to frame i measured as a similarity and
 * as a homography (centred coordinates; index 0 unused). shape[i] (n of them): the
 * near-identity transform of frame i (centred coordinates) to apply before its similarity
 * correction. Returns 0, -EINVAL, -ENOMEM. */
int stab_shape_correct(const StabMat *similarity, const StabMat *full, int n,
                       const StabShapeOptions *o, StabMat *shape);

/* The four shape parameters of a near-similarity transform (centred coordinates):
 * shear (m0 - m4) / 2, (m1 + m3) / 2 and perspective m6, m7 times `reach` (the distance
 * at which the perspective is weighed, pixels). Exposed for the tests. */
void stab_shape_params(const StabMat *m, double reach, double p[4]);

#endif
