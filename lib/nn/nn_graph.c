/* Graph executor: node checks and weight packing, shape inference, memory planning by
 * blob lifetimes, and the run loop that maps each node to ops (see nn_graph.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nn/nn_graph.h"
#include "ops/nn_binary.h"
#include "ops/nn_conv.h"
#include "ops/nn_conv_wino.h"
#include "ops/nn_copy.h"
#include "ops/nn_deconv.h"
#include "ops/nn_pixel_shuffle.h"
#include "ops/nn_resize.h"
#include "ops/nn_unary.h"
#include "ops/nn_warp.h"

enum {
    L_SPLIT,
    L_CONV,
    L_DECONV,
    L_UNARY,
    L_SHUFFLE,
    L_RESIZE,
    L_SLICE,
    L_CONCAT,
    L_BINARY,
    L_WARP,
    L_FUSED /* folded into an earlier layer (a residual unit): nothing to run */
};

typedef struct Layer {
    int kind;
    const NnNode *node;
    int act, stride, factor, begin, end, binop, use_scalar, unary_mode, size_h, size_w;
    float slope, scalar, coef[2], scale_h, scale_w;
    int cout, cin;
    WeftTensor weights, bias;
    /* blobs the layer reads and writes: the node's own, unless a fusion changed them */
    int n_reads, n_writes;
    int reads[NN_MAX_IO + 1], writes[NN_MAX_IO];
    int res_blob, res_act; /* conv fused with a residual add and activation (-1: none) */
    int tmp_slot;          /* deconv run as a conv: the storage slot of the conv's output */
    int view; /* a channel slice read in place: its output is a view of the input (C path) */
    int wino; /* stride-1 conv (or deconv as a conv) run by Winograd F(6x6, 3x3) (nn_conv_wino) */
    float res_slope;
} Layer;

typedef struct Blob {
    int c, h, w;
    int root;       /* the blob whose storage this one uses (split outputs alias their input) */
    size_t offset;  /* of an alias: where it starts in the root's storage, in floats */
    int last_use;   /* of a root: the last node reading it or an alias; INT_MAX if kept */
    int slot;       /* of a root: storage slot, or -1 for a dedicated tensor */
    WeftTensor own; /* dedicated tensor (graph inputs and outputs) */
    WeftTensor view;
} Blob;

struct NnGraph {
    Device *dev;
    Log *log;
    const NnModel *m;
    Layer *layers;
    Blob *blobs;
    /* per blob: the concat layer whose output holds it in place (C path), or -1; the input
     * of that concat it stands for (itself or a split output of it); for split outputs, the
     * split's input (else -1) */
    int *concat_of, *concat_pos, *split_src;
    WeftTensor *slots;
    size_t *slot_floats;
    int n_slots;
    int planned;
    size_t bytes, bytes_no_reuse;
    size_t limit;
    /* the blobs' element type (fp16 activations: nn_graph_fp16()) and its size in bytes */
    TensorType act_type;
    size_t act_size;
    double macs;
    /* WEFT_NN_PROFILE=1: per-layer wall and process CPU milliseconds summed over runs,
     * printed to stderr when the graph is destroyed */
    int profile, profiled_runs;
    double *prof_wall, *prof_cpu;
};

void nn_graph_set_limit(NnGraph *g, size_t bytes)
{
    if (g)
        g->limit = bytes;
}

static int node_error(NnGraph *g, const NnNode *n, int err, const char *what)
{
    log_error(g->log, "model node %s (%s): %s", n->name, n->op, what);
    return err;
}

static const NnTensorData *weight(const NnGraph *g, const NnNode *n, int i)
{
    return i < n->n_weights ? &g->m->tensors[n->weights[i]] : NULL;
}

