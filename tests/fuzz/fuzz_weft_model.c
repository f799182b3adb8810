/* Fuzz target: the .weft reader (lib/nn/nn_model_read.c) and the graph executor on what it
 * accepts. Properties:
 * - nn_model_read() returns 0 or a negative errno with a reason, never crashes, and
 *   allocates no more than its limits allow;
 * - an accepted model re-encodes (nn_model_write) into a file that reads back with the same
 *   structure;
 * - the executor either refuses an accepted model with an error, or plans and runs it on a
 *   small input on the C path (bounded: models over a small compute budget are only
 *   planned). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/device.h"
#include "fuzz_target.h"
#include "nn/nn_graph.h"
#include "nn/nn_model.h"

static void try_run(const NnModel *m)
{
    Device *d = NULL;
    NnGraph *g = NULL;
    if (cpu_device_create(&d, NULL, 1) < 0)
        return;
    if (nn_graph_create(&g, d, m, NULL) == 0) {
        nn_graph_set_limit(g, (size_t)64 << 20);
        if (nn_graph_plan(g, NULL, 12, 16) < 0)
            goto done;
        size_t bytes;
        double macs;
        nn_graph_stats(g, &bytes, NULL, &macs);
        if (macs < 2e6 && bytes < ((size_t)64 << 20)) {
            /* inputs are left as allocated: values do not matter for memory safety, but
             * give them defined contents */
            for (int i = 0; i < m->n_inputs; i++) {
                WeftTensor *t = nn_graph_input(g, m->blob_name[m->inputs[i]]);
                if (t)
                    memset(t->host, 0, tensor_count(t) * sizeof(float));
            }
            nn_graph_run(g);
        }
    }
done:
    nn_graph_destroy(&g);
    device_destroy(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    NnModel *m = NULL;
    char err[256];
    int ret = nn_model_read(&m, data, size, err, sizeof(err));
    FUZZ_ASSERT(ret == 0 || ret == -EINVAL || ret == -ENOTSUP || ret == -ENOMEM);
    if (ret < 0) {
        FUZZ_ASSERT(err[0] != 0);
        FUZZ_ASSERT(m == NULL);
        return 0;
    }
    uint8_t *again = NULL;
    size_t again_size = 0;
    if (nn_model_write(m, &again, &again_size) == 0) {
        NnModel *r = NULL;
        FUZZ_ASSERT(nn_model_read(&r, again, again_size, err, sizeof(err)) == 0);
        FUZZ_ASSERT(r->n_nodes == m->n_nodes && r->n_blobs == m->n_blobs &&
                    r->n_tensors == m->n_tensors);
        nn_model_free(&r);
        free(again);
    }
    try_run(m);
    nn_model_free(&m);
    return 0;
}
