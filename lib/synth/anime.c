/*
 * Anime mode: see anime.h. The constants below are the method's, set on the line-art and
 * colour anime sets of ../shared as a whole (tests/quality/score.py --sets lineart,anime),
 * not per picture.
 */
#include <stdlib.h>

#include "ops/anime_merge.h"
#include "ops/anime_tiles.h"
#include "ops/anime_warp.h"
#include "synth/anime.h"

/* Fixed-point steps of the flow inversion (as synth_merge at medium quality and above). */
#define ANIME_ITERATIONS 3
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
    int err = op_anime_warp(s->dev, a, b, fwd, bwd, occ_a, occ_b, &warp, &s->warped);
    if (err >= 0)
        err = op_anime_tiles(s->dev, a, b, &s->warped, ANIME_TILE, ANIME_TRUST_SLOPE,
                             ANIME_CONSISTENT, &s->tiles);
    if (err >= 0)
        err = op_anime_merge(s->dev, a, b, &s->warped, &s->tiles, ANIME_TILE, t,
                             ANIME_HOLD_SHARPNESS, ANIME_HOLD_INK, out);
    return err;
}