/* Packs and uploads a (de)convolution's weights and bias. */
static int setup_conv(NnGraph *g, Layer *l, int deconv)
{
    const NnNode *n = l->node;
    const NnTensorData *w = weight(g, n, 0), *b = weight(g, n, 1);
    int k = deconv ? 4 : 3;
    int kh = nn_attr_int(n, "kernel", 0, 0), kw = nn_attr_int(n, "kernel", 1, 0);
    int sh = nn_attr_int(n, "stride", 0, 1), sw = nn_attr_int(n, "stride", 1, 1);
    int ph = nn_attr_int(n, "pad", 0, 0), pw = nn_attr_int(n, "pad", 1, 0);
    int dh = nn_attr_int(n, "dilation", 0, 1), dw = nn_attr_int(n, "dilation", 1, 1);
    l->cout = nn_attr_int(n, "out_channels", 0, 0);
    l->act = nn_attr_int(n, "activation", 0, 0);
    l->slope = nn_attr_float(n, "slope", 0, 0.0f);
    l->stride = sh;
    if (kh != k || kw != k || ph != 1 || pw != 1 || dh != 1 || dw != 1 || sh != sw ||
        (deconv ? sh != 2 : (sh != 1 && sh != 2)) || l->act < 0 || l->act > 2)
        return node_error(g, n, -ENOTSUP,
                          deconv ? "only 4x4 stride-2 padding-1 deconvolutions are supported"
                                 : "only 3x3 padding-1 stride-1/2 convolutions are supported");
    if (!w || w->ndim != 4 || w->dims[0] != l->cout || w->dims[2] != k || w->dims[3] != k ||
        l->cout < 1 || (b && (b->ndim != 1 || b->dims[0] != l->cout)) || n->n_in != 1)
        return node_error(g, n, -EINVAL, "weights do not match the layer");
    l->cin = w->dims[1];
    /* Winograd on the C path (4x fewer multiplies); the direct kernel on Vulkan, where it
     * is the better-tuned shader */
    /* and a deconvolution as such a convolution of 4 cout outputs and a pixel shuffle
     * (nn_deconv_as_conv3x3: 2.2x fewer multiplies than the direct form) */
    l->wino = (deconv || l->stride == 1) && !strcmp(g->dev->impl->kind, "cpu");
    const int parts = deconv && l->wino ? 4 : 1, wcout = parts * l->cout; /* as convolved */
    size_t count = l->wino  ? nn_conv_wino_packed_count(wcout, l->cin)
                   : deconv ? nn_deconv_packed_count(l->cout, l->cin)
                            : nn_conv_packed_count(l->cout, l->cin);
    int bias_n = (wcout + 7) / 8 * 8;
    float *packed = malloc(count * sizeof(float)), *bias = calloc((size_t)bias_n, sizeof(float));
    float *w3 = parts > 1 ? malloc((size_t)wcout * l->cin * 9 * sizeof(float)) : NULL;
    int err = -ENOMEM;
    if (!packed || !bias || (parts > 1 && !w3))
        goto done;
    if (parts > 1) {
        nn_deconv_as_conv3x3(w->data, l->cout, l->cin, w3);
        nn_conv_wino_pack(w3, wcout, l->cin, packed);
    } else if (deconv)
        nn_deconv_pack(w->data, l->cout, l->cin, packed);
    else if (l->wino)
        nn_conv_wino_pack(w->data, l->cout, l->cin, packed);
    else
        nn_conv_pack(w->data, l->cout, l->cin, packed);
    if (b)
        for (int o = 0; o < wcout; o++)
            bias[o] = b->data[o / parts];
    if (count > (size_t)1 << 30) {
        err = -EINVAL;
        goto done;
    }
    if ((err = device_tensor(g->dev, &l->weights, 1, 1, (int)count)) < 0 ||
        (err = device_upload(g->dev, &l->weights, packed)) < 0 ||
        (err = device_tensor(g->dev, &l->bias, 1, 1, bias_n)) < 0 ||
        (err = device_upload(g->dev, &l->bias, bias)) < 0)
        goto done;
done:
    free(packed);
    free(bias);
    free(w3);
    return err < 0 ? node_error(g, n, err, "cannot set up the weights") : 0;
}

static int binop_code(const char *s)
{
    static const char *const names[] = {"add", "sub", "mul", "div", "max", "min", "rsub", "rdiv"};
    for (int i = 0; i < 8; i++)
        if (!strcmp(s, names[i]))
            return i;
    return -1;
}

static int setup_layer(NnGraph *g, Layer *l)
{
    const NnNode *n = l->node;
    const char *op = n->op;
    l->coef[0] = l->coef[1] = 1.0f;
    if (!strcmp(op, "split")) {
        l->kind = L_SPLIT;
        return n->n_in == 1 ? 0 : node_error(g, n, -EINVAL, "split needs one input");
    }
    if (!strcmp(op, "conv2d")) {
        l->kind = L_CONV;
        return setup_conv(g, l, 0);
    }
    if (!strcmp(op, "deconv2d")) {
        l->kind = L_DECONV;
        return setup_conv(g, l, 1);
    }
    if (n->n_out != 1)
        return node_error(g, n, -EINVAL, "one output expected");
    if (!strcmp(op, "leaky_relu") || !strcmp(op, "sigmoid")) {
        l->kind = L_UNARY;
        l->unary_mode = op[0] == 's' ? NN_UNARY_SIGMOID : NN_UNARY_LEAKY;
        l->slope = nn_attr_float(n, "slope", 0, 0.0f);
        return n->n_in == 1 ? 0 : node_error(g, n, -EINVAL, "one input expected");
    }
    if (!strcmp(op, "pixel_shuffle")) {
        l->kind = L_SHUFFLE;
        l->factor = nn_attr_int(n, "factor", 0, 0);
        return l->factor >= 1 && l->factor <= 16 && n->n_in == 1
                   ? 0
                   : node_error(g, n, -EINVAL, "bad factor");
    }
    if (!strcmp(op, "resize")) {
        l->kind = L_RESIZE;
        l->scale_h = nn_attr_float(n, "scale", 0, 1.0f);
        l->scale_w = nn_attr_float(n, "scale", 1, 1.0f);
        l->size_h = nn_attr_int(n, "size", 0, 0);
        l->size_w = nn_attr_int(n, "size", 1, 0);
        if (strcmp(nn_attr_str(n, "mode", "bilinear"), "bilinear") ||
            nn_attr_int(n, "align_corners", 0, 0) != 0)
            return node_error(g, n, -ENOTSUP, "only bilinear, align_corners 0 is supported");
        if (!(l->scale_h > 0 && l->scale_h <= 64 && l->scale_w > 0 && l->scale_w <= 64) ||
            l->size_h < 0 || l->size_w < 0 || l->size_h > 65536 || l->size_w > 65536 ||
            n->n_in != 1)
            return node_error(g, n, -EINVAL, "bad scale or size");
        return 0;
    }
    if (!strcmp(op, "slice")) {
        l->kind = L_SLICE;
        l->begin = nn_attr_int(n, "begin", 0, -1);
        l->end = nn_attr_int(n, "end", 0, -1);
        if (nn_attr_int(n, "axis", 0, 0) != 0)
            return node_error(g, n, -ENOTSUP, "only channel slices are supported");
        return l->begin >= 0 && l->end > l->begin && n->n_in == 1
                   ? 0
                   : node_error(g, n, -EINVAL, "bad slice");
    }
    if (!strcmp(op, "concat")) {
        l->kind = L_CONCAT;
        return nn_attr_int(n, "axis", 0, 0) == 0 && n->n_in >= 1
                   ? 0
                   : node_error(g, n, -ENOTSUP, "only channel concatenation is supported");
    }
    if (!strcmp(op, "binary")) {
        l->kind = L_BINARY;
        l->binop = binop_code(nn_attr_str(n, "op", ""));
        const NnAttr *s = nn_node_attr(n, "scalar");
        l->use_scalar = s != NULL;
        l->scalar = nn_attr_float(n, "scalar", 0, 0.0f);
        if (l->binop < 0)
            return node_error(g, n, -ENOTSUP, "unsupported binary op");
        return n->n_in == (l->use_scalar ? 1 : 2)
                   ? 0
                   : node_error(g, n, -EINVAL, "wrong number of inputs");
    }
    if (!strcmp(op, "eltwise")) {
        l->kind = L_BINARY;
        const char *e = nn_attr_str(n, "op", "");
        l->binop = !strcmp(e, "sum")    ? NN_BIN_ADD
                   : !strcmp(e, "prod") ? NN_BIN_MUL
                   : !strcmp(e, "max")  ? NN_BIN_MAX
                                        : -1;
        if (l->binop < 0 || n->n_in != 2)
            return node_error(g, n, -ENOTSUP, "only two-input sum, prod and max are supported");
        if (l->binop == NN_BIN_ADD) {
            l->coef[0] = nn_attr_float(n, "coeffs", 0, 1.0f);
            l->coef[1] = nn_attr_float(n, "coeffs", 1, 1.0f);
        }
        return 0;
    }
    if (!strcmp(op, "rife_warp")) {
        l->kind = L_WARP;
        return n->n_in == 2 ? 0 : node_error(g, n, -EINVAL, "two inputs expected");
    }
    return node_error(g, n, -ENOTSUP, "op not supported by this version of weft");
}

