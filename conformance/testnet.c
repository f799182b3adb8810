#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/half.h"
#include "testnet.h"

typedef struct Builder {
    NnModel *m;
    uint64_t rng;
    int err;
} Builder;

static float uniform(Builder *b, float lo, float hi)
{
    b->rng = b->rng * 6364136223846793005ull + 1442695040888963407ull;
    return lo + (hi - lo) * (float)((b->rng >> 40) * (1.0 / 16777216.0));
}

static int blob(Builder *b, const char *name)
{
    NnModel *m = b->m;
    for (int i = 0; i < m->n_blobs; i++)
        if (!strcmp(m->blob_name[i], name))
            return i;
    m->blob_name[m->n_blobs] = name;
    return m->n_blobs++;
}

static NnNode *node(Builder *b, const char *op, const char *name, const char *in0, const char *in1,
                    const char *out)
{
    NnModel *m = b->m;
    NnNode *n = &m->nodes[m->n_nodes++];
    n->op = op;
    n->name = name;
    n->in = nn_arena_alloc(m->arena, 2 * sizeof(int));
    n->out = nn_arena_alloc(m->arena, sizeof(int));
    n->attr = nn_arena_alloc(m->arena, 8 * sizeof(NnAttr));
    n->weights = nn_arena_alloc(m->arena, 2 * sizeof(int));
    if (!n->in || !n->out || !n->attr || !n->weights) {
        b->err = -ENOMEM;
        return n;
    }
    n->in[n->n_in++] = blob(b, in0);
    if (in1)
        n->in[n->n_in++] = blob(b, in1);
    n->out[n->n_out++] = blob(b, out);
    return n;
}

static void attr_ints(Builder *b, NnNode *n, const char *key, int v0, int v1, int count)
{
    NnAttr *a = &n->attr[n->n_attr++];
    a->key = key;
    a->type = count == 1 ? NN_ATTR_INT : NN_ATTR_INTS;
    a->count = count;
    if (!(a->ints = nn_arena_alloc(b->m->arena, 2 * sizeof(int32_t)))) {
        b->err = -ENOMEM;
        return;
    }
    a->ints[0] = v0;
    a->ints[1] = v1;
}

static void attr_floats(Builder *b, NnNode *n, const char *key, float v0, float v1, int count)
{
    NnAttr *a = &n->attr[n->n_attr++];
    a->key = key;
    a->type = count == 1 ? NN_ATTR_FLOAT : NN_ATTR_FLOATS;
    a->count = count;
    if (!(a->floats = nn_arena_alloc(b->m->arena, 2 * sizeof(float)))) {
        b->err = -ENOMEM;
        return;
    }
    a->floats[0] = v0;
    a->floats[1] = v1;
}

static void attr_str(NnNode *n, const char *key, const char *v)
{
    NnAttr *a = &n->attr[n->n_attr++];
    a->key = key;
    a->type = NN_ATTR_STRING;
    a->count = 1;
    a->str = v;
}

static void tensor(Builder *b, NnNode *n, const char *name, int dtype, int ndim, const int *dims,
                   float scale)
{
    NnModel *m = b->m;
    NnTensorData *t = &m->tensors[m->n_tensors];
    t->name = name;
    t->dtype = dtype;
    t->ndim = ndim;
    t->count = 1;
    for (int i = 0; i < ndim; i++) {
        t->dims[i] = dims[i];
        t->count *= (size_t)dims[i];
    }
    if (!(t->data = nn_arena_alloc(m->arena, t->count * sizeof(float)))) {
        b->err = -ENOMEM;
        return;
    }
    for (size_t i = 0; i < t->count; i++) {
        float v = uniform(b, -scale, scale);
        /* stored fp16: keep the values exactly representable so a round trip is exact */
        t->data[i] = dtype == NN_DTYPE_F16 ? half_to_float(float_to_half(v)) : v;
    }
    n->weights[n->n_weights++] = m->n_tensors++;
}

static void conv(Builder *b, const char *op, const char *name, const char *in, const char *out,
                 int cin, int cout, int k, int stride, int act)
{
    NnNode *n = node(b, op, name, in, NULL, out);
    if (b->err)
        return;
    attr_ints(b, n, "out_channels", cout, 0, 1);
    attr_ints(b, n, "kernel", k, k, 2);
    attr_ints(b, n, "stride", stride, stride, 2);
    attr_ints(b, n, "pad", 1, 1, 2);
    attr_ints(b, n, "dilation", 1, 1, 2);
    attr_ints(b, n, "activation", act, 0, 1);
    attr_floats(b, n, "slope", act == 2 ? 0.2f : 0.0f, 0, 1);
    int wd[4] = {cout, cin, k, k}, bd[1] = {cout};
    char wname[64], bname[64];
    snprintf(wname, sizeof(wname), "%s.weight", name);
    snprintf(bname, sizeof(bname), "%s.bias", name);
    tensor(b, n, nn_arena_strndup(b->m->arena, wname, strlen(wname)), NN_DTYPE_F16, 4, wd,
           sqrtf(3.0f / (float)(cin * k * k)));
    tensor(b, n, nn_arena_strndup(b->m->arena, bname, strlen(bname)), NN_DTYPE_F32, 1, bd, 0.1f);
}

