#include <math.h>

#include "ops/var_weights.h"

static int var_weights_rows(const void *params, WeftTensor *const *t)
{
    (void)t;
    return ((const OpVarWeightsParams *)params)->h;
}

static void var_weights_cpu(const void *params, WeftTensor *const *t, int r0, int r1)
{
    const OpVarWeightsParams *p = params;
    const int w = p->w, h = p->h;
    const size_t plane = (size_t)w * h;
    const float *dv8 = t[0]->host, *fl = t[1]->host, *df = t[2]->host;
    float *out = t[3]->host;
    for (int y = r0; y < r1; y++) {
        for (int x = 0; x < w; x++) {
            const size_t i = (size_t)y * w + x;
            const float ix = dv8[i], iy = dv8[plane + i], iz = dv8[2 * plane + i];
            const float ixx = dv8[3 * plane + i], ixy = dv8[4 * plane + i];
            const float iyy = dv8[5 * plane + i], ixz = dv8[6 * plane + i];
            const float iyz = dv8[7 * plane + i];
            const float du = df[i], dv = df[plane + i];
            const float r0v = iz + ix * du + iy * dv;
            const float rx = ixz + ixx * du + ixy * dv;
            const float ry = iyz + ixy * du + iyy * dv;
            const float n0 = 1.0f / (ix * ix + iy * iy + p->zeta_sq);
            const float nx = 1.0f / (ixx * ixx + ixy * ixy + p->zeta_sq);
            const float ny = 1.0f / (ixy * ixy + iyy * iyy + p->zeta_sq);
            const float pd = p->delta * n0 / sqrtf(n0 * r0v * r0v + p->eps_data_sq);
            const float pg = p->gamma / sqrtf(nx * rx * rx + ny * ry * ry + p->eps_data_sq);
            const float gx = pg * nx, gy = pg * ny;
            out[i] = pd * ix * ix + gx * ixx * ixx + gy * ixy * ixy;
            out[plane + i] = pd * ix * iy + gx * ixx * ixy + gy * ixy * iyy;
            out[2 * plane + i] = pd * iy * iy + gx * ixy * ixy + gy * iyy * iyy;
            out[3 * plane + i] = -(pd * ix * iz + gx * ixx * ixz + gy * ixy * iyz);
            out[4 * plane + i] = -(pd * iy * iz + gx * ixy * ixz + gy * iyy * iyz);
            /* smoothness of the updated flow, forward differences */
            const size_t ir = x + 1 < w ? i + 1 : i, id = y + 1 < h ? i + w : i;
            const float uc = fl[i] + du, vc = fl[plane + i] + dv;
            const float ux = fl[ir] + df[ir] - uc, uy = fl[id] + df[id] - uc;
            const float vx = fl[plane + ir] + df[plane + ir] - vc;
            const float vy = fl[plane + id] + df[plane + id] - vc;
            out[5 * plane + i] =
                p->alpha / sqrtf(ux * ux + uy * uy + vx * vx + vy * vy + p->eps_smooth_sq);
        }
    }
}

static void var_weights_grid(const void *params, WeftTensor *const *t, uint32_t grid[3])
{
    (void)t;
    const OpVarWeightsParams *p = params;
    grid[0] = (uint32_t)p->w;
    grid[1] = (uint32_t)p->h;
    grid[2] = 1;
}

const OpInfo op_info_var_weights = {
    .name = "var_weights",
    .num_tensors = 4,
    .params_size = sizeof(OpVarWeightsParams),
    .rows = var_weights_rows,
    .cpu = var_weights_cpu,
    .grid = var_weights_grid,
    .local = {16, 16, 1},
};

int op_var_weights(Device *d, WeftTensor *derivs, WeftTensor *flow, WeftTensor *dflow,
                   const OpVarWeightsParams *params, WeftTensor *out)
{
    if (!derivs || !flow || !dflow || !params || !out || derivs->c != 8 || flow->c != 2 ||
        dflow->c != 2 || out->c != 6 || flow->h != derivs->h || flow->w != derivs->w ||
        dflow->h != derivs->h || dflow->w != derivs->w || out->h != derivs->h ||
        out->w != derivs->w)
        return -EINVAL;
    OpVarWeightsParams p = *params;
    p.h = derivs->h;
    p.w = derivs->w;
    return device_run(d, &op_info_var_weights, &p, (WeftTensor *[]){derivs, flow, dflow, out});
}
