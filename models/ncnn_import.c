/* ncnn .param/.bin import. The .param format: a magic line "7767517", a line
 * "layer_count blob_count", then one layer per line: type name n_in n_out in-blobs
 * out-blobs, then parameters "id=value" (id <= -23300 is the array of parameter
 * -id-23300: "n,v1,...,vn"). The .bin holds the weights of the layers that have some, in
 * layer order; a weight blob starts with a 4-byte tag (0 = fp32, 0x01306B47 = fp16, ...),
 * a bias blob is raw fp32. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/half.h"
#include "ncnn_import.h"

#define MAX_PARAM_ID 32
#define MAX_LAYERS 65536
#define MAX_TOKEN 256

typedef struct Param {
    int set, is_array, is_float;
    int i;
    float f;
    int count;
    float *af; /* array values as floats */
    int *ai;   /* array values as ints */
} Param;

typedef struct Importer {
    NnModel *m;
    const char *text;
    size_t size, pos;
    int line;
    const char *file;
    char *err;
    size_t err_size;
    const uint8_t *bin;
    size_t bin_size, bin_pos;
    /* blob name hash (open addressing) */
    int *hash;
    size_t hash_cap;
    int max_blobs, max_tensors;
    char *consumed; /* blobs read by some layer */
    Param params[MAX_PARAM_ID];
} Importer;

static int failf(Importer *im, int code, const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(im->err, im->err_size, "%s:%d: ", im->file, im->line);
    if (n < 0 || (size_t)n >= im->err_size)
        return code;
    va_start(ap, fmt);
    vsnprintf(im->err + n, im->err_size - (size_t)n, fmt, ap);
    va_end(ap);
    return code;
}

/* Next whitespace-separated token on the current line; 0 at the end of the line. */
static int next_token(Importer *im, char *tok)
{
    while (im->pos < im->size &&
           (im->text[im->pos] == ' ' || im->text[im->pos] == '\t' || im->text[im->pos] == '\r'))
        im->pos++;
    if (im->pos >= im->size || im->text[im->pos] == '\n')
        return 0;
    size_t n = 0;
    while (im->pos < im->size && im->text[im->pos] != ' ' && im->text[im->pos] != '\t' &&
           im->text[im->pos] != '\r' && im->text[im->pos] != '\n') {
        if (n + 1 >= MAX_TOKEN || im->text[im->pos] == 0)
            return -1;
        tok[n++] = im->text[im->pos++];
    }
    tok[n] = 0;
    return 1;
}

/* Moves to the next non-empty line; 0 at the end of the text. */
static int next_line(Importer *im)
{
    while (im->pos < im->size && im->text[im->pos] != '\n')
        im->pos++;
    while (im->pos < im->size) {
        im->pos++;
        im->line++;
        size_t p = im->pos;
        while (p < im->size && (im->text[p] == ' ' || im->text[p] == '\t' || im->text[p] == '\r'))
            p++;
        if (p < im->size && im->text[p] != '\n')
            return 1;
        im->pos = p;
        if (p >= im->size)
            break;
    }
    return 0;
}

static int parse_int(const char *s, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end || errno || v < -2147483647L || v > 2147483647L)
        return -1;
    *out = (int)v;
    return 0;
}

