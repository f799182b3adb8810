#include "ops/var_sor.h"

static int var_sor_rows(const void *params, WeftTensor *const *t)
{
    (void)t;
    return ((const OpVarSorParams *)params)->h;
}

static void var_sor_cpu(const void *params, WeftTensor *const *t, int r0, int r1)
{
    const OpVarSorParams *p = params;
    const int w = p->w, h = p->h;
    const size_t plane = (size_t)w * h;
    const float *sys = t[0]->host, *u = t[1]->host, *v = t[1]->host + plane;
    const float *du = t[2]->host, *dv = t[2]->host + plane;
    const float *s = sys + 5 * plane;
    float *odu = t[3]->host, *odv = t[3]->host + plane;
    const float omega = p->omega;
    for (int y = r0; y < r1; y++) {
        const size_t row = (size_t)y * w;
        for (int x = 0; x < w; x++) {
            odu[row + x] = du[row + x];
            odv[row + x] = dv[row + x];
        }
        for (int x = (y + p->colour) & 1; x < w; x += 2) {
            const size_t i = row + x;
            const float si = s[i];
            float sum = 0.0f, nu = 0.0f, nv = 0.0f;
            const float ui = u[i], vi = v[i];
#define NEIGHBOUR(j)                                                                               \
    do {                                                                                           \
        const float sij = 0.5f * (si + s[j]);                                                      \
        sum += sij;                                                                                \
        nu += sij * (u[j] + du[j] - ui);                                                           \
        nv += sij * (v[j] + dv[j] - vi);                                                           \
    } while (0)
            if (x > 0)
                NEIGHBOUR(i - 1);
            if (x + 1 < w)
                NEIGHBOUR(i + 1);
            if (y > 0)
                NEIGHBOUR(i - w);
            if (y + 1 < h)
                NEIGHBOUR(i + w);
#undef NEIGHBOUR
            const float a11 = sys[i], a12 = sys[plane + i], a22 = sys[2 * plane + i];
            const float b1 = sys[3 * plane + i], b2 = sys[4 * plane + i];
            float ndu = du[i], ndv = dv[i];
            if (a11 + sum > 0.0f)
                ndu = (1.0f - omega) * ndu + omega * (b1 + nu - a12 * ndv) / (a11 + sum);
            if (a22 + sum > 0.0f)
                ndv = (1.0f - omega) * ndv + omega * (b2 + nv - a12 * ndu) / (a22 + sum);
            odu[i] = ndu;
            odv[i] = ndv;
        }
    }
}

static void var_sor_grid(const void *params, WeftTensor *const *t, uint32_t grid[3])
{
    (void)t;
    const OpVarSorParams *p = params;
    grid[0] = (uint32_t)p->w;
    grid[1] = (uint32_t)p->h;
    grid[2] = 1;
}

const OpInfo op_info_var_sor = {
    .name = "var_sor",
    .num_tensors = 4,
    .params_size = sizeof(OpVarSorParams),
    .rows = var_sor_rows,
    .cpu = var_sor_cpu,
    .grid = var_sor_grid,
    .local = {16, 16, 1},
};

int op_var_sor(Device *d, WeftTensor *system, WeftTensor *flow, WeftTensor *dflow_in, int colour,
               float omega, WeftTensor *dflow_out)
{
    if (!system || !flow || !dflow_in || !dflow_out || dflow_in == dflow_out || system->c != 6 ||
        flow->c != 2 || dflow_in->c != 2 || dflow_out->c != 2 || flow->h != system->h ||
        flow->w != system->w || dflow_in->h != system->h || dflow_in->w != system->w ||
        dflow_out->h != system->h || dflow_out->w != system->w || (colour != 0 && colour != 1))
        return -EINVAL;
    OpVarSorParams p = {.h = system->h, .w = system->w, .colour = colour, .omega = omega};
    return device_run(d, &op_info_var_sor, &p, (WeftTensor *[]){system, flow, dflow_in, dflow_out});
}
