/* The camera path and its smoothing. The path is the chain of frame-to-frame motions:
 * camera[i] maps coordinates of frame 0 to coordinates of frame i (centred pixel
 * coordinates: origin at the picture's centre, so rotations turn about it). A smoothed path
 * P is chosen near it; frame i is then shown through the correction P[i] camera[i]^-1
 * (frame i -> output), which holds the world still where the camera shook.
 * Smoothing works on a parameter vector per frame (model-specific: for a similarity
 * translation, angle and log-scale; for affine and homography the matrix entries), each
 * parameter smoothed on its own. Pure C, no device. */
#ifndef WEFT_STAB_STAB_PATH_H
#define WEFT_STAB_STAB_PATH_H

#include "stab/stab_fit.h"
#include "stab/stab_l1.h"

typedef enum StabPathMode {
    STAB_PATH_GAUSS = 0,  /* Gaussian low-pass, sigma = smooth / 2 frames */
    STAB_PATH_L1 = 1,     /* L1-optimal (stab_l1.h) within the limits */
    STAB_PATH_TRIPOD = 2, /* one fixed camera for the whole shot */
} StabPathMode;

#define STAB_MAX_PARAMS 8

typedef struct StabPathOptions {
    StabModel model;
    StabPathMode mode;
    int smooth;        /* strength in frames (>= 1) */
    double max_shift;  /* largest correction of the centre in pixels; 0: none (gauss,
                          tripod) or automatic (l1: min(w, h) * smooth / 300) */
    double max_angle;  /* largest rotation of the correction in radians; 0: none (gauss,
                          tripod) or automatic (l1: smooth / 15 * 1.5 degrees) */
    int width, height; /* picture size in pixels */
} StabPathOptions;

/* Number of parameters of a model's path and the parameters of one transform. */
int stab_path_num_params(StabModel model);
void stab_path_to_params(StabModel model, const StabMat *m, double *params);
StabMat stab_path_from_params(StabModel model, const double *params);

/* Accumulates frame-to-frame motions (motion[i]: frame i-1 -> frame i, motion[0] unused)
 * into camera[0..n-1] (camera[0] = identity). */
void stab_path_accumulate(const StabMat *motion, int n, StabMat *camera);

/* Smooths one parameter's track (n values) by `mode` with strength `smooth` (frames) and
 * keeps it within `bound` of the track (0: no bound; l1 needs one). Returns 0, -EINVAL,
 * -ENOMEM. */
int stab_path_smooth_track(const double *track, int n, StabPathMode mode, int smooth,
                           double bound, double *out);

/* Chooses the smoothed path and writes the corrections (frame i -> output, centred
 * coordinates) for each of the n frames. Returns 0, -EINVAL, -ENOMEM. */
int stab_path_smooth(const StabMat *camera, int n, const StabPathOptions *o, StabMat *correction);

#endif
