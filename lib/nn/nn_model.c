/* Model helpers: the arena that owns a model's memory, lookups, fp16 conversion, and
 * loading a file from disk. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nn/nn_model.h"

/* Small allocations are carved from 64 KiB chunks; big ones (tensor data) get their own
 * block, so a model costs little more than its tensors. */
#define ARENA_CHUNK ((size_t)64 << 10)
#define ARENA_ALIGN ((size_t)64)

typedef struct ArenaBlock {
    struct ArenaBlock *next;
    size_t size, used;
    /* data follows, aligned */
} ArenaBlock;

struct NnArena {
    ArenaBlock *blocks; /* the first is the chunk being filled */
};

#define BLOCK_HEADER ((sizeof(ArenaBlock) + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1))

int nn_arena_create(NnArena **out)
{
    *out = calloc(1, sizeof(NnArena));
    return *out ? 0 : -ENOMEM;
}

static ArenaBlock *block_new(size_t size)
{
    if (size > SIZE_MAX - BLOCK_HEADER - ARENA_ALIGN)
        return NULL;
    size_t total = (BLOCK_HEADER + size + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
    ArenaBlock *b = aligned_alloc(ARENA_ALIGN, total);
    if (!b)
        return NULL;
    b->next = NULL;
    b->size = size;
    b->used = 0;
    return b;
}

void *nn_arena_alloc(NnArena *a, size_t size)
{
    if (!a)
        return NULL;
    size = (size + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
    if (size == 0)
        size = ARENA_ALIGN;
    ArenaBlock *head = a->blocks;
    if (size > ARENA_CHUNK / 4) {
        ArenaBlock *b = block_new(size);
        if (!b)
            return NULL;
        /* behind the head so the head keeps filling */
        if (head) {
            b->next = head->next;
            head->next = b;
        } else {
            a->blocks = b;
        }
        b->used = size;
        void *p = (char *)b + BLOCK_HEADER;
        memset(p, 0, size);
        return p;
    }
    if (!head || head->size - head->used < size || head->size != ARENA_CHUNK) {
        ArenaBlock *b = block_new(ARENA_CHUNK);
        if (!b)
            return NULL;
        b->next = head;
        a->blocks = head = b;
    }
    void *p = (char *)head + BLOCK_HEADER + head->used;
    head->used += size;
    memset(p, 0, size);
    return p;
}

char *nn_arena_strndup(NnArena *a, const char *s, size_t n)
{
    char *p = nn_arena_alloc(a, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = 0;
    }
    return p;
}

void nn_arena_destroy(NnArena **a)
{
    if (!a || !*a)
        return;
    for (ArenaBlock *b = (*a)->blocks, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    free(*a);
    *a = NULL;
}

int nn_model_new(NnModel **out)
{
    NnArena *arena;
    if (nn_arena_create(&arena) < 0)
        return -ENOMEM;
    NnModel *m = nn_arena_alloc(arena, sizeof(*m));
    if (!m) {
        nn_arena_destroy(&arena);
        return -ENOMEM;
    }
    m->arena = arena;
    *out = m;
    return 0;
}

void nn_model_free(NnModel **m)
{
    if (!m || !*m)
        return;
    NnArena *arena = (*m)->arena; /* the model itself lives in its arena */
    nn_arena_destroy(&arena);
    *m = NULL;
}

const char *nn_model_meta(const NnModel *m, const char *key)
{
    for (int i = 0; i < m->n_meta; i++)
        if (!strcmp(m->meta_key[i], key))
            return m->meta_value[i];
    return NULL;
}

const NnAttr *nn_node_attr(const NnNode *n, const char *key)
{
    for (int i = 0; i < n->n_attr; i++)
        if (!strcmp(n->attr[i].key, key))
            return &n->attr[i];
    return NULL;
}

int nn_attr_int(const NnNode *n, const char *key, int i, int def)
{
    const NnAttr *a = nn_node_attr(n, key);
    if (!a || i < 0)
        return def;
    if (a->type == NN_ATTR_INT || a->type == NN_ATTR_INTS)
        return i < a->count ? a->ints[i] : (a->count > 0 ? a->ints[a->count - 1] : def);
    return def;
}

float nn_attr_float(const NnNode *n, const char *key, int i, float def)
{
    const NnAttr *a = nn_node_attr(n, key);
    if (!a || i < 0)
        return def;
    if (a->type == NN_ATTR_FLOAT || a->type == NN_ATTR_FLOATS)
        return i < a->count ? a->floats[i] : (a->count > 0 ? a->floats[a->count - 1] : def);
    if (a->type == NN_ATTR_INT || a->type == NN_ATTR_INTS)
        return (float)(i < a->count ? a->ints[i] : (a->count > 0 ? a->ints[a->count - 1] : 0));
    return def;
}

const char *nn_attr_str(const NnNode *n, const char *key, const char *def)
{
    const NnAttr *a = nn_node_attr(n, key);
    return a && a->type == NN_ATTR_STRING ? a->str : def;
}

int nn_model_load(NnModel **out, const char *path, char *err, size_t err_size)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        int e = errno;
        snprintf(err, err_size, "cannot open %s: %s", path, strerror(e));
        return -e;
    }
    uint8_t *data = NULL;
    long size = -1;
    int ret = -EIO;
    if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        if ((size_t)size > NN_MAX_TOTAL_BYTES * 2) {
            snprintf(err, err_size, "%s: file too large for a model (%ld bytes)", path, size);
            ret = -EFBIG;
            goto done;
        }
        data = malloc(size ? (size_t)size : 1);
        if (!data) {
            ret = -ENOMEM;
            snprintf(err, err_size, "out of memory reading %s", path);
            goto done;
        }
        if (fread(data, 1, (size_t)size, f) == (size_t)size) {
            char why[256];
            ret = nn_model_read(out, data, (size_t)size, why, sizeof(why));
            if (ret < 0)
                snprintf(err, err_size, "%s: %s", path, why);
            goto done;
        }
    }
    snprintf(err, err_size, "cannot read %s", path);
done:
    free(data);
    fclose(f);
    return ret;
}
