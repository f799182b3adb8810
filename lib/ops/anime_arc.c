#include <math.h>

#include "ops/anime_arc.h"
#include "ops/op_inline.h"

/* Below this angle the arc is the chord to float precision (and 0/0 is avoided): the flow
 * is copied. */
#define ANIME_ARC_MIN_ANGLE 1e-6f

static int anime_arc_rows(const void *params, WeftTensor *const *t)
{
    (void)t;
    return ((const OpAnimeArcParams *)params)->h;
}

static void anime_arc_cpu(const void *params, WeftTensor *const *t, int y0, int y1)
{
    const OpAnimeArcParams *p = params;
    const int w = p->w, h = p->h, r = p->radius;
    const size_t plane = (size_t)w * h;
    const float *u = t[0]->host, *v = u + plane, *occ = t[1]->host;
    float *ou = t[2]->host, *ov = ou + plane;
    for (int y = y0; y < y1; y++) {
        const int ya = clampi(y - r, 0, h - 1), yb = clampi(y + r, 0, h - 1);
        const float dy = yb > ya ? 1.0f / (float)(yb - ya) : 0.0f;
        for (int x = 0; x < w; x++) {
            const int xa = clampi(x - r, 0, w - 1), xb = clampi(x + r, 0, w - 1);
            const float dx = xb > xa ? 1.0f / (float)(xb - xa) : 0.0f;
            const size_t i = (size_t)y * w + x;
            const size_t il = (size_t)y * w + xa, ir = (size_t)y * w + xb;
            const size_t iu = (size_t)ya * w + x, id = (size_t)yb * w + x;
            float ux = (u[ir] - u[il]) * dx, vx = (v[ir] - v[il]) * dx;
            float uy = (u[id] - u[iu]) * dy, vy = (v[id] - v[iu]) * dy;
            float theta = clampf(atan2f(vx - uy, 2.0f + ux + vy), -p->max_angle, p->max_angle) *
                          (1.0f - occ[i]);
            if (fabsf(theta) < ANIME_ARC_MIN_ANGLE) {
                ou[i] = u[i];
                ov[i] = v[i];
                continue;
            }
            float gain = sinf(0.5f * p->t * theta) / (p->t * sinf(0.5f * theta));
            float phase = 0.5f * (p->t - 1.0f) * theta;
            float c = gain * cosf(phase), s = gain * sinf(phase);
            ou[i] = c * u[i] - s * v[i];
            ov[i] = s * u[i] + c * v[i];
        }
    }
}

static void anime_arc_grid(const void *params, WeftTensor *const *t, uint32_t grid[3])
{
    (void)t;
    const OpAnimeArcParams *p = params;
    grid[0] = (uint32_t)p->w;
    grid[1] = (uint32_t)p->h;
    grid[2] = 1;
}

const OpInfo op_info_anime_arc = {
    .name = "anime_arc",
    .num_tensors = 3,
    .params_size = sizeof(OpAnimeArcParams),
    .rows = anime_arc_rows,
    .cpu = anime_arc_cpu,
    .grid = anime_arc_grid,
    .local = {16, 16, 1},
};

int op_anime_arc(Device *d, WeftTensor *flow, WeftTensor *occ, const OpAnimeArcParams *p,
                 WeftTensor *out)
{
    if (!flow || !occ || !p || !out)
        return -EINVAL;
    const int h = flow->h, w = flow->w;
    if (flow->c != 2 || occ->c != 1 || occ->h != h || occ->w != w || out->c != 2 || out->h != h || out->w != w || p->radius < 1 ||
        !(p->t > 0.0f && p->t < 1.0f) || !(p->max_angle >= 0.0f && p->max_angle < 3.14159f))
        return -EINVAL;
    OpAnimeArcParams q = *p;
    q.h = h;
    q.w = w;
    return device_run(d, &op_info_anime_arc, &q, (WeftTensor *[]){flow, occ, out});
}
