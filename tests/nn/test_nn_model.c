/*
 * The .weft reader/writer and the graph executor on the test network (conformance/
 * testnet.c):
 *  - write, read back: same graph, metadata and weights (fp16 ones exactly);
 *  - hostile input: every truncation, and bytes flipped all over the file, give an error
 *    (or a valid model) and never a crash (run under ASan/UBSan in CI);
 *  - the executor: the memory plan reuses storage; the C path is deterministic; the
 *    Vulkan path agrees with it (skipped without a Vulkan device);
 *  - fp16 conversion round trips every half value.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/half.h"
#include "../unit/check.h"
#include "core/device.h"
#include "nn/nn_graph.h"
#include "nn/nn_model.h"
#include "testnet.h"

static void test_half(void)
{
    int bad = 0;
    for (uint32_t h = 0; h < 65536; h++) {
        float f = half_to_float((uint16_t)h);
        if (isnan(f))
            continue;
        bad += float_to_half(f) != h;
    }
    CHECK_MSG(bad == 0, "%d half values do not round trip", bad);
    CHECK(float_to_half(65520.0f) == 0x7c00);           /* rounds to infinity */
    CHECK(float_to_half(1.0f + 1.0f / 4096) == 0x3c00); /* ties to even */
    CHECK(half_to_float(0x0001) == ldexpf(1.0f, -24));  /* smallest subnormal */
}

static void test_round_trip(const uint8_t *file, size_t size, const NnModel *m)
{
    NnModel *r = NULL;
    char err[256];
    int ret = nn_model_read(&r, file, size, err, sizeof(err));
    CHECK_MSG(ret == 0, "read back: %s", err);
    if (ret < 0)
        return;
    CHECK(r->n_nodes == m->n_nodes && r->n_blobs == m->n_blobs && r->n_tensors == m->n_tensors);
    CHECK(r->n_inputs == 2 && r->input_channels[0] == 3 && r->input_channels[1] == 1);
    CHECK(nn_model_meta(r, "name") && !strcmp(nn_model_meta(r, "name"), "weft-testnet"));
    for (int i = 0; i < m->n_nodes && i < r->n_nodes; i++) {
        CHECK(!strcmp(r->nodes[i].op, m->nodes[i].op));
        CHECK(r->nodes[i].n_attr == m->nodes[i].n_attr);
    }
    for (int i = 0; i < m->n_tensors && i < r->n_tensors; i++) {
        CHECK(r->tensors[i].count == m->tensors[i].count);
        CHECK(r->tensors[i].dtype == m->tensors[i].dtype);
        CHECK(!memcmp(r->tensors[i].data, m->tensors[i].data, m->tensors[i].count * sizeof(float)));
    }
    nn_model_free(&r);
}

static void test_hostile(const uint8_t *file, size_t size)
{
    uint8_t *copy = malloc(size);
    if (!copy)
        return;
    NnModel *r = NULL;
    char err[256];
    int rejected = 0;
    for (size_t n = 0; n < size; n++) { /* every truncation */
        rejected += nn_model_read(&r, file, n, err, sizeof(err)) < 0;
        nn_model_free(&r);
    }
    CHECK_MSG(rejected == (int)size, "%d of %zu truncated files rejected", rejected, size);
    uint64_t rng = 12345;
    for (int trial = 0; trial < 4000; trial++) { /* random byte changes */
        memcpy(copy, file, size);
        int flips = 1 + trial % 4;
        for (int k = 0; k < flips; k++) {
            rng = rng * 6364136223846793005ull + 1442695040888963407ull;
            size_t pos = (size_t)(rng >> 33) % size;
            copy[pos] = (uint8_t)(rng >> 20);
        }
        if (nn_model_read(&r, copy, size, err, sizeof(err)) == 0)
            nn_model_free(&r);
        else
            CHECK(err[0] != 0); /* an error always says why */
    }
    free(copy);
}

/* Runs the test network on d for a 20 x 28 input; returns out0 (4 x 20 x 28) in out. */
static int run(Device *d, const NnModel *m, float *out, size_t *bytes, size_t *bytes_no_reuse)
{
    const int h = 20, w = 28;
    NnGraph *g = NULL;
    int err = nn_graph_create(&g, d, m, NULL);
    if (err < 0)
        return err;
    float *in0 = malloc(3 * h * w * sizeof(float)), *in1 = malloc(h * w * sizeof(float));
    if (!in0 || !in1) {
        err = -ENOMEM;
        goto done;
    }
    for (int i = 0; i < 3 * h * w; i++)
        in0[i] = 0.5f + 0.5f * sinf(0.37f * i);
    for (int i = 0; i < h * w; i++)
        in1[i] = 0.5f + 0.4f * cosf(0.11f * i);
    if ((err = nn_graph_plan(g, NULL, h, w)) < 0 ||
        (err = device_upload(d, nn_graph_input(g, "in0"), in0)) < 0 ||
        (err = device_upload(d, nn_graph_input(g, "in1"), in1)) < 0 ||
        (err = nn_graph_run(g)) < 0 ||
        (err = device_download(d, nn_graph_output(g, "out0"), out)) < 0)
        goto done;
    nn_graph_stats(g, bytes, bytes_no_reuse, NULL);
done:
    free(in0);
    free(in1);
    nn_graph_destroy(&g);
    return err;
}

static void test_executor(const NnModel *m)
{
    const size_t n = 4 * 20 * 28;
    float *a = calloc(n, sizeof(float)), *b = calloc(n, sizeof(float));
    Device *cpu1 = NULL, *cpu3 = NULL, *gpu = NULL;
    size_t bytes = 0, no_reuse = 0;
    if (!a || !b || cpu_device_create(&cpu1, NULL, 1) < 0 || cpu_device_create(&cpu3, NULL, 3) < 0)
        goto done;
    CHECK(run(cpu1, m, a, &bytes, &no_reuse) == 0);
    CHECK_MSG(bytes < no_reuse, "planned %zu bytes, %zu without reuse", bytes, no_reuse);
    CHECK(run(cpu3, m, b, NULL, NULL) == 0);
    CHECK(!memcmp(a, b, n * sizeof(float))); /* thread count does not change results */
    int finite = 1, varied = 0;
    for (size_t i = 0; i < n; i++) {
        finite &= isfinite(a[i]);
        varied |= fabsf(a[i] - a[0]) > 1e-3f;
    }
    CHECK(finite && varied);
    if (gpu_device_create(&gpu, NULL, -1, NULL) == 0) {
        CHECK(run(gpu, m, b, NULL, NULL) == 0);
        float worst = 0;
        for (size_t i = 0; i < n; i++)
            worst = fmaxf(worst, fabsf(a[i] - b[i]));
        CHECK_MSG(worst < 1e-4f, "Vulkan differs from the C path by %g", worst);
    } else {
        printf("no Vulkan device: executor checked on the C path only\n");
    }
done:
    device_destroy(&cpu1);
    device_destroy(&cpu3);
    device_destroy(&gpu);
    free(a);
    free(b);
}

int main(void)
{
    test_half();
    NnModel *m = NULL;
    uint8_t *file = NULL;
    size_t size = 0;
    CHECK(testnet_build(&m, 1) == 0);
    if (m && nn_model_write(m, &file, &size) == 0) {
        test_round_trip(file, size, m);
        test_hostile(file, size);
        test_executor(m);
    } else {
        CHECK(!"cannot build the test network");
    }
    free(file);
    nn_model_free(&m);
    return check_result("test_nn_model");
}
