/* The .weft reader (models/FORMAT.md). The input is hostile: every read goes through a
 * bounds-checked cursor, every count is limited before anything is allocated for it, and
 * every index is checked against what it indexes. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/half.h"
#include "nn/nn_model.h"

static const uint8_t weft_magic[8] = {0x89, 'W', 'E', 'F', 'T', 0x0d, 0x0a, 0x1a};

typedef struct Cursor {
    const uint8_t *p;
    size_t size, pos;
    int bad; /* a read went past the end */
} Cursor;

typedef struct Reader {
    NnModel *m;
    char *err;
    size_t err_size;
} Reader;

static int fail(Reader *r, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err, r->err_size, fmt, ap);
    va_end(ap);
    return code;
}

static const uint8_t *take(Cursor *c, size_t n)
{
    if (c->bad || n > c->size - c->pos) {
        c->bad = 1;
        return NULL;
    }
    const uint8_t *p = c->p + c->pos;
    c->pos += n;
    return p;
}

static uint32_t rd_u32(Cursor *c)
{
    const uint8_t *p = take(c, 4);
    return p ? (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24
             : 0;
}

static uint16_t rd_u16(Cursor *c)
{
    const uint8_t *p = take(c, 2);
    return p ? (uint16_t)(p[0] | p[1] << 8) : 0;
}

static uint8_t rd_u8(Cursor *c)
{
    const uint8_t *p = take(c, 1);
    return p ? p[0] : 0;
}

static uint64_t rd_u64(Cursor *c)
{
    uint64_t lo = rd_u32(c);
    return lo | (uint64_t)rd_u32(c) << 32;
}

static float rd_f32(Cursor *c)
{
    uint32_t u = rd_u32(c);
    float f;
    memcpy(&f, &u, sizeof(f));
    return f;
}

/* A string into the arena; NULL on error (cursor marked bad or out of memory). */
static const char *rd_str(Reader *r, Cursor *c)
{
    uint32_t n = rd_u32(c);
    if (n > NN_MAX_STRING) {
        c->bad = 1;
        return NULL;
    }
    const uint8_t *p = take(c, n);
    if (!p)
        return NULL;
    if (memchr(p, 0, n)) {
        c->bad = 1;
        return NULL;
    }
    return nn_arena_strndup(r->m->arena, (const char *)p, n);
}

static void *arena_array(Reader *r, size_t count, size_t elem)
{
    /* counts are bounded by the limits before this is called; still no overflow */
    if (elem && count > SIZE_MAX / elem)
        return NULL;
    return nn_arena_alloc(r->m->arena, count * elem);
}

static int read_meta(Reader *r, Cursor *c)
{
    NnModel *m = r->m;
    uint32_t n = rd_u32(c);
    if (c->bad || n > NN_MAX_META)
        return fail(r, -EINVAL, "META: bad entry count %u", n);
    m->meta_key = arena_array(r, n ? n : 1, sizeof(char *));
    m->meta_value = arena_array(r, n ? n : 1, sizeof(char *));
    if (!m->meta_key || !m->meta_value)
        return fail(r, -ENOMEM, "out of memory");
    for (uint32_t i = 0; i < n; i++) {
        m->meta_key[i] = rd_str(r, c);
        m->meta_value[i] = rd_str(r, c);
        if (!m->meta_key[i] || !m->meta_value[i])
            return fail(r, c->bad ? -EINVAL : -ENOMEM, "META: entry %u is malformed", i);
    }
    m->n_meta = (int)n;
    return 0;
}

static int read_ids(Reader *r, Cursor *c, uint32_t n, uint32_t limit, int *out, const char *what)
{
    for (uint32_t i = 0; i < n; i++) {
        uint32_t v = rd_u32(c);
        if (c->bad || v >= limit)
            return fail(r, -EINVAL, "GRPH: %s index %u out of range (limit %u)", what, v, limit);
        out[i] = (int)v;
    }
    return 0;
}

static int read_attr(Reader *r, Cursor *c, NnAttr *a)
{
    if (!(a->key = rd_str(r, c)))
        return -EINVAL;
    a->type = rd_u8(c);
    uint32_t n = 1;
    switch (a->type) {
    case NN_ATTR_INTS:
    case NN_ATTR_FLOATS:
        n = rd_u32(c);
        if (n > NN_MAX_ARRAY)
            return -EINVAL;
        /* fall through */
    case NN_ATTR_INT:
    case NN_ATTR_FLOAT:
        a->count = (int)n;
        if (a->type == NN_ATTR_INT || a->type == NN_ATTR_INTS) {
            if (!(a->ints = arena_array(r, n ? n : 1, sizeof(int32_t))))
                return -ENOMEM;
            for (uint32_t i = 0; i < n; i++)
                a->ints[i] = (int32_t)rd_u32(c);
        } else {
            if (!(a->floats = arena_array(r, n ? n : 1, sizeof(float))))
                return -ENOMEM;
            for (uint32_t i = 0; i < n; i++)
                a->floats[i] = rd_f32(c);
        }
        return c->bad ? -EINVAL : 0;
    case NN_ATTR_STRING:
        a->count = 1;
        return (a->str = rd_str(r, c)) ? 0 : -EINVAL;
    default:
        return -EINVAL;
    }
}

static int read_graph(Reader *r, Cursor *c, uint32_t n_tensors)
{
    NnModel *m = r->m;
    int err;
    uint32_t nb = rd_u32(c);
    if (c->bad || nb < 1 || nb > NN_MAX_BLOBS)
        return fail(r, -EINVAL, "GRPH: bad blob count %u", nb);
    /* each blob name needs at least 4 bytes: reject counts the section cannot hold before
     * allocating for them */
    if ((size_t)nb * 4 > c->size - c->pos)
        return fail(r, -EINVAL, "GRPH: blob count %u exceeds the section", nb);
    if (!(m->blob_name = arena_array(r, nb, sizeof(char *))))
        return fail(r, -ENOMEM, "out of memory");
    for (uint32_t i = 0; i < nb; i++)
        if (!(m->blob_name[i] = rd_str(r, c)))
            return fail(r, -EINVAL, "GRPH: blob name %u is malformed", i);
    m->n_blobs = (int)nb;
    /* which blobs have been written so far, to check order and single assignment */
    uint8_t *written = arena_array(r, nb, 1);
    if (!written)
        return fail(r, -ENOMEM, "out of memory");

    uint32_t ni = rd_u32(c);
    if (c->bad || ni < 1 || ni > NN_MAX_IO)
        return fail(r, -EINVAL, "GRPH: bad input count %u", ni);
    m->inputs = arena_array(r, ni, sizeof(int));
    m->input_channels = arena_array(r, ni, sizeof(int));
    if (!m->inputs || !m->input_channels)
        return fail(r, -ENOMEM, "out of memory");
    for (uint32_t i = 0; i < ni; i++) {
        if ((err = read_ids(r, c, 1, nb, &m->inputs[i], "input")) < 0)
            return err;
        uint32_t ch = rd_u32(c);
        if (c->bad || ch > 65536)
            return fail(r, -EINVAL, "GRPH: input %u has a bad channel count", i);
        m->input_channels[i] = (int)ch;
        if (written[m->inputs[i]]++)
            return fail(r, -EINVAL, "GRPH: blob %d is an input twice", m->inputs[i]);
    }
    m->n_inputs = (int)ni;
    uint32_t no = rd_u32(c);
    if (c->bad || no < 1 || no > NN_MAX_IO)
        return fail(r, -EINVAL, "GRPH: bad output count %u", no);
    if (!(m->outputs = arena_array(r, no, sizeof(int))))
        return fail(r, -ENOMEM, "out of memory");
    if ((err = read_ids(r, c, no, nb, m->outputs, "output")) < 0)
        return err;
    m->n_outputs = (int)no;

    uint32_t nn = rd_u32(c);
    if (c->bad || nn > NN_MAX_NODES || (size_t)nn * 24 > c->size - c->pos)
        return fail(r, -EINVAL, "GRPH: bad node count %u", nn);
    if (!(m->nodes = arena_array(r, nn ? nn : 1, sizeof(NnNode))))
        return fail(r, -ENOMEM, "out of memory");
    for (uint32_t k = 0; k < nn; k++) {
        NnNode *n = &m->nodes[k];
        n->op = rd_str(r, c);
        n->name = rd_str(r, c);
        if (!n->op || !n->name)
            return fail(r, -EINVAL, "GRPH: node %u: bad op or name", k);
        uint32_t cin = rd_u32(c);
        if (c->bad || cin > NN_MAX_IO)
            return fail(r, -EINVAL, "GRPH: node %u (%s): bad input count", k, n->name);
        n->n_in = (int)cin;
        if (!(n->in = arena_array(r, cin ? cin : 1, sizeof(int))))
            return fail(r, -ENOMEM, "out of memory");
        if ((err = read_ids(r, c, cin, nb, n->in, "node input")) < 0)
            return err;
        for (uint32_t i = 0; i < cin; i++)
            if (!written[n->in[i]])
                return fail(r, -EINVAL, "GRPH: node %u (%s) reads blob %s before it is written", k,
                            n->name, m->blob_name[n->in[i]]);
        uint32_t cout = rd_u32(c);
        if (c->bad || cout < 1 || cout > NN_MAX_IO)
            return fail(r, -EINVAL, "GRPH: node %u (%s): bad output count", k, n->name);
        n->n_out = (int)cout;
        if (!(n->out = arena_array(r, cout, sizeof(int))))
            return fail(r, -ENOMEM, "out of memory");
        if ((err = read_ids(r, c, cout, nb, n->out, "node output")) < 0)
            return err;
        for (uint32_t i = 0; i < cout; i++)
            if (written[n->out[i]]++)
                return fail(r, -EINVAL, "GRPH: node %u (%s) writes blob %s a second time", k,
                            n->name, m->blob_name[n->out[i]]);
        uint32_t na = rd_u32(c);
        if (c->bad || na > NN_MAX_ATTRS)
            return fail(r, -EINVAL, "GRPH: node %u (%s): bad attribute count", k, n->name);
        n->n_attr = (int)na;
        if (!(n->attr = arena_array(r, na ? na : 1, sizeof(NnAttr))))
            return fail(r, -ENOMEM, "out of memory");
        for (uint32_t i = 0; i < na; i++)
            if ((err = read_attr(r, c, &n->attr[i])) < 0)
                return fail(r, err, "GRPH: node %u (%s): attribute %u is malformed", k, n->name, i);
        uint32_t nw = rd_u32(c);
        if (c->bad || nw > NN_MAX_IO)
            return fail(r, -EINVAL, "GRPH: node %u (%s): bad weight count", k, n->name);
        n->n_weights = (int)nw;
        if (!(n->weights = arena_array(r, nw ? nw : 1, sizeof(int))))
            return fail(r, -ENOMEM, "out of memory");
        if ((err = read_ids(r, c, nw, n_tensors, n->weights, "weight")) < 0)
            return err;
    }
    m->n_nodes = (int)nn;
    for (int i = 0; i < m->n_outputs; i++)
        if (!written[m->outputs[i]])
            return fail(r, -EINVAL, "GRPH: output %s is never written",
                        m->blob_name[m->outputs[i]]);
    return 0;
}

/* Decodes one tensor's stored bytes into fp32. */
static int decode_tensor(Reader *r, NnTensorData *t, int codec, const uint8_t *stored,
                         size_t stored_size, uint32_t crc)
{
    size_t elem = t->dtype == NN_DTYPE_F16 ? 2 : 4;
    size_t raw_size = t->count * elem;
    uint8_t *raw = NULL, *tmp = NULL;
    if (codec == 0) {
        if (stored_size != raw_size)
            return fail(r, -EINVAL, "tensor %s: stored size %zu, expected %zu", t->name,
                        stored_size, raw_size);
        raw = (uint8_t *)stored;
    } else {
        tmp = malloc(raw_size ? raw_size : 1);
        if (!tmp)
            return fail(r, -ENOMEM, "out of memory");
        uLongf got = (uLongf)raw_size;
        int z = uncompress(tmp, &got, stored, (uLong)stored_size);
        if (z != Z_OK || got != raw_size) {
            free(tmp);
            return fail(r, -EINVAL, "tensor %s: corrupt compressed data (zlib %d)", t->name, z);
        }
        raw = tmp;
    }
    if ((uint32_t)crc32(0L, raw, (uInt)raw_size) != crc) {
        free(tmp);
        return fail(r, -EINVAL, "tensor %s: checksum mismatch", t->name);
    }
    t->data = nn_arena_alloc(r->m->arena, t->count * sizeof(float));
    if (!t->data) {
        free(tmp);
        return fail(r, -ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < t->count; i++) {
        const uint8_t *p = raw + i * elem;
        if (elem == 2) {
            t->data[i] = half_to_float((uint16_t)(p[0] | p[1] << 8));
        } else {
            uint32_t u =
                (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
            memcpy(&t->data[i], &u, 4);
        }
    }
    free(tmp);
    return 0;
}

static int read_tensors(Reader *r, Cursor *c, const uint8_t *data, size_t data_size, int have_data)
{
    NnModel *m = r->m;
    int err;
    size_t total = 0;
    for (int k = 0; k < m->n_tensors; k++) {
        NnTensorData *t = &m->tensors[k];
        if (!(t->name = rd_str(r, c)))
            return fail(r, -EINVAL, "TENS: tensor %d: bad name", k);
        t->dtype = rd_u8(c);
        int codec = rd_u8(c);
        t->ndim = rd_u16(c);
        if (c->bad || (t->dtype != NN_DTYPE_F32 && t->dtype != NN_DTYPE_F16) ||
            (codec != 0 && codec != 1) || t->ndim < 1 || t->ndim > NN_MAX_DIMS)
            return fail(r, -EINVAL, "TENS: tensor %s: bad dtype, codec or rank", t->name);
        t->count = 1;
        for (int d = 0; d < t->ndim; d++) {
            uint32_t v = rd_u32(c);
            if (c->bad || v < 1 || v > NN_MAX_TENSOR_ELEMS || t->count * v > NN_MAX_TENSOR_ELEMS)
                return fail(r, -EINVAL, "TENS: tensor %s: bad dimensions", t->name);
            t->dims[d] = (int)v;
            t->count *= v;
        }
        uint64_t off = rd_u64(c), stored = rd_u64(c);
        uint32_t crc = rd_u32(c);
        if (c->bad)
            return fail(r, -EINVAL, "TENS: tensor %s: truncated entry", t->name);
        if (!have_data || off > data_size || stored > data_size - off)
            return fail(r, -EINVAL, "TENS: tensor %s: data outside the DATA section", t->name);
        total += t->count * (t->dtype == NN_DTYPE_F16 ? 2 : 4);
        if (total > NN_MAX_TOTAL_BYTES)
            return fail(r, -EINVAL, "TENS: tensors exceed %zu bytes in all", NN_MAX_TOTAL_BYTES);
        if ((err = decode_tensor(r, t, codec, data + off, (size_t)stored, crc)) < 0)
            return err;
    }
    return 0;
}

int nn_model_read(NnModel **out, const uint8_t *data, size_t size, char *err, size_t err_size)
{
    char dummy[8];
    if (!err || !err_size) {
        err = dummy;
        err_size = sizeof(dummy);
    }
    err[0] = 0;
    if (!out)
        return -EINVAL;
    *out = NULL;
    Reader r = {.err = err, .err_size = err_size};
    if (!data || size < 32 || memcmp(data, weft_magic, 8) != 0)
        return fail(&r, -EINVAL, "not a .weft file (bad magic)");
    Cursor c = {.p = data, .size = size, .pos = 8};
    uint16_t major = rd_u16(&c), minor = rd_u16(&c);
    uint32_t nsec = rd_u32(&c);
    uint64_t file_size = rd_u64(&c);
    (void)rd_u32(&c); /* flags: reserved */
    uint32_t header_crc = rd_u32(&c);
    if ((uint32_t)crc32(0L, data, 28) != header_crc)
        return fail(&r, -EINVAL, "header checksum mismatch");
    if (major != 1)
        return fail(&r, -ENOTSUP, "format version %u.%u is not supported (this reader: 1.x)", major,
                    minor);
    if (file_size != size)
        return fail(&r, -EINVAL, "file is %zu bytes, header says %llu (truncated?)", size,
                    (unsigned long long)file_size);
    if (nsec < 1 || nsec > NN_MAX_SECTIONS || 32 + (size_t)nsec * 24 > size)
        return fail(&r, -EINVAL, "bad section count %u", nsec);
    size_t dir_end = 32 + (size_t)nsec * 24;

    static const char *const known[] = {"META", "GRPH", "TENS", "DATA"};
    Cursor sec[4];
    int have[4] = {0};
    for (uint32_t i = 0; i < nsec; i++) {
        const uint8_t *tag = take(&c, 4);
        uint32_t flags = rd_u32(&c);
        uint64_t off = rd_u64(&c), len = rd_u64(&c);
        if (c.bad || off < dir_end || off > size || len > size - off)
            return fail(&r, -EINVAL, "section %u lies outside the file", i);
        int k = -1;
        for (int j = 0; j < 4; j++)
            if (!memcmp(tag, known[j], 4))
                k = j;
        if (k < 0) {
            if (flags & 1)
                return fail(&r, -ENOTSUP, "required section '%c%c%c%c' is not supported",
                            tag[0] < 32 || tag[0] > 126 ? '?' : tag[0],
                            tag[1] < 32 || tag[1] > 126 ? '?' : tag[1],
                            tag[2] < 32 || tag[2] > 126 ? '?' : tag[2],
                            tag[3] < 32 || tag[3] > 126 ? '?' : tag[3]);
            continue; /* unknown optional section: skipped */
        }
        if (have[k]++)
            return fail(&r, -EINVAL, "section %s appears twice", known[k]);
        sec[k] = (Cursor){.p = data + off, .size = (size_t)len};
    }
    if (!have[1] || !have[2])
        return fail(&r, -EINVAL, "missing %s section", have[1] ? "TENS" : "GRPH");

    NnModel *m;
    if (nn_model_new(&m) < 0)
        return fail(&r, -ENOMEM, "out of memory");
    r.m = m;
    int ret;
    if (have[0] && (ret = read_meta(&r, &sec[0])) < 0)
        goto fail;
    uint32_t nt = rd_u32(&sec[2]);
    if (sec[2].bad || nt > NN_MAX_TENSORS || (size_t)nt * 30 > sec[2].size - sec[2].pos) {
        ret = fail(&r, -EINVAL, "TENS: bad tensor count %u", nt);
        goto fail;
    }
    if (!(m->tensors = arena_array(&r, nt ? nt : 1, sizeof(NnTensorData)))) {
        ret = fail(&r, -ENOMEM, "out of memory");
        goto fail;
    }
    m->n_tensors = (int)nt;
    if ((ret = read_graph(&r, &sec[1], nt)) < 0)
        goto fail;
    if ((ret = read_tensors(&r, &sec[2], have[3] ? sec[3].p : NULL, have[3] ? sec[3].size : 0,
                            have[3])) < 0)
        goto fail;
    *out = m;
    return 0;
fail:
    nn_model_free(&m);
    return ret;
}
