/* How much the stabilised picture is enlarged so that no border shows: one fixed zoom for
 * the whole shot (border crop), or a zoom that follows the need slowly (adaptive). Pure C. */
#ifndef WEFT_STAB_STAB_ZOOM_H
#define WEFT_STAB_STAB_ZOOM_H

#include "stab/stab_matrix.h"

typedef enum StabBorder {
    STAB_BORDER_CROP = 0,     /* one zoom over the whole path that hides every border */
    STAB_BORDER_ADAPTIVE = 1, /* a slowly varying zoom */
    STAB_BORDER_FILL = 2,     /* no zoom: borders filled from neighbouring frames */
} StabBorder;

#define STAB_MAX_ZOOM 4.0

/* The smallest zoom (>= 1, about the centre) with which the output rectangle, mapped back
 * through `correction` (frame -> output, centred coordinates), lies inside the w x h frame.
 * Capped at STAB_MAX_ZOOM. */
double stab_zoom_needed(const StabMat *correction, int w, int h);

/* zoom[i] for each of n frames by the border policy; `smooth` (frames) sets how slowly an
 * adaptive zoom changes. Returns 0, -EINVAL, -ENOMEM. */
int stab_zoom_plan(const StabMat *correction, int n, int w, int h, StabBorder border, int smooth,
                   double *zoom);

#endif