int testnet_build(NnModel **out, uint64_t seed)
{
    Builder b = {.rng = seed * 2654435761u + 1};
    int err = nn_model_new(&b.m);
    if (err < 0)
        return err;
    NnModel *m = b.m;
    m->blob_name = nn_arena_alloc(m->arena, 32 * sizeof(char *));
    m->nodes = nn_arena_alloc(m->arena, 20 * sizeof(NnNode));
    m->tensors = nn_arena_alloc(m->arena, 8 * sizeof(NnTensorData));
    m->inputs = nn_arena_alloc(m->arena, 2 * sizeof(int));
    m->input_channels = nn_arena_alloc(m->arena, 2 * sizeof(int));
    m->outputs = nn_arena_alloc(m->arena, sizeof(int));
    m->meta_key = nn_arena_alloc(m->arena, 3 * sizeof(char *));
    m->meta_value = nn_arena_alloc(m->arena, 3 * sizeof(char *));
    if (!m->blob_name || !m->nodes || !m->tensors || !m->inputs || !m->input_channels ||
        !m->outputs || !m->meta_key || !m->meta_value) {
        nn_model_free(&b.m);
        return -ENOMEM;
    }
    m->inputs[0] = blob(&b, "in0");
    m->inputs[1] = blob(&b, "in1");
    m->input_channels[0] = 3;
    m->input_channels[1] = 1;
    m->n_inputs = 2;
    NnNode *n;
    node(&b, "split", "split", "in0", NULL, "img");
    conv(&b, "conv2d", "conv1", "img", "c1", 3, 8, 3, 2, 2);
    conv(&b, "conv2d", "conv2", "c1", "c2", 8, 8, 3, 1, 0);
    n = node(&b, "binary", "residual", "c2", "c1", "c3");
    attr_str(n, "op", "add");
    n = node(&b, "leaky_relu", "relu", "c3", NULL, "c4");
    attr_floats(&b, n, "slope", 0.2f, 0, 1);
    conv(&b, "deconv2d", "deconv", "c4", "d1", 8, 12, 4, 2, 0);
    n = node(&b, "pixel_shuffle", "shuffle", "d1", NULL, "ps");
    attr_ints(&b, n, "factor", 2, 0, 1);
    n = node(&b, "resize", "down", "ps", NULL, "r1");
    attr_str(n, "mode", "bilinear");
    attr_floats(&b, n, "scale", 0.5f, 0.5f, 2);
    n = node(&b, "binary", "flowscale", "r1", NULL, "r2");
    attr_str(n, "op", "mul");
    attr_floats(&b, n, "scalar", 8.0f, 0, 1);
    n = node(&b, "slice", "flow", "r2", NULL, "flow");
    attr_ints(&b, n, "axis", 0, 0, 1);
    attr_ints(&b, n, "begin", 0, 0, 1);
    attr_ints(&b, n, "end", 2, 0, 1);
    node(&b, "rife_warp", "warp", "img", "flow", "warped");
    n = node(&b, "binary", "mask", "warped", "in1", "m1");
    attr_str(n, "op", "mul");
    n = node(&b, "binary", "invmask", "in1", NULL, "inv");
    attr_str(n, "op", "rsub");
    attr_floats(&b, n, "scalar", 1.0f, 0, 1);
    n = node(&b, "binary", "mask2", "inv", "img", "m2");
    attr_str(n, "op", "mul");
    n = node(&b, "eltwise", "blend", "m1", "m2", "e");
    attr_str(n, "op", "sum");
    attr_floats(&b, n, "coeffs", 0.5f, 2.0f, 2);
    n = node(&b, "concat", "cat", "e", "in1", "cat");
    attr_ints(&b, n, "axis", 0, 0, 1);
    node(&b, "sigmoid", "sigmoid", "cat", NULL, "out0");
    m->outputs[0] = blob(&b, "out0");
    m->n_outputs = 1;
    m->meta_key[0] = "name";
    m->meta_value[0] = "weft-testnet";
    m->meta_key[1] = "source";
    m->meta_value[1] = "conformance/testnet.c (random weights)";
    m->meta_key[2] = "licence";
    m->meta_value[2] = "LGPL-2.1-or-later (generated)";
    m->n_meta = 3;
    if (b.err) {
        nn_model_free(&b.m);
        return b.err;
    }
    *out = m;
    return 0;
}