/* Residual units (conv2d without activation -> binary add with a same-shape blob ->
 * leaky_relu, each intermediate read only by the next) run as one nn_conv pass: the add and
 * the activation happen while the convolution's output is still in cache. */
static int fuse_residuals(NnGraph *g)
{
    const NnModel *m = g->m;
    int *uses = calloc((size_t)m->n_blobs, sizeof(int));
    if (!uses)
        return -ENOMEM;
    for (int k = 0; k < m->n_nodes; k++)
        for (int i = 0; i < m->nodes[k].n_in; i++)
            uses[m->nodes[k].in[i]]++;
    for (int i = 0; i < m->n_outputs; i++)
        uses[m->outputs[i]] += 2; /* never fold away a graph output */
    for (int k = 0; k + 2 < m->n_nodes; k++) {
        Layer *c = &g->layers[k], *add = &g->layers[k + 1], *act = &g->layers[k + 2];
        const NnNode *cn = c->node, *an = add->node, *rn = act->node;
        if (c->kind != L_CONV || add->kind != L_BINARY || act->kind != L_UNARY ||
            add->binop != NN_BIN_ADD || add->use_scalar || add->coef[0] != 1.0f ||
            add->coef[1] != 1.0f || act->unary_mode != NN_UNARY_LEAKY)
            continue;
        int x = cn->out[0];
        if (an->n_in != 2 || (an->in[0] == x) == (an->in[1] == x) || uses[x] != 1 ||
            rn->in[0] != an->out[0] || uses[an->out[0]] != 1)
            continue;
        c->res_blob = an->in[0] == x ? an->in[1] : an->in[0];
        c->res_act = act->slope == 0.0f ? 1 : 2;
        c->res_slope = act->slope;
        c->reads[c->n_reads++] = c->res_blob;
        c->writes[0] = rn->out[0];
        add->kind = act->kind = L_FUSED;
        add->n_reads = add->n_writes = act->n_reads = act->n_writes = 0;
        k += 2;
    }
    free(uses);
    return 0;
}

static int is_graph_output(const NnModel *m, int b)
{
    for (int i = 0; i < m->n_outputs; i++)
        if (m->outputs[i] == b)
            return 1;
    return 0;
}

/* A blob through the splits it comes out of. */
static int unsplit(const NnGraph *g, int b)
{
    while (g->split_src[b] >= 0)
        b = g->split_src[b];
    return b;
}

/* On the C path a layer whose output goes into a concat writes it straight into its channels
 * of the concat's output (a view with an offset), so the concat copies nothing for it; a
 * graph input too (the caller writes it there; the concat's output then has a tensor of its
 * own, as inputs do). A concat input that is a split output stands for the split's input.
 * Not for graph outputs (tensors of their own), slices (views already) or a blob a concat
 * takes twice; a blob goes into the first concat that takes it (another one copies it). */
