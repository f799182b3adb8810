#include <math.h>
#include <stdint.h>

#include "ops/scene_stats.h"

static int scene_stats_rows(const void *params, WeftTensor *const *t)
{
    (void)t;
    const OpSceneStatsParams *p = params;
    return p->h;
}

static int bin_of(float v)
{
    v = v < 0.0f ? 0.0f : v > 1.0f ? 1.0f : v;
    int bin = (int)(v * SCENE_STATS_BINS);
    return bin < SCENE_STATS_BINS ? bin : SCENE_STATS_BINS - 1;
}

static void scene_stats_cpu(const void *params, WeftTensor *const *t, int r0, int r1)
{
    const OpSceneStatsParams *p = params;
    const int stride = 1 + 2 * SCENE_STATS_BINS;
    for (int y = r0; y < r1; y++) {
        const float *a = (const float *)t[0]->host + (size_t)y * p->w;
        const float *b = (const float *)t[1]->host + (size_t)y * p->w;
        float *out = (float *)t[2]->host + (size_t)y * stride;
        float diff = 0.0f;
        /* integer counts in two interleaved copies: neighbouring pixels mostly fall in the
         * same bin, and one counter would make each increment wait for the last one */
        int32_t count[2][2 * SCENE_STATS_BINS] = {{0}};
        int x = 0;
        for (; x + 1 < p->w; x += 2) {
            diff += fabsf(a[x] - b[x]);
            diff += fabsf(a[x + 1] - b[x + 1]);
            count[0][bin_of(a[x])]++;
            count[0][SCENE_STATS_BINS + bin_of(b[x])]++;
            count[1][bin_of(a[x + 1])]++;
            count[1][SCENE_STATS_BINS + bin_of(b[x + 1])]++;
        }
        for (; x < p->w; x++) {
            diff += fabsf(a[x] - b[x]);
            count[0][bin_of(a[x])]++;
            count[0][SCENE_STATS_BINS + bin_of(b[x])]++;
        }
        out[0] = diff;
        for (int i = 0; i < 2 * SCENE_STATS_BINS; i++)
            out[1 + i] = (float)(count[0][i] + count[1][i]); /* exact below 2^24 */
    }
}

static void scene_stats_grid(const void *params, WeftTensor *const *t, uint32_t grid[3])
{
    (void)t;
    const OpSceneStatsParams *p = params;
    grid[0] = (uint32_t)p->h;
    grid[1] = 1;
    grid[2] = 1;
}

const OpInfo op_info_scene_stats = {
    .name = "scene_stats",
    .num_tensors = 3,
    .params_size = sizeof(OpSceneStatsParams),
    .rows = scene_stats_rows,
    .cpu = scene_stats_cpu,
    .grid = scene_stats_grid,
    .local = {64, 1, 1},
};

int op_scene_stats(Device *d, WeftTensor *a, WeftTensor *b, WeftTensor *out)
{
    if (!a || !b || !out || a->c != 1 || b->c != 1 || b->h != a->h || b->w != a->w || out->c != 1 ||
        out->h != a->h || out->w != 1 + 2 * SCENE_STATS_BINS)
        return -EINVAL;
    OpSceneStatsParams p = {.h = a->h, .w = a->w};
    return device_run(d, &op_info_scene_stats, &p, (WeftTensor *[]){a, b, out});
}

float scene_score(const float *rows, int h, int w)
{
    const int stride = 1 + 2 * SCENE_STATS_BINS;
    double diff = 0, hist_a[SCENE_STATS_BINS] = {0}, hist_b[SCENE_STATS_BINS] = {0};
    for (int y = 0; y < h; y++) {
        const float *row = rows + (size_t)y * stride;
        diff += row[0];
        for (int i = 0; i < SCENE_STATS_BINS; i++) {
            hist_a[i] += row[1 + i];
            hist_b[i] += row[1 + SCENE_STATS_BINS + i];
        }
    }
    double n = (double)w * h, distance = 0;
    for (int i = 0; i < SCENE_STATS_BINS; i++)
        distance += fabs(hist_a[i] - hist_b[i]);
    double mad = diff / n * 4.0;
    distance = distance / (2.0 * n);
    if (mad > 1.0)
        mad = 1.0;
    return (float)sqrt(mad * (distance > 1.0 ? 1.0 : distance));
}
