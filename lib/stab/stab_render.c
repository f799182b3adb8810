#include <errno.h>

#include "ops/warp_homography.h"
#include "stab/stab_render.h"

/* the blending band along a picture's edges, as a fraction of its short side */
#define STAB_FEATHER_FRACTION 24

void stab_render_pixel_map(const StabMat *centred, int w, int h, float out[9])
{
    /* centred = pixel - ((w - 1) / 2, (h - 1) / 2) on both sides */
    const double cx = 0.5 * (w - 1), cy = 0.5 * (h - 1);
    StabMat to_centred = stab_mat_translate(-cx, -cy), to_pixel = stab_mat_translate(cx, cy);
    StabMat a = stab_mat_mul(centred, &to_centred);
    StabMat m = stab_mat_mul(&to_pixel, &a);
    stab_mat_normalize(&m);
    for (int i = 0; i < 9; i++)
        out[i] = (float)m.m[i];
}

int stab_render_covers(const StabMat *centred, int w, int h)
{
    const double hw = 0.5 * w, hh = 0.5 * h;
    for (int k = 0; k < 4; k++) {
        double x, y;
        if (stab_mat_apply(centred, (k & 1) ? hw : -hw, (k & 2) ? hh : -hh, &x, &y) < 0 ||
            x < -hw || x > hw || y < -hh || y > hh)
            return 0;
    }
    return 1;
}

int stab_render(Device *d, WeftTensor *out, WeftTensor *coverage, WeftTensor *const *sources,
                const StabMat *maps, int count)
{
    if (!d || !out || !coverage || !sources || !maps || count < 1)
        return -EINVAL;
    const int w = out->w, h = out->h;
    float m[9];
    stab_render_pixel_map(&maps[0], w, h, m);
    if (stab_render_covers(&maps[0], w, h))
        return op_warp_homography(d, sources[0], out, coverage, m, WARP_HOMOGRAPHY_ALL, 0);
    /* the pictures blend over a band along their edges: a hard seam where two of them meet
     * (they never register perfectly: parallax, exposure) would move with the shake and
     * draw corners for anything that tracks the output */
    const float feather = (float)(w < h ? w : h) / STAB_FEATHER_FRACTION;
    int err = op_warp_homography(d, sources[0], out, coverage, m, WARP_HOMOGRAPHY_ALL, feather);
    for (int k = 1; k < count && err >= 0; k++) {
        float mk[9];
        stab_render_pixel_map(&maps[k], w, h, mk);
        err = op_warp_homography(d, sources[k], out, coverage, mk, WARP_HOMOGRAPHY_HOLES,
                                 feather);
    }
    if (err >= 0)
        err = op_warp_homography(d, sources[0], out, coverage, m, WARP_HOMOGRAPHY_EDGE, feather);
    return err;
}