static int plan_concats_in_place(NnGraph *g)
{
    const NnModel *m = g->m;
    int *producer = malloc((size_t)m->n_blobs * sizeof(int));
    g->concat_of = malloc((size_t)m->n_blobs * sizeof(int));
    g->concat_pos = malloc((size_t)m->n_blobs * sizeof(int));
    g->split_src = malloc((size_t)m->n_blobs * sizeof(int));
    if (!producer || !g->concat_of || !g->concat_pos || !g->split_src) {
        free(producer);
        return -ENOMEM;
    }
    for (int b = 0; b < m->n_blobs; b++)
        producer[b] = g->concat_of[b] = g->concat_pos[b] = g->split_src[b] = -1;
    if (strcmp(g->dev->impl->kind, "cpu")) {
        free(producer);
        return 0;
    }
    for (int i = 0; i < m->n_inputs; i++)
        producer[m->inputs[i]] = -2; /* written before the run */
    for (int k = 0; k < m->n_nodes; k++) {
        const Layer *l = &g->layers[k];
        for (int i = 0; i < l->n_writes; i++)
            if (l->kind == L_SPLIT)
                g->split_src[l->writes[i]] = l->node->in[0];
            else if (l->kind != L_FUSED && !l->view)
                producer[l->writes[i]] = k;
    }
    for (int k = 0; k < m->n_nodes; k++) {
        const Layer *l = &g->layers[k];
        const NnNode *n = l->node;
        if (l->kind != L_CONCAT || is_graph_output(m, l->writes[0]))
            continue;
        for (int i = 0; i < n->n_in; i++) {
            int x = unsplit(g, n->in[i]), twice = 0;
            for (int j = 0; j < n->n_in; j++)
                twice |= j != i && unsplit(g, n->in[j]) == x;
            if (producer[x] != -1 && producer[x] < k && !twice && g->concat_of[x] < 0 &&
                !is_graph_output(m, x)) {
                g->concat_of[x] = k;
                g->concat_pos[x] = i;
            }
        }
    }
    free(producer);
    return 0;
}

int nn_graph_fp16(const Device *d)
{
    if (!d || !d->storage16)
        return 0;
    const char *v = getenv("WEFT_NN_FP16");
    if (v && *v)
        return strcmp(v, "0") != 0;
    /* lavapipe converts every fp16 texel fetch and store on the CPU: slower there (measured
     * in nn_bench, notes of issue 9), while a GPU gains memory and bandwidth */
    return !d->cpu_hosted;
}

int nn_graph_create(NnGraph **out, Device *d, const NnModel *m, Log *log)
{
    if (!out || !d || !m)
        return -EINVAL;
    *out = NULL;
    NnGraph *g = calloc(1, sizeof(*g));
    if (!g)
        return -ENOMEM;
    g->dev = d;
    g->log = log;
    g->m = m;
    g->act_type = nn_graph_fp16(d) ? TENSOR_F16 : TENSOR_F32;
    g->act_size = g->act_type == TENSOR_F16 ? 2 : sizeof(float);
    g->layers = calloc((size_t)(m->n_nodes ? m->n_nodes : 1), sizeof(Layer));
    g->blobs = calloc((size_t)m->n_blobs, sizeof(Blob));
    int err = -ENOMEM;
    if (!g->layers || !g->blobs)
        goto fail;
    for (int i = 0; i < m->n_nodes; i++) {
        Layer *l = &g->layers[i];
        l->node = &m->nodes[i];
        l->res_blob = -1;
        l->n_reads = l->node->n_in;
        l->n_writes = l->node->n_out;
        memcpy(l->reads, l->node->in, (size_t)l->node->n_in * sizeof(int));
        memcpy(l->writes, l->node->out, (size_t)l->node->n_out * sizeof(int));
        if ((err = setup_layer(g, l)) < 0)
            goto fail;
    }
    if ((err = fuse_residuals(g)) < 0)
        goto fail;
    /* On the C path a channel slice is a range of its input's planes: consumers read it in
     * place instead of a copy (a graph output keeps a tensor of its own). GPU buffers are
     * bound whole, so the Vulkan path copies. */
    if (!strcmp(d->impl->kind, "cpu"))
        for (int i = 0; i < m->n_nodes; i++) {
            Layer *l = &g->layers[i];
            if (l->kind != L_SLICE)
                continue;
            l->view = 1;
            for (int k = 0; k < m->n_outputs; k++)
                if (m->outputs[k] == l->writes[0])
                    l->view = 0;
        }
    if ((err = plan_concats_in_place(g)) < 0)
        goto fail;
    const char *prof = getenv("WEFT_NN_PROFILE");
    if (prof && prof[0] && strcmp(prof, "0")) {
        g->prof_wall = calloc((size_t)(m->n_nodes ? m->n_nodes : 1), sizeof(double));
        g->prof_cpu = calloc((size_t)(m->n_nodes ? m->n_nodes : 1), sizeof(double));
        g->profile = g->prof_wall && g->prof_cpu;
    }
    *out = g;
    return 0;
fail:
    nn_graph_destroy(&g);
    return err;
}

static void release_plan(NnGraph *g)
{
    for (int i = 0; i < g->n_slots; i++)
        device_tensor_free(&g->slots[i]);
    free(g->slots);
    free(g->slot_floats);
    g->slots = NULL;
    g->slot_floats = NULL;
    g->n_slots = 0;
    for (int b = 0; b < g->m->n_blobs; b++) {
        device_tensor_free(&g->blobs[b].own);
        memset(&g->blobs[b], 0, sizeof(Blob));
    }
    g->planned = 0;
}