static int parse_float(const char *s, float *out)
{
    char *end;
    float v = strtof(s, &end);
    if (end == s || *end || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

static uint64_t hash_name(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* Index of blob `name`; adds it when `create`. -1 when absent, -2 when full or OOM. */
static int blob_index(Importer *im, const char *name, int create)
{
    NnModel *m = im->m;
    size_t i = (size_t)(hash_name(name) & (im->hash_cap - 1));
    while (im->hash[i] >= 0) {
        if (!strcmp(m->blob_name[im->hash[i]], name))
            return im->hash[i];
        i = (i + 1) & (im->hash_cap - 1);
    }
    if (!create)
        return -1;
    if (m->n_blobs >= im->max_blobs)
        return -2;
    const char *copy = nn_arena_strndup(m->arena, name, strlen(name));
    if (!copy)
        return -2;
    m->blob_name[m->n_blobs] = copy;
    im->hash[i] = m->n_blobs;
    return m->n_blobs++;
}

static int parse_params(Importer *im, char *tok)
{
    memset(im->params, 0, sizeof(im->params));
    int r;
    while ((r = next_token(im, tok)) > 0) {
        char *eq = strchr(tok, '=');
        int id;
        if (!eq)
            return failf(im, -EINVAL, "parameter '%s' is not id=value", tok);
        *eq = 0;
        if (parse_int(tok, &id) < 0)
            return failf(im, -EINVAL, "bad parameter id '%s'", tok);
        const char *val = eq + 1;
        int is_array = id <= -23300;
        if (is_array)
            id = -id - 23300;
        if (id < 0 || id >= MAX_PARAM_ID)
            return failf(im, -EINVAL, "parameter id %d is out of range", id);
        Param *p = &im->params[id];
        if (p->set)
            return failf(im, -EINVAL, "parameter %d given twice", id);
        p->set = 1;
        p->is_array = is_array;
        if (!is_array) {
            p->is_float = strpbrk(val, ".eE") != NULL;
            if (p->is_float ? parse_float(val, &p->f) < 0 : parse_int(val, &p->i) < 0)
                return failf(im, -EINVAL, "parameter %d: bad value '%s'", id, val);
            if (p->is_float) /* integer view of a float parameter, saturated */
                p->i = p->f >= 2147483520.0f    ? INT32_MAX
                       : p->f <= -2147483520.0f ? INT32_MIN
                                                : (int)p->f;
            else
                p->f = (float)p->i;
            continue;
        }
        /* "n,v1,...,vn" */
        char *part = (char *)val, *comma = strchr(part, ',');
        if (comma)
            *comma = 0;
        if (parse_int(part, &p->count) < 0 || p->count < 0 || p->count > NN_MAX_ARRAY)
            return failf(im, -EINVAL, "parameter array %d: bad length", id);
        p->af = nn_arena_alloc(im->m->arena, (size_t)(p->count ? p->count : 1) * sizeof(float));
        p->ai = nn_arena_alloc(im->m->arena, (size_t)(p->count ? p->count : 1) * sizeof(int));
        if (!p->af || !p->ai)
            return failf(im, -ENOMEM, "out of memory");
        for (int k = 0; k < p->count; k++) {
            if (!comma)
                return failf(im, -EINVAL, "parameter array %d: %d values expected", id, p->count);
            part = comma + 1;
            if ((comma = strchr(part, ',')))
                *comma = 0;
            if (parse_float(part, &p->af[k]) < 0)
                return failf(im, -EINVAL, "parameter array %d: bad value '%s'", id, part);
            /* integer view: only values an int holds (the conversion is undefined beyond) */
            p->ai[k] = fabsf(p->af[k]) < 2147483520.0f ? (int)p->af[k] : 0;
        }
        if (comma)
            return failf(im, -EINVAL, "parameter array %d: more than %d values", id, p->count);
    }
    if (r < 0)
        return failf(im, -EINVAL, "token too long");
    return 0;
}

static int pint(const Importer *im, int id, int def)
{
    return im->params[id].set && !im->params[id].is_array ? im->params[id].i : def;
}

static float pfloat(const Importer *im, int id, float def)
{
    return im->params[id].set && !im->params[id].is_array ? im->params[id].f : def;
}

/* --- building nodes --- */

static NnAttr *add_attr(Importer *im, NnNode *n, const char *key, int type, int count)
{
    NnAttr *a = &n->attr[n->n_attr++];
    a->key = key;
    a->type = type;
    a->count = count;
    if (type == NN_ATTR_INT || type == NN_ATTR_INTS)
        a->ints = nn_arena_alloc(im->m->arena, (size_t)(count ? count : 1) * sizeof(int32_t));
    else
        a->floats = nn_arena_alloc(im->m->arena, (size_t)(count ? count : 1) * sizeof(float));
    return (a->ints || a->floats) ? a : NULL;
}

static int attr_i(Importer *im, NnNode *n, const char *key, int v0, int v1, int count)
{
    NnAttr *a = add_attr(im, n, key, count == 1 ? NN_ATTR_INT : NN_ATTR_INTS, count);
    if (!a)
        return -ENOMEM;
    a->ints[0] = v0;
    if (count > 1)
        a->ints[1] = v1;
    return 0;
}

static int attr_f(Importer *im, NnNode *n, const char *key, const float *v, int count)
{
    NnAttr *a = add_attr(im, n, key, count == 1 ? NN_ATTR_FLOAT : NN_ATTR_FLOATS, count);
    if (!a)
        return -ENOMEM;
    memcpy(a->floats, v, (size_t)count * sizeof(float));
    return 0;
}

static int attr_s(NnNode *n, const char *key, const char *v)
{
    NnAttr *a = &n->attr[n->n_attr++];
    a->key = key;
    a->type = NN_ATTR_STRING;
    a->count = 1;
    a->str = v;
    return 0;
}

/* Reads `count` weights from the .bin: tagged (weights) or raw fp32 (bias). */
static int read_blob(Importer *im, NnNode *n, const char *tname, int tagged, size_t count, int ndim,
                     const int *dims)
{
    NnModel *m = im->m;
    if (m->n_tensors >= im->max_tensors)
        return failf(im, -EINVAL, "too many weight tensors");
    NnTensorData *t = &m->tensors[m->n_tensors];
    if (count == 0 || count > NN_MAX_TENSOR_ELEMS)
        return failf(im, -EINVAL, "%s: bad weight count %zu", tname, count);
    uint32_t tag = 0;
    size_t avail = im->bin_size - im->bin_pos;
    const uint8_t *p = im->bin + im->bin_pos;
    if (tagged) {
        if (avail < 4)
            return failf(im, -EINVAL, "%s: .bin ends at byte %zu (weight tag expected)", tname,
                         im->bin_pos);
        tag = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
        p += 4;
        avail -= 4;
        im->bin_pos += 4;
    }
    t->data = nn_arena_alloc(m->arena, count * sizeof(float));
    if (!t->data)
        return failf(im, -ENOMEM, "out of memory");
    t->dtype = NN_DTYPE_F32;
    size_t need;
    if (tag == 0x01306B47u) { /* fp16, padded to 4 bytes */
        need = (count * 2 + 3) & ~(size_t)3;
        if (avail < need)
            return failf(im, -EINVAL, "%s: .bin too short for %zu fp16 weights", tname, count);
        for (size_t i = 0; i < count; i++)
            t->data[i] = half_to_float((uint16_t)(p[2 * i] | p[2 * i + 1] << 8));
        t->dtype = NN_DTYPE_F16;
    } else if (tag == 0 || tag == 0x0002C056u) { /* raw fp32 */
        need = count * 4;
        if (avail < need)
            return failf(im, -EINVAL, "%s: .bin too short for %zu fp32 weights", tname, count);
        for (size_t i = 0; i < count; i++) {
            uint32_t u = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 |
                         (uint32_t)p[4 * i + 2] << 16 | (uint32_t)p[4 * i + 3] << 24;
            memcpy(&t->data[i], &u, 4);
            if (!isfinite(t->data[i]))
                return failf(im, -EINVAL, "%s: weight %zu is not finite", tname, i);
        }
    } else if (tag == 0x000D4B38u) {
        return failf(im, -ENOTSUP, "%s: int8 weights are not supported", tname);
    } else { /* 256-entry float table + uint8 indices */
        need = 256 * 4 + ((count + 3) & ~(size_t)3);
        if (avail + 4 < need) /* the tag bytes were the table's first entry */
            return failf(im, -EINVAL, "%s: .bin too short for table-quantised weights", tname);
        p -= 4;
        im->bin_pos -= 4;
        avail += 4;
        float table[256];
        for (int i = 0; i < 256; i++) {
            uint32_t u = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 |
                         (uint32_t)p[4 * i + 2] << 16 | (uint32_t)p[4 * i + 3] << 24;
            memcpy(&table[i], &u, 4);
        }
        for (size_t i = 0; i < count; i++)
            t->data[i] = table[p[1024 + i]];
    }
    im->bin_pos += need;
    for (size_t i = 0; i < count; i++)
        if (!isfinite(t->data[i]))
            return failf(im, -EINVAL, "%s: weight %zu is not finite", tname, i);
    t->name = nn_arena_strndup(m->arena, tname, strlen(tname));
    if (!t->name)
        return failf(im, -ENOMEM, "out of memory");
    t->ndim = ndim;
    t->count = count;
    for (int d = 0; d < ndim; d++)
        t->dims[d] = dims[d];
    n->weights[n->n_weights++] = m->n_tensors++;
    return 0;
}

static int conv_like(Importer *im, NnNode *n, int deconv)
{
    int out = pint(im, 0, 0), kw = pint(im, 1, 0), kh = pint(im, 11, kw);
    int dw = pint(im, 2, 1), dh = pint(im, 12, dw), sw = pint(im, 3, 1), sh = pint(im, 13, sw);
    int pw = pint(im, 4, 0), ph = pint(im, 14, pw), bias = pint(im, 5, 0);
    int size = pint(im, 6, 0), act = pint(im, 9, 0), group = pint(im, 7, 1);
    if (pint(im, 8, 0) != 0)
        return failf(im, -ENOTSUP, "%s: int8 convolution is not supported", n->name);
    if (group != 1)
        return failf(im, -ENOTSUP, "%s: grouped convolution is not supported", n->name);
    if (out < 1 || out > 65536 || kw < 1 || kw > 15 || kh < 1 || kh > 15 || dw < 1 || dw > 8 ||
        dh < 1 || dh > 8 || sw < 1 || sw > 8 || sh < 1 || sh > 8 || pw < 0 || pw > 16 || ph < 0 ||
        ph > 16)
        return failf(im, -EINVAL, "%s: bad convolution parameters", n->name);
    if (size <= 0 || size % (out * kw * kh))
        return failf(im, -EINVAL, "%s: weight_data_size %d is not a multiple of %d x %d x %d",
                     n->name, size, out, kh, kw);
    int in = size / (out * kw * kh);
    float slope = 0;
    if (act == 2) {
        const Param *p = &im->params[10];
        if (!p->set || !p->is_array || p->count < 1)
            return failf(im, -EINVAL, "%s: leaky ReLU without a slope", n->name);
        slope = p->af[0];
    } else if (act != 0 && act != 1) {
        return failf(im, -ENOTSUP, "%s: activation type %d is not supported", n->name, act);
    }
    int err;
    if ((err = attr_i(im, n, "out_channels", out, 0, 1)) < 0 ||
        (err = attr_i(im, n, "kernel", kh, kw, 2)) < 0 ||
        (err = attr_i(im, n, "stride", sh, sw, 2)) < 0 ||
        (err = attr_i(im, n, "pad", ph, pw, 2)) < 0 ||
        (err = attr_i(im, n, "dilation", dh, dw, 2)) < 0 ||
        (err = attr_i(im, n, "activation", act, 0, 1)) < 0 ||
        (err = attr_f(im, n, "slope", &slope, 1)) < 0)
        return failf(im, err, "out of memory");
    char tname[MAX_TOKEN + 16];
    snprintf(tname, sizeof(tname), "%s.weight", n->name);
    int wd[4] = {out, in, kh, kw};
    (void)deconv; /* same stored layout for both: [out][in][kh][kw] */
    if ((err = read_blob(im, n, tname, 1, (size_t)size, 4, wd)) < 0)
        return err;
    if (bias) {
        snprintf(tname, sizeof(tname), "%s.bias", n->name);
        int bd[1] = {out};
        if ((err = read_blob(im, n, tname, 0, (size_t)out, 1, bd)) < 0)
            return err;
    }
    return 0;
}

static int map_layer(Importer *im, const char *type, NnNode *n)
{
    int err = 0;
    if (!strcmp(type, "Split")) {
        n->op = "split";
    } else if (!strcmp(type, "Convolution")) {
        n->op = "conv2d";
        return conv_like(im, n, 0);
    } else if (!strcmp(type, "Deconvolution")) {
        n->op = "deconv2d";
        return conv_like(im, n, 1);
    } else if (!strcmp(type, "ReLU")) {
        n->op = "leaky_relu";
        float slope = pfloat(im, 0, 0.0f);
        err = attr_f(im, n, "slope", &slope, 1);
    } else if (!strcmp(type, "Sigmoid")) {
        n->op = "sigmoid";
    } else if (!strcmp(type, "PixelShuffle")) {
        n->op = "pixel_shuffle";
        int r = pint(im, 0, 1);
        if (r < 1 || r > 16 || pint(im, 1, 0) != 0)
            return failf(im, -ENOTSUP, "%s: unsupported PixelShuffle form", n->name);
        err = attr_i(im, n, "factor", r, 0, 1);
    } else if (!strcmp(type, "Interp")) {
        n->op = "resize";
        int mode = pint(im, 0, 0);
        if (mode != 2)
            return failf(im, -ENOTSUP, "%s: Interp mode %d is not supported (bilinear only)",
                         n->name, mode);
        if (pint(im, 6, 0) != 0)
            return failf(im, -ENOTSUP, "%s: align_corners is not supported", n->name);
        float scale[2] = {pfloat(im, 1, 1.0f), pfloat(im, 2, 1.0f)};
        int oh = pint(im, 3, 0), ow = pint(im, 4, 0);
        if (!(scale[0] > 0 && scale[0] <= 64 && scale[1] > 0 && scale[1] <= 64) || oh < 0 ||
            ow < 0 || oh > 65536 || ow > 65536)
            return failf(im, -EINVAL, "%s: bad Interp scale or size", n->name);
        attr_s(n, "mode", "bilinear");
        err = attr_f(im, n, "scale", scale, 2);
        if (!err && oh > 0 && ow > 0)
            err = attr_i(im, n, "size", oh, ow, 2);
        if (!err)
            err = attr_i(im, n, "align_corners", 0, 0, 1);
    } else if (!strcmp(type, "Crop")) {
        n->op = "slice";
        const Param *st = &im->params[9], *en = &im->params[10], *ax = &im->params[11];
        if (!st->set || !en->set || !ax->set || !st->is_array || !en->is_array || !ax->is_array ||
            st->count != 1 || en->count != 1 || ax->count != 1 || ax->ai[0] != 0 || st->ai[0] < 0 ||
            en->ai[0] <= st->ai[0])
            return failf(im, -ENOTSUP,
                         "%s: only channel slices (Crop with starts/ends/axes=0) "
                         "are supported",
                         n->name);
        if ((err = attr_i(im, n, "axis", 0, 0, 1)) == 0 &&
            (err = attr_i(im, n, "begin", st->ai[0], 0, 1)) == 0)
            err = attr_i(im, n, "end", en->ai[0], 0, 1);
    } else if (!strcmp(type, "Concat")) {
        n->op = "concat";
        if (pint(im, 0, 0) != 0)
            return failf(im, -ENOTSUP, "%s: concat on axis %d is not supported", n->name,
                         pint(im, 0, 0));
        err = attr_i(im, n, "axis", 0, 0, 1);
    } else if (!strcmp(type, "BinaryOp")) {
        static const char *const ops[] = {"add", "sub", "mul",  "div", "max",
                                          "min", "pow", "rsub", "rdiv"};
        int op = pint(im, 0, 0), with_scalar = pint(im, 1, 0);
        if (op < 0 || op > 8 || op == 6)
            return failf(im, -ENOTSUP, "%s: BinaryOp type %d is not supported", n->name, op);
        n->op = "binary";
        attr_s(n, "op", ops[op]);
        if (with_scalar) {
            float s = pfloat(im, 2, 0.0f);
            err = attr_f(im, n, "scalar", &s, 1);
        }
        if ((with_scalar && n->n_in != 1) || (!with_scalar && n->n_in != 2))
            return failf(im, -EINVAL, "%s: BinaryOp needs %d inputs", n->name, with_scalar ? 1 : 2);
    } else if (!strcmp(type, "Eltwise")) {
        static const char *const ops[] = {"prod", "sum", "max"};
        int op = pint(im, 0, 0);
        if (op < 0 || op > 2)
            return failf(im, -ENOTSUP, "%s: Eltwise type %d is not supported", n->name, op);
        n->op = "eltwise";
        attr_s(n, "op", ops[op]);
        const Param *c = &im->params[1];
        if (c->set && c->is_array && c->count > 0) {
            if (c->count != n->n_in)
                return failf(im, -EINVAL, "%s: %d coefficients for %d inputs", n->name, c->count,
                             n->n_in);
            err = attr_f(im, n, "coeffs", c->af, c->count);
        }
    } else if (!strcmp(type, "rife.Warp")) {
        n->op = "rife_warp";
        if (n->n_in != 2)
            return failf(im, -EINVAL, "%s: rife.Warp needs 2 inputs", n->name);
    } else {
        return failf(im, -ENOTSUP, "layer type %s (%s) is not supported", type, n->name);
    }
    if (err < 0)
        return failf(im, err, "out of memory");
    return 0;
}

static int meta_add(NnModel *m, int *count, const char *k, const char *v)
{
    m->meta_key[*count] = nn_arena_strndup(m->arena, k, strlen(k));
    m->meta_value[*count] = nn_arena_strndup(m->arena, v, strlen(v));
    if (!m->meta_key[*count] || !m->meta_value[*count])
        return -ENOMEM;
    (*count)++;
    return 0;
}

static int import(Importer *im)
{
    NnModel *m = im->m;
    char tok[MAX_TOKEN], type[MAX_TOKEN], name[MAX_TOKEN];
    int layers, blobs, r;
    im->line = 1;
    if (next_token(im, tok) <= 0 || strcmp(tok, "7767517"))
        return failf(im, -EINVAL, "not an ncnn .param file (magic 7767517 expected)");
    if (!next_line(im) || next_token(im, tok) <= 0 || parse_int(tok, &layers) < 0 ||
        next_token(im, tok) <= 0 || parse_int(tok, &blobs) < 0 || layers < 1 ||
        layers > MAX_LAYERS || blobs < 1 || blobs > NN_MAX_BLOBS)
        return failf(im, -EINVAL, "bad layer and blob counts");
    /* the counts are bounded; allocate for them */
    im->max_blobs = blobs;
    im->max_tensors = 2 * layers;
    for (im->hash_cap = 16; im->hash_cap < 2 * (size_t)blobs; im->hash_cap *= 2) {
    }
    im->hash = malloc(im->hash_cap * sizeof(int));
    im->consumed = calloc((size_t)blobs, 1);
    m->blob_name = nn_arena_alloc(m->arena, (size_t)blobs * sizeof(char *));
    m->nodes = nn_arena_alloc(m->arena, (size_t)layers * sizeof(NnNode));
    m->tensors = nn_arena_alloc(m->arena, (size_t)im->max_tensors * sizeof(NnTensorData));
    m->inputs = nn_arena_alloc(m->arena, NN_MAX_IO * sizeof(int));
    m->input_channels = nn_arena_alloc(m->arena, NN_MAX_IO * sizeof(int));
    m->outputs = nn_arena_alloc(m->arena, NN_MAX_IO * sizeof(int));
    if (!im->hash || !im->consumed || !m->blob_name || !m->nodes || !m->tensors || !m->inputs ||
        !m->input_channels || !m->outputs)
        return failf(im, -ENOMEM, "out of memory");
    memset(im->hash, 0xff, im->hash_cap * sizeof(int));
    int has_warp = 0;
    for (int k = 0; k < layers; k++) {
        if (!next_line(im))
            return failf(im, -EINVAL, "%d layers announced, %d found", layers, k);
        int nin, nout;
        if (next_token(im, type) <= 0 || next_token(im, name) <= 0 || next_token(im, tok) <= 0 ||
            parse_int(tok, &nin) < 0 || next_token(im, tok) <= 0 || parse_int(tok, &nout) < 0)
            return failf(im, -EINVAL, "malformed layer line");
        if (nin < 0 || nin > NN_MAX_IO || nout < 1 || nout > NN_MAX_IO)
            return failf(im, -EINVAL, "layer %s: bad input/output counts %d %d", name, nin, nout);
        NnNode *n = &m->nodes[m->n_nodes];
        n->name = nn_arena_strndup(m->arena, name, strlen(name));
        n->in = nn_arena_alloc(m->arena, (size_t)(nin ? nin : 1) * sizeof(int));
        n->out = nn_arena_alloc(m->arena, (size_t)nout * sizeof(int));
        n->attr = nn_arena_alloc(m->arena, 8 * sizeof(NnAttr));
        n->weights = nn_arena_alloc(m->arena, 2 * sizeof(int));
        if (!n->name || !n->in || !n->out || !n->attr || !n->weights)
            return failf(im, -ENOMEM, "out of memory");
        n->n_in = nin;
        n->n_out = nout;
        for (int i = 0; i < nin; i++) {
            if (next_token(im, tok) <= 0)
                return failf(im, -EINVAL, "layer %s: %d inputs expected", name, nin);
            int b = blob_index(im, tok, 0);
            if (b < 0)
                return failf(im, -EINVAL, "layer %s reads blob %s that no earlier layer makes",
                             name, tok);
            n->in[i] = b;
            im->consumed[b] = 1;
        }
        for (int i = 0; i < nout; i++) {
            if (next_token(im, tok) <= 0)
                return failf(im, -EINVAL, "layer %s: %d outputs expected", name, nout);
            if (blob_index(im, tok, 0) >= 0)
                return failf(im, -EINVAL, "layer %s writes blob %s a second time", name, tok);
            int b = blob_index(im, tok, 1);
            if (b < 0)
                return failf(im, b == -2 && m->n_blobs >= blobs ? -EINVAL : -ENOMEM,
                             "more blobs than the %d announced", blobs);
            n->out[i] = b;
        }
        if ((r = parse_params(im, tok)) < 0)
            return r;
        if (!strcmp(type, "Input")) {
            if (nin != 0 || nout != 1)
                return failf(im, -EINVAL, "Input %s must have no inputs and one output", name);
            if (m->n_inputs >= NN_MAX_IO)
                return failf(im, -EINVAL, "more than %d inputs", NN_MAX_IO);
            int ch = pint(im, 2, 0);
            m->input_channels[m->n_inputs] = ch > 0 && ch <= 65536 ? ch : 0;
            m->inputs[m->n_inputs++] = n->out[0];
            continue;
        }
        if (nin == 0)
            return failf(im, -EINVAL, "layer %s has no inputs", name);
        if ((r = map_layer(im, type, n)) < 0)
            return r;
        has_warp |= !strcmp(type, "rife.Warp");
        m->n_nodes++;
    }
    if (next_line(im))
        return failf(im, -EINVAL, "text after the %d announced layers", layers);
    if (im->bin_pos != im->bin_size)
        return failf(im, -EINVAL, ".bin has %zu bytes, the layers use %zu", im->bin_size,
                     im->bin_pos);
    if (m->n_inputs == 0)
        return failf(im, -EINVAL, "the graph has no Input layer");
    for (int b = 0; b < m->n_blobs; b++) {
        int is_input = 0;
        for (int i = 0; i < m->n_inputs; i++)
            is_input |= m->inputs[i] == b;
        if (!im->consumed[b] && !is_input) {
            if (m->n_outputs >= NN_MAX_IO)
                return failf(im, -EINVAL, "more than %d unconsumed blobs (outputs)", NN_MAX_IO);
            m->outputs[m->n_outputs++] = b;
        }
    }
    if (m->n_outputs == 0)
        return failf(im, -EINVAL, "the graph has no output");
    /* metadata */
    m->meta_key = nn_arena_alloc(m->arena, 8 * sizeof(char *));
    m->meta_value = nn_arena_alloc(m->arena, 8 * sizeof(char *));
    if (!m->meta_key || !m->meta_value)
        return failf(im, -ENOMEM, "out of memory");
    int nm = 0;
    char source[MAX_TOKEN + 64];
    snprintf(source, sizeof(source), "ncnn model %s, converted by weft-convert", im->file);
    r = meta_add(m, &nm, "source", source);
    int rife = has_warp && m->n_inputs == 3 && blob_index(im, "in2", 0) >= 0 &&
               blob_index(im, "out0", 0) >= 0;
    if (!r && rife) {
        if ((r = meta_add(m, &nm, "architecture", "rife-v4")) == 0 &&
            (r = meta_add(m, &nm, "pad_multiple", "32")) == 0 &&
            (r = meta_add(m, &nm, "input.in0", "frame 0, RGB / 255, zero-padded")) == 0 &&
            (r = meta_add(m, &nm, "input.in1", "frame 1, RGB / 255, zero-padded")) == 0 &&
            (r = meta_add(m, &nm, "input.in2", "timestep t, one channel")) == 0)
            r = meta_add(m, &nm, "output.out0", "frame at t, RGB 0..1");
    }
    m->n_meta = nm;
    return r < 0 ? failf(im, r, "out of memory") : 0;
}

int ncnn_import(NnModel **out, const char *param, size_t param_size, const uint8_t *bin,
                size_t bin_size, const char *param_name, char *err, size_t err_size)
{
    char dummy[8];
    if (!err || !err_size) {
        err = dummy;
        err_size = sizeof(dummy);
    }
    err[0] = 0;
    *out = NULL;
    NnModel *m;
    if (nn_model_new(&m) < 0) {
        snprintf(err, err_size, "out of memory");
        return -ENOMEM;
    }
    Importer im = {.m = m,
                   .text = param,
                   .size = param ? param_size : 0,
                   .file = param_name ? param_name : "param",
                   .err = err,
                   .err_size = err_size,
                   .bin = bin,
                   .bin_size = bin ? bin_size : 0};
    int r = import(&im);
    free(im.hash);
    free(im.consumed);
    if (r < 0) {
        nn_model_free(&m);
        return r;
    }
    *out = m;
    return 0;
}
