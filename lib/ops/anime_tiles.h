/* anime_tiles: per-region confidence of the anime mode ("know when not to warp"). For each
 * tile of tile x tile pixels it measures how consistent each way of making the in-between
 * is, and from that how far to trust the warp and, where it is not trusted, whether a
 * cross-fade or a hold fits better.
 * tensors: 0 a (C x H x W), 1 b (C x H x W), 2 warped (2C + 1 x H x W, from anime_warp),
 *          3 tiles (2 x TH x TW, TH = ceil(H / tile), TW = ceil(W / tile): plane 0 trust of
 *          the warp, plane 1 fade share of the fallback; both 0..1).
 * Per tile, over its n pixels (mean over channels m(.), max over channels M(.)):
 *   ew = mean M(|wa - wb|)  (the two warped frames should agree if the motion is right),
 *   eb = mean M(|a - b|)    (what a cross-fade leaves disagreeing),
 *   trust = max(clamp((eb - ew) / (eb + 1e-3) * slope, 0, 1), clamp(1 - ew / agree, 0, 1)):
 *   warp where it explains the change better than a cross-fade, and wherever the warped
 *   frames agree outright (a still or empty region: warping is harmless there, and a
 *   fallback would bleed into the trusted regions beside it);
 *   ncc = (cov(m(a), m(b)) + 1e-4) / sqrt((var(m(a)) + 1e-4) (var(m(b)) + 1e-4)) over the
 *   tile (two flat tiles count as related; a drawing in one frame only does not),
 *   fade = clamp((ncc - 0.2) / 0.5, 0, 1): where the two frames are still linearly related
 *   (a fade, a flash, a lighting change, a flat area) a cross-fade is consistent with both;
 *   where the content is replaced (an effect, a smear) a cross-fade is a double exposure and
 *   holding one drawing is the consistent choice.
 * Sums run over the tile's pixels in raster order, channels innermost.
 * params: c, h, w, tile (>= 1), tw, th, slope (> 0), agree (> 0). Rows: one per row of
 * tiles. */
#ifndef WEFT_OPS_ANIME_TILES_H
#define WEFT_OPS_ANIME_TILES_H

#include "core/device.h"

typedef struct OpAnimeTilesParams {
    int32_t c, h, w, tile, tw, th;
    float slope, agree;
} OpAnimeTilesParams;

extern const OpInfo op_info_anime_tiles;
int op_anime_tiles(Device *d, WeftTensor *a, WeftTensor *b, WeftTensor *warped, int tile,
                   float slope, float agree, WeftTensor *tiles);

#endif