static const char *const kind_names[] = {"split", "conv",   "deconv", "unary", "shuffle", "resize",
                                         "slice", "concat", "binary", "warp",  "fused"};

static void print_profile(const NnGraph *g)
{
    if (!g->profile || !g->profiled_runs)
        return;
    double kind_wall[L_FUSED + 1] = {0}, kind_cpu[L_FUSED + 1] = {0}, wall = 0, cpu = 0;
    int runs = g->profiled_runs;
    fprintf(stderr,
            "nn profile (ms per run over %d runs): layer, op, output c x h x w, wall, cpu\n", runs);
    for (int k = 0; k < g->m->n_nodes; k++) {
        const Layer *l = &g->layers[k];
        if (l->kind == L_FUSED || l->kind == L_SPLIT)
            continue;
        const Blob *b = &g->blobs[l->writes[0]];
        const char *kind = l->kind == L_CONV && l->wino ? "conv_wino" : kind_names[l->kind];
        fprintf(stderr, "  %-24s %-9s %4d x %4d x %4d  cin %4d s%d  %8.2f %8.2f\n", l->node->name,
                kind, b->c, b->h, b->w, l->cin, l->stride, g->prof_wall[k] / runs,
                g->prof_cpu[k] / runs);
        kind_wall[l->kind] += g->prof_wall[k] / runs;
        kind_cpu[l->kind] += g->prof_cpu[k] / runs;
        wall += g->prof_wall[k] / runs;
        cpu += g->prof_cpu[k] / runs;
    }
    for (int i = 0; i <= L_FUSED; i++)
        if (kind_cpu[i] > 0 || kind_wall[i] > 0)
            fprintf(stderr, "  total %-9s %8.2f wall %8.2f cpu\n", kind_names[i], kind_wall[i],
                    kind_cpu[i]);
    fprintf(stderr, "  total           %8.2f wall %8.2f cpu\n", wall, cpu);
}

void nn_graph_destroy(NnGraph **pg)
{
    if (!pg || !*pg)
        return;
    NnGraph *g = *pg;
    print_profile(g);
    free(g->prof_wall);
    free(g->prof_cpu);
    if (g->blobs)
        release_plan(g);
    if (g->layers)
        for (int i = 0; i < g->m->n_nodes; i++) {
            device_tensor_free(&g->layers[i].weights);
            device_tensor_free(&g->layers[i].bias);
        }
    free(g->layers);
    free(g->blobs);
    free(g->concat_of);
    free(g->concat_pos);
    free(g->split_src);
    free(g);
    *pg = NULL;
}

static int set_shape(NnGraph *g, const NnNode *n, int b, int c, int h, int w)
{
    if (c < 1 || h < 1 || w < 1 || c > 65536 || h > 65536 || w > 65536 ||
        (size_t)c * h * w > ((size_t)1 << 31))
        return node_error(g, n, -EINVAL, "output shape is empty or too large");
    g->blobs[b].c = c;
    g->blobs[b].h = h;
    g->blobs[b].w = w;
    return 0;
}

/* Output shapes of node l from its inputs' (already known). */
static int infer(NnGraph *g, Layer *l)
{
    const NnNode *n = l->node;
    const Blob *in = &g->blobs[n->in[0]];
    int out = l->writes[0];
    switch (l->kind) {
    case L_FUSED:
        return 0;
    case L_SPLIT:
        for (int i = 0; i < n->n_out; i++)
            g->blobs[n->out[i]] = (Blob){.c = in->c, .h = in->h, .w = in->w};
        return 0;
    case L_CONV:
        if (in->c != l->cin)
            return node_error(g, n, -EINVAL, "input channels do not match the weights");
        g->macs += (double)l->cout * l->cin * 9 * ((in->h - 1) / l->stride + 1) *
                   ((in->w - 1) / l->stride + 1);
        if (l->res_blob >= 0) {
            const Blob *r = &g->blobs[l->res_blob];
            if (r->c != l->cout || r->h != (in->h - 1) / l->stride + 1 ||
                r->w != (in->w - 1) / l->stride + 1)
                return node_error(g, n, -EINVAL, "residual shape does not match");
        }
        return set_shape(g, n, out, l->cout, (in->h - 1) / l->stride + 1,
                         (in->w - 1) / l->stride + 1);
    case L_DECONV:
        if (in->c != l->cin)
            return node_error(g, n, -EINVAL, "input channels do not match the weights");
        g->macs += (double)l->cout * l->cin * 16 * in->h * in->w;
        return set_shape(g, n, out, l->cout, 2 * in->h, 2 * in->w);
    case L_UNARY:
        return set_shape(g, n, out, in->c, in->h, in->w);
    case L_SHUFFLE:
        if (in->c % (l->factor * l->factor))
            return node_error(g, n, -EINVAL, "channels not divisible by factor^2");
        return set_shape(g, n, out, in->c / (l->factor * l->factor), in->h * l->factor,
                         in->w * l->factor);
    case L_RESIZE: {
        int oh = l->size_h ? l->size_h : (int)((float)in->h * l->scale_h);
        int ow = l->size_w ? l->size_w : (int)((float)in->w * l->scale_w);
        return set_shape(g, n, out, in->c, oh, ow);
    }
    case L_SLICE:
        if (l->end > in->c)
            return node_error(g, n, -EINVAL, "slice beyond the input's channels");
        return set_shape(g, n, out, l->end - l->begin, in->h, in->w);
    case L_CONCAT: {
        int c = 0;
        for (int i = 0; i < n->n_in; i++) {
            const Blob *b = &g->blobs[n->in[i]];
            if (b->h != in->h || b->w != in->w)
                return node_error(g, n, -EINVAL, "inputs differ in size");
            c += b->c;
        }
        return set_shape(g, n, out, c, in->h, in->w);
    }
    case L_BINARY: {
        if (l->use_scalar)
            return set_shape(g, n, out, in->c, in->h, in->w);
        const Blob *b = &g->blobs[n->in[1]];
        if (b->h != in->h || b->w != in->w || (b->c != in->c && b->c != 1 && in->c != 1))
            return node_error(g, n, -EINVAL, "operand shapes do not broadcast");
        return set_shape(g, n, out, in->c > b->c ? in->c : b->c, in->h, in->w);
    }
    case L_WARP: {
        const Blob *f = &g->blobs[n->in[1]];
        if (f->c < 2 || f->h != in->h || f->w != in->w)
            return node_error(g, n, -EINVAL, "flow must be 2 x H x W like the image");
        return set_shape(g, n, out, in->c, in->h, in->w);
    }
    }
    return -EINVAL;
}

