/* Camera motion of each frame pair, measured on the device: the luma is reduced (long side
 * STAB_ANALYSIS_SIZE), weft's dense flow is computed both ways (medium preset: the fast
 * one, refined only to quarter resolution, overestimated the motion of a synthetic pan by
 * ~2%, which accumulates along the path; medium at this size is within 0.1 px over 48
 * pictures and costs about as much as fast at long side 480), and a grid of
 * points that are textured and forward-backward consistent feeds the robust fit
 * (stab_fit.h). Motions are in centred full-resolution pixel coordinates. */
#ifndef WEFT_STAB_STAB_ANALYSE_H
#define WEFT_STAB_STAB_ANALYSE_H

#include "core/device.h"
#include "stab/stab_fit.h"

#define STAB_ANALYSIS_SIZE 320

typedef struct StabAnalyser StabAnalyser;

int stab_analyser_create(StabAnalyser **out, Device *d, Log *log, int width, int height,
                         StabModel model);
void stab_analyser_destroy(StabAnalyser **a);

/* luma: the next picture's luma on the device (1 x height x width, [0, 1]).
 * *motion: from the previous picture to this one (the identity for the first, and where no
 * consensus is found: a cut, a blank picture). *full: the same motion as a homography
 * (*motion itself when that is the model, or when no homography fits). *found: 1 when a
 * motion was fitted. */
int stab_analyser_push(StabAnalyser *a, WeftTensor *luma, StabMat *motion, StabMat *full,
                       int *found);

#endif
