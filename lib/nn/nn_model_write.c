/* The .weft writer (models/FORMAT.md): sections META, GRPH, TENS, DATA, tensors
 * zlib-compressed in their dtype. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/half.h"
#include "nn/nn_model.h"

typedef struct Buf {
    uint8_t *p;
    size_t size, cap;
    int oom;
} Buf;

static void put(Buf *b, const void *src, size_t n)
{
    if (b->oom || n == 0) /* n == 0: src may be NULL (an empty section) */
        return;
    if (n > b->cap - b->size) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap - b->size < n) {
            if (cap > SIZE_MAX / 2) {
                b->oom = 1;
                return;
            }
            cap *= 2;
        }
        uint8_t *p = realloc(b->p, cap);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->size, src, n);
    b->size += n;
}

static void put_u8(Buf *b, uint8_t v)
{
    put(b, &v, 1);
}

static void put_u16(Buf *b, uint16_t v)
{
    uint8_t x[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    put(b, x, 2);
}

static void put_u32(Buf *b, uint32_t v)
{
    uint8_t x[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    put(b, x, 4);
}

static void put_u64(Buf *b, uint64_t v)
{
    put_u32(b, (uint32_t)v);
    put_u32(b, (uint32_t)(v >> 32));
}

static void put_str(Buf *b, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n > NN_MAX_STRING)
        n = NN_MAX_STRING;
    put_u32(b, (uint32_t)n);
    put(b, s, n);
}

static void put_f32(Buf *b, float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    put_u32(b, u);
}

static void write_graph(Buf *b, const NnModel *m)
{
    put_u32(b, (uint32_t)m->n_blobs);
    for (int i = 0; i < m->n_blobs; i++)
        put_str(b, m->blob_name[i]);
    put_u32(b, (uint32_t)m->n_inputs);
    for (int i = 0; i < m->n_inputs; i++) {
        put_u32(b, (uint32_t)m->inputs[i]);
        put_u32(b, (uint32_t)(m->input_channels ? m->input_channels[i] : 0));
    }
    put_u32(b, (uint32_t)m->n_outputs);
    for (int i = 0; i < m->n_outputs; i++)
        put_u32(b, (uint32_t)m->outputs[i]);
    put_u32(b, (uint32_t)m->n_nodes);
    for (int k = 0; k < m->n_nodes; k++) {
        const NnNode *n = &m->nodes[k];
        put_str(b, n->op);
        put_str(b, n->name);
        put_u32(b, (uint32_t)n->n_in);
        for (int i = 0; i < n->n_in; i++)
            put_u32(b, (uint32_t)n->in[i]);
        put_u32(b, (uint32_t)n->n_out);
        for (int i = 0; i < n->n_out; i++)
            put_u32(b, (uint32_t)n->out[i]);
        put_u32(b, (uint32_t)n->n_attr);
        for (int i = 0; i < n->n_attr; i++) {
            const NnAttr *a = &n->attr[i];
            put_str(b, a->key);
            put_u8(b, (uint8_t)a->type);
            if (a->type == NN_ATTR_INTS || a->type == NN_ATTR_FLOATS)
                put_u32(b, (uint32_t)a->count);
            if (a->type == NN_ATTR_STRING)
                put_str(b, a->str);
            else if (a->type == NN_ATTR_INT || a->type == NN_ATTR_INTS)
                for (int j = 0; j < a->count; j++)
                    put_u32(b, (uint32_t)a->ints[j]);
            else
                for (int j = 0; j < a->count; j++)
                    put_f32(b, a->floats[j]);
        }
        put_u32(b, (uint32_t)n->n_weights);
        for (int i = 0; i < n->n_weights; i++)
            put_u32(b, (uint32_t)n->weights[i]);
    }
}

/* Appends tensor t to data (compressed) and its entry to table. */
static int write_tensor(Buf *table, Buf *data, const NnTensorData *t)
{
    size_t elem = t->dtype == NN_DTYPE_F16 ? 2 : 4;
    size_t raw_size = t->count * elem;
    uint8_t *raw = malloc(raw_size ? raw_size : 1);
    if (!raw)
        return -ENOMEM;
    for (size_t i = 0; i < t->count; i++) {
        if (elem == 2) {
            uint16_t h = float_to_half(t->data[i]);
            raw[2 * i] = (uint8_t)h;
            raw[2 * i + 1] = (uint8_t)(h >> 8);
        } else {
            uint32_t u;
            memcpy(&u, &t->data[i], 4);
            for (int k = 0; k < 4; k++)
                raw[4 * i + k] = (uint8_t)(u >> (8 * k));
        }
    }
    uLongf zsize = compressBound((uLong)raw_size);
    uint8_t *z = malloc(zsize);
    if (!z || compress2(z, &zsize, raw, (uLong)raw_size, 9) != Z_OK) {
        free(z);
        free(raw);
        return -ENOMEM;
    }
    put_str(table, t->name);
    put_u8(table, (uint8_t)t->dtype);
    put_u8(table, 1); /* zlib */
    put_u16(table, (uint16_t)t->ndim);
    for (int d = 0; d < t->ndim; d++)
        put_u32(table, (uint32_t)t->dims[d]);
    put_u64(table, data->size);
    put_u64(table, zsize);
    put_u32(table, (uint32_t)crc32(0L, raw, (uInt)raw_size));
    put(data, z, zsize);
    free(z);
    free(raw);
    return 0;
}

int nn_model_write(const NnModel *m, uint8_t **out, size_t *out_size)
{
    static const uint8_t magic[8] = {0x89, 'W', 'E', 'F', 'T', 0x0d, 0x0a, 0x1a};
    Buf sec[4] = {0}; /* META GRPH TENS DATA */
    Buf file = {0};
    int err = 0;
    put_u32(&sec[0], (uint32_t)m->n_meta);
    for (int i = 0; i < m->n_meta; i++) {
        put_str(&sec[0], m->meta_key[i]);
        put_str(&sec[0], m->meta_value[i]);
    }
    write_graph(&sec[1], m);
    put_u32(&sec[2], (uint32_t)m->n_tensors);
    for (int i = 0; i < m->n_tensors && err == 0; i++)
        err = write_tensor(&sec[2], &sec[3], &m->tensors[i]);
    static const char tags[4][5] = {"META", "GRPH", "TENS", "DATA"};
    static const uint32_t required[4] = {0, 1, 1, 1};
    uint64_t offset = 32 + 4 * 24, total = offset;
    for (int i = 0; i < 4; i++)
        total += sec[i].size;
    put(&file, magic, 8);
    put_u16(&file, 1);
    put_u16(&file, 0);
    put_u32(&file, 4);
    put_u64(&file, total);
    put_u32(&file, 0);
    put_u32(&file, file.oom ? 0 : (uint32_t)crc32(0L, file.p, 28));
    for (int i = 0; i < 4; i++) {
        put(&file, tags[i], 4);
        put_u32(&file, required[i]);
        put_u64(&file, offset);
        put_u64(&file, sec[i].size);
        offset += sec[i].size;
    }
    for (int i = 0; i < 4; i++) {
        put(&file, sec[i].p, sec[i].size);
        if (sec[i].oom)
            err = -ENOMEM;
        free(sec[i].p);
    }
    if (file.oom && !err)
        err = -ENOMEM;
    if (err < 0) {
        free(file.p);
        return err;
    }
    *out = file.p;
    *out_size = file.size;
    return 0;
}