static int root_of(const NnGraph *g, int b)
{
    return g->blobs[b].root;
}

/* A storage slot of at least need floats: best fit among the free ones (the smallest that
 * holds it, else the largest, grown), or a new one. */
static int take_slot(NnGraph *g, int *free_slots, int *n_free, size_t need)
{
    int best = -1;
    for (int f = 0; f < *n_free; f++) {
        size_t have = g->slot_floats[free_slots[f]];
        if (best < 0)
            best = f;
        else if (have >= need ? (g->slot_floats[free_slots[best]] < need ||
                                 have < g->slot_floats[free_slots[best]])
                              : (g->slot_floats[free_slots[best]] < need &&
                                 have > g->slot_floats[free_slots[best]]))
            best = f;
    }
    int s;
    if (best >= 0) {
        s = free_slots[best];
        free_slots[best] = free_slots[--*n_free];
    } else {
        s = g->n_slots++;
    }
    if (g->slot_floats[s] < need)
        g->slot_floats[s] = need;
    return s;
}

int nn_graph_plan(NnGraph *g, const int *channels, int h, int w)
{
    if (!g || h < 1 || w < 1)
        return -EINVAL;
    const NnModel *m = g->m;
    release_plan(g);
    g->macs = 0;
    g->bytes = g->bytes_no_reuse = 0;
    int err = 0;
    char *known = calloc((size_t)m->n_blobs, 1);
    int *free_slots = NULL;
    if (!known)
        return -ENOMEM;
    for (int i = 0; i < m->n_inputs; i++) {
        int c = channels ? channels[i] : m->input_channels[i];
        if (c < 1) {
            log_error(g->log, "model input %s: channel count unknown", m->blob_name[m->inputs[i]]);
            err = -EINVAL;
            goto done;
        }
        Blob *b = &g->blobs[m->inputs[i]];
        b->c = c;
        b->h = h;
        b->w = w;
        known[m->inputs[i]] = 1;
    }
    /* shapes */
    for (int k = 0; k < m->n_nodes; k++) {
        const Layer *l = &g->layers[k];
        for (int i = 0; i < l->n_reads; i++)
            if (!known[l->reads[i]]) {
                err = node_error(g, l->node, -EINVAL, "reads a blob nothing writes");
                goto done;
            }
        if ((err = infer(g, &g->layers[k])) < 0)
            goto done;
        for (int i = 0; i < l->n_writes; i++)
            known[l->writes[i]] = 1;
    }
    /* roots (the blob whose storage a blob uses) and offsets in it: first concat inputs made
     * in place, last concat first (its output may itself be in place in a later one), then
     * views in order (split outputs and slices of a blob, wherever that lives) */
    for (int b = 0; b < m->n_blobs; b++) {
        g->blobs[b].root = b;
        g->blobs[b].offset = 0;
        g->blobs[b].last_use = -1;
    }
    for (int k = m->n_nodes - 1; k >= 0; k--) {
        const Layer *l = &g->layers[k];
        if (l->kind != L_CONCAT)
            continue;
        const Blob *o = &g->blobs[l->writes[0]];
        size_t at = o->offset;
        for (int i = 0; i < l->node->n_in; i++) {
            const Blob *in = &g->blobs[l->node->in[i]];
            int src = g->concat_of ? unsplit(g, l->node->in[i]) : -1;
            if (src >= 0 && g->concat_of[src] == k && g->concat_pos[src] == i) {
                g->blobs[src].root = o->root;
                g->blobs[src].offset = at;
            }
            at += (size_t)in->c * in->h * in->w;
        }
    }
    for (int k = 0; k < m->n_nodes; k++) {
        const Layer *l = &g->layers[k];
        const Blob *src = &g->blobs[l->node->in[0]];
        if (l->kind == L_SPLIT || l->view)
            for (int i = 0; i < l->n_writes; i++) {
                Blob *b = &g->blobs[l->writes[i]];
                b->root = src->root;
                b->offset = src->offset + (l->view ? (size_t)l->begin * src->h * src->w : 0);
            }
    }
    /* lifetimes: a root lives until the last read of it or of any blob it holds */
    for (int k = 0; k < m->n_nodes; k++) {
        const Layer *l = &g->layers[k];
        for (int i = 0; i < l->n_reads; i++)
            g->blobs[root_of(g, l->reads[i])].last_use = k;
    }
    for (int i = 0; i < m->n_outputs; i++) {
        if (!known[m->outputs[i]]) {
            log_error(g->log, "model output %s is never computed", m->blob_name[m->outputs[i]]);
            err = -EINVAL;
            goto done;
        }
        g->blobs[root_of(g, m->outputs[i])].last_use = m->n_nodes; /* kept */
    }
    /* dedicated tensors for inputs and outputs; slots for the rest */
    for (int b = 0; b < m->n_blobs; b++)
        g->blobs[b].slot = -2;            /* not a root / not assigned */
    for (int i = 0; i < m->n_inputs; i++) /* a concat's output holding inputs too */
        g->blobs[root_of(g, m->inputs[i])].slot = -1;
    for (int i = 0; i < m->n_outputs; i++)
        g->blobs[root_of(g, m->outputs[i])].slot = -1;
    /* a slot per blob at most, and one per node for a deconvolution's temporary */
    g->slots = calloc((size_t)m->n_blobs + m->n_nodes, sizeof(WeftTensor));
    g->slot_floats = calloc((size_t)m->n_blobs + m->n_nodes, sizeof(size_t));
    free_slots = calloc((size_t)m->n_blobs + m->n_nodes, sizeof(int));
    if (!g->slots || !g->slot_floats || !free_slots) {
        err = -ENOMEM;
        goto done;
    }
    int n_free = 0;
    for (int k = 0; k < m->n_nodes; k++) {
        const Layer *l = &g->layers[k];
        if (l->kind != L_SPLIT && !l->view) {
            for (int i = 0; i < l->n_writes; i++) {
                const Blob *wb = &g->blobs[l->writes[i]];
                g->bytes_no_reuse += (size_t)wb->c * wb->h * wb->w * g->act_size;
                /* the storage of the blob's root: taken by the first write into it */
                Blob *b = &g->blobs[wb->root];
                size_t need = (size_t)b->c * b->h * b->w;
                if (b->slot != -2)
                    continue;
                b->slot = take_slot(g, free_slots, &n_free, need);
            }
        }
        /* a deconvolution run as a convolution: its convolution's output, for this node only
         * (back to the free slots at once: the node's outputs and inputs hold theirs) */
        if (l->kind == L_DECONV && l->wino) {
            const Blob *in = &g->blobs[l->node->in[0]];
            Layer *lw = &g->layers[k];
            lw->tmp_slot = take_slot(g, free_slots, &n_free, (size_t)4 * l->cout * in->h * in->w);
            free_slots[n_free++] = lw->tmp_slot;
        }
        /* release roots whose last reader is this node (or never read) */
        for (int i = 0; i < l->n_reads + l->n_writes; i++) {
            int bi = i < l->n_reads ? l->reads[i] : l->writes[i - l->n_reads];
            Blob *r = &g->blobs[root_of(g, bi)];
            if (r->slot >= 0 && r->last_use <= k) {
                free_slots[n_free++] = r->slot;
                r->slot = -3 - r->slot; /* released: remember it, negative */
            }
        }
    }
    /* restore released slot numbers */
    for (int b = 0; b < m->n_blobs; b++)
        if (g->blobs[b].slot <= -3)
            g->blobs[b].slot = -3 - g->blobs[b].slot;
    if (g->limit) {
        size_t total = 0;
        for (int s = 0; s < g->n_slots; s++)
            total += g->slot_floats[s] * g->act_size;
        for (int b = 0; b < m->n_blobs; b++)
            if (g->blobs[b].root == b && known[b] && g->blobs[b].slot == -1)
                total += (size_t)g->blobs[b].c * g->blobs[b].h * g->blobs[b].w * g->act_size;
        if (total > g->limit) {
            err = -E2BIG;
            goto done;
        }
    }
    for (int s = 0; s < g->n_slots; s++) {
        size_t f = g->slot_floats[s];
        if (f > ((size_t)1 << 31)) {
            err = -ENOMEM;
            goto done;
        }
        if ((err = device_tensor_typed(g->dev, &g->slots[s], 1, 1, (int)f, g->act_type)) < 0)
            goto done;
        g->bytes += f * g->act_size;
    }

    for (int b = 0; b < m->n_blobs; b++) {
        Blob *bl = &g->blobs[b];
        if (bl->root != b || !known[b])
            continue;
        if (bl->slot == -1) {
            if ((err = device_tensor_typed(g->dev, &bl->own, bl->c, bl->h, bl->w, g->act_type)) < 0)
                goto done;
            g->bytes += tensor_count(&bl->own) * g->act_size;
            bl->view = bl->own;
        } else if (bl->slot >= 0) {
            bl->view = g->slots[bl->slot];
        }
        bl->view.c = bl->c;
        bl->view.h = bl->h;
        bl->view.w = bl->w;
    }
    for (int b = 0; b < m->n_blobs; b++) {
        Blob *bl = &g->blobs[b];
        if (bl->root != b && known[b]) {
            bl->view = g->blobs[bl->root].view;
            bl->view.c = bl->c;
            bl->view.h = bl->h;
            bl->view.w = bl->w;
            if (bl->view.host)
                bl->view.host += bl->offset;
        }
    }
    g->planned = 1;
done:
    free(known);
    free(free_slots);
    if (err < 0) {
        log_error(g->log, "cannot plan the network for %dx%d: %s", w, h, weft_strerror(err));
        release_plan(g);
    }
    return err;
}

