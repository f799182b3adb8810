/*
 * Anime mode: see anime.h. The constants below are the method's, set on the line-art and
 * colour anime sets of ../shared as a whole (tests/quality/score.py --sets lineart,anime),
 * not per picture.
 */
#include <stdlib.h>

#include "ops/anime_arc.h"
#include "ops/anime_merge.h"
#include "ops/anime_tiles.h"
#include "ops/anime_warp.h"
#include "synth/anime.h"

/* Fixed-point steps of the flow inversion (as synth_merge at medium quality and above;
 * anime_warp keeps the iterate with the smallest residual, so more steps only add cost:
 * 6 steps scored 0.01 dB below 3 on AoT_S4E4_shot1). */
#define ANIME_ITERATIONS 3
/* The local rotation of the flow is measured over +-16 pixels: a limb's width, enough to
 * average the flow's noise on thin lines (8 and 32 score alike on the line-art sets). */
#define ANIME_ARC_RADIUS 16
/* Largest rotation taken into account (rad, about 143 degrees); beyond it the flow is folded
 * or wrong rather than turning. */
#define ANIME_ARC_MAX_ANGLE 2.5f
/* Largest channel difference (0..1) up to which two warped samples count as the same
 * drawing and are averaged; well above flat-colour noise, well below line contrast. */
#define ANIME_AGREE 0.25f
/* Steepness of the choice of one side where they disagree. */
#define ANIME_PICK_SHARPNESS 16.0f
/* Regions of 32 x 32 pixels: large enough for a stable consistency measure, small enough
 * to separate a moving character from an effect beside it. */
#define ANIME_TILE 32
/* Full trust in the warp once it leaves half the disagreement a cross-fade leaves. */
#define ANIME_TRUST_SLOPE 2.0f
/* Steepness of the hold's per-pixel choice of source: a difference of 1/64 of full scale
 * between the two sources' distances to the warp is already a near-certain choice. */
#define ANIME_HOLD_SHARPNESS 64.0f
/* Weight of a source pixel's ink in that choice: a line is held unless the other source
 * is closer to the warp by more than a quarter of the line's ink (measured on the
 * line-art sets: without it the held lines thin out and the chamfer distance rises). */
#define ANIME_HOLD_INK 0.25f
/* Mean disagreement of the warped frames (0..1) below which a region is trusted outright:
 * about the compression noise of a still 8-bit region. */
#define ANIME_CONSISTENT 0.02f

struct AnimeSynth {
    Device *dev;
    WeftTensor warped, tiles;
    WeftTensor arc_fwd, arc_bwd; /* the flows bent along their rotation, for one t */
};

int anime_synth_create(AnimeSynth **out, Device *d, int channels, int width, int height)
{
    if (!out || !d || channels < 1 || width < 1 || height < 1)
        return -EINVAL;
    *out = NULL;
    AnimeSynth *s = calloc(1, sizeof(*s));
    if (!s)
        return -ENOMEM;
    s->dev = d;
    int err = device_tensor(d, &s->warped, 2 * channels + 1, height, width);
    if (err >= 0)
        err = device_tensor(d, &s->arc_fwd, 2, height, width);
    if (err >= 0)
        err = device_tensor(d, &s->arc_bwd, 2, height, width);
    if (err >= 0)
        err = device_tensor(d, &s->tiles, 2, (height + ANIME_TILE - 1) / ANIME_TILE,
                            (width + ANIME_TILE - 1) / ANIME_TILE);
    if (err < 0) {
        anime_synth_destroy(&s);
        return err;
    }
    *out = s;
    return 0;
}

void anime_synth_destroy(AnimeSynth **ps)
{
    if (!ps || !*ps)
        return;
    device_tensor_free(&(*ps)->warped);
    device_tensor_free(&(*ps)->tiles);
    device_tensor_free(&(*ps)->arc_fwd);
    device_tensor_free(&(*ps)->arc_bwd);
    free(*ps);
    *ps = NULL;
}

int anime_synth_frame(AnimeSynth *s, WeftTensor *a, WeftTensor *b, WeftTensor *fwd, WeftTensor *bwd,
                      WeftTensor *occ_a, WeftTensor *occ_b, float t, WeftTensor *out)
{
    if (!s || !(t > 0.0f && t < 1.0f))
        return -EINVAL;
    const OpAnimeWarpParams warp = {
        .iterations = ANIME_ITERATIONS, .t = t, .sel = ANIME_AGREE, .sharp = ANIME_PICK_SHARPNESS};
    /* Each side moves along the arc of its own flow's rotation (where that flow passes the
     * forward-backward check): a to t by fwd, b to t by bwd over 1 - t. */
    const OpAnimeArcParams arc_a = {
        .radius = ANIME_ARC_RADIUS, .t = t, .max_angle = ANIME_ARC_MAX_ANGLE};
    const OpAnimeArcParams arc_b = {
        .radius = ANIME_ARC_RADIUS, .t = 1.0f - t, .max_angle = ANIME_ARC_MAX_ANGLE};
    int err = op_anime_arc(s->dev, fwd, occ_a, &arc_a, &s->arc_fwd);
    if (err >= 0)
        err = op_anime_arc(s->dev, bwd, occ_b, &arc_b, &s->arc_bwd);
    if (err >= 0)
        err = op_anime_warp(s->dev, a, b, &s->arc_fwd, &s->arc_bwd, occ_a, occ_b, &warp,
                            &s->warped);
    if (err >= 0)
        err = op_anime_tiles(s->dev, a, b, &s->warped, ANIME_TILE, ANIME_TRUST_SLOPE,
                             ANIME_CONSISTENT, &s->tiles);
    if (err >= 0)
        err = op_anime_merge(s->dev, a, b, &s->warped, &s->tiles, ANIME_TILE, t,
                             ANIME_HOLD_SHARPNESS, ANIME_HOLD_INK, out);
    return err;
}