static WeftTensor *find_blob(NnGraph *g, const int *list, int n, const char *name)
{
    if (!g || !g->planned || !name)
        return NULL;
    for (int i = 0; i < n; i++)
        if (!strcmp(g->m->blob_name[list[i]], name))
            return &g->blobs[list[i]].view;
    return NULL;
}

WeftTensor *nn_graph_input(NnGraph *g, const char *name)
{
    return g ? find_blob(g, g->m->inputs, g->m->n_inputs, name) : NULL;
}

WeftTensor *nn_graph_output(NnGraph *g, const char *name)
{
    return g ? find_blob(g, g->m->outputs, g->m->n_outputs, name) : NULL;
}

static int run_layer(NnGraph *g, Layer *l)
{
    const NnNode *n = l->node;
    WeftTensor *in = &g->blobs[n->in[0]].view, *out = &g->blobs[l->writes[0]].view;
    switch (l->kind) {
    case L_SPLIT:
    case L_FUSED:
        return 0;
    case L_CONV:
        if (l->wino)
            return op_nn_conv_wino(g->dev, in, &l->weights, &l->bias, l->act, l->slope,
                                   l->res_blob >= 0 ? &g->blobs[l->res_blob].view : NULL,
                                   l->res_act, l->res_slope, out);
        return op_nn_conv_res(g->dev, in, &l->weights, &l->bias, l->stride, l->act, l->slope,
                              l->res_blob >= 0 ? &g->blobs[l->res_blob].view : NULL, l->res_act,
                              l->res_slope, out);
    case L_DECONV: {
        if (!l->wino)
            return op_nn_deconv(g->dev, in, &l->weights, &l->bias, l->act, l->slope, out);
        WeftTensor tmp = g->slots[l->tmp_slot];
        tmp.c = 4 * l->cout;
        tmp.h = in->h;
        tmp.w = in->w;
        int err = op_nn_conv_wino(g->dev, in, &l->weights, &l->bias, l->act, l->slope, NULL, 0,
                                  0.0f, &tmp);
        return err < 0 ? err : op_nn_pixel_shuffle(g->dev, &tmp, 2, out);
    }
    case L_UNARY:
        return op_nn_unary(g->dev, in, l->unary_mode, l->slope, out);
    case L_SHUFFLE:
        return op_nn_pixel_shuffle(g->dev, in, l->factor, out);
    case L_RESIZE:
        return op_nn_resize(g->dev, in, out);
    case L_SLICE:
        return l->view ? 0 : op_nn_copy(g->dev, in, l->begin, l->end - l->begin, out, 0);
    case L_CONCAT: {
        int c = 0, err = 0;
        for (int i = 0; i < n->n_in && err >= 0; i++) {
            WeftTensor *src = &g->blobs[n->in[i]].view;
            /* an input made in place is already there */
            if (!src->host || src->host != out->host + (size_t)c * out->h * out->w)
                err = op_nn_copy(g->dev, src, 0, src->c, out, c);
            c += src->c;
        }
        return err;
    }
    case L_BINARY: {
        if (l->use_scalar)
            return op_nn_binary(g->dev, l->binop, in, l->coef[0], NULL, 1.0f, l->scalar, out);
        WeftTensor *b = &g->blobs[n->in[1]].view;
        if (in->c == 1 && b->c > 1) {
            /* the broadcast operand must be second: swap, mirroring the op */
            static const int mirror[] = {NN_BIN_ADD, NN_BIN_RSUB, NN_BIN_MUL, NN_BIN_RDIV,
                                         NN_BIN_MAX, NN_BIN_MIN,  NN_BIN_SUB, NN_BIN_DIV};
            return op_nn_binary(g->dev, mirror[l->binop], b, l->coef[1], in, l->coef[0], 0.0f, out);
        }
        return op_nn_binary(g->dev, l->binop, in, l->coef[0], b, l->coef[1], 0.0f, out);
    }
    case L_WARP:
        return op_nn_warp(g->dev, in, &g->blobs[n->in[1]].view, out);
    }
    return -EINVAL;
}

static double clock_ms(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec * 1e-6;
}

int nn_graph_run(NnGraph *g)
{
    if (!g || !g->planned)
        return -EINVAL;
    for (int k = 0; k < g->m->n_nodes; k++) {
        double w0 = 0, c0 = 0;
        if (g->profile) {
            w0 = clock_ms(CLOCK_MONOTONIC);
            c0 = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
        }
        int err = run_layer(g, &g->layers[k]);
        if (err < 0)
            return node_error(g, g->layers[k].node, err, "failed to run");
        if (g->profile) {
            if ((err = device_finish(g->dev)) < 0) /* the GPU path: time the layer alone */
                return node_error(g, g->layers[k].node, err, "failed to run");
            g->prof_wall[k] += clock_ms(CLOCK_MONOTONIC) - w0;
            g->prof_cpu[k] += clock_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
        }
    }
    if (g->profile)
        g->profiled_runs++;
    return 0;
}

void nn_graph_stats(const NnGraph *g, size_t *bytes, size_t *bytes_no_reuse, double *macs)
{
    if (bytes)
        *bytes = g ? g->bytes : 0;
    if (bytes_no_reuse)
        *bytes_no_reuse = g ? g->bytes_no_reuse : 0;
    if (macs)
        *macs = g ? g->macs : 0;
}
