/*
 * A network model in memory: the graph and the weight tensors of a .weft file
 * (models/FORMAT.md). nn_model_read() parses and checks a file image (hostile input:
 * every size and offset is bounded before use); nn_model_write() serialises a model (used
 * by weft-convert and by the tests that build small random networks).
 *
 * Everything a model owns (names, attribute arrays, tensor data) lives in one arena and is
 * released by nn_model_free().
 */
#ifndef WEFT_NN_NN_MODEL_H
#define WEFT_NN_NN_MODEL_H

#include <stddef.h>
#include <stdint.h>

#define NN_MAX_SECTIONS 64
#define NN_MAX_STRING 4096
#define NN_MAX_META 256
#define NN_MAX_BLOBS 65536
#define NN_MAX_NODES 65536
#define NN_MAX_TENSORS 65536
#define NN_MAX_IO 16
#define NN_MAX_ATTRS 64
#define NN_MAX_ARRAY 1024
#define NN_MAX_DIMS 4
#define NN_MAX_TENSOR_ELEMS ((size_t)1 << 28)
#define NN_MAX_TOTAL_BYTES ((size_t)1 << 30)

enum {
    NN_ATTR_INT = 1,
    NN_ATTR_FLOAT = 2,
    NN_ATTR_INTS = 3,
    NN_ATTR_FLOATS = 4,
    NN_ATTR_STRING = 5
};
enum { NN_DTYPE_F32 = 1, NN_DTYPE_F16 = 2 };

typedef struct NnAttr {
    const char *key;
    int type;
    int count;       /* array length; 1 for scalars */
    int32_t *ints;   /* NN_ATTR_INT / NN_ATTR_INTS */
    float *floats;   /* NN_ATTR_FLOAT / NN_ATTR_FLOATS */
    const char *str; /* NN_ATTR_STRING */
} NnAttr;

typedef struct NnNode {
    const char *op, *name;
    int n_in, n_out, n_attr, n_weights;
    int *in, *out, *weights;
    NnAttr *attr;
} NnNode;

typedef struct NnTensorData {
    const char *name;
    int dtype; /* how it is stored in the file */
    int ndim;
    int dims[NN_MAX_DIMS];
    size_t count;
    float *data; /* decoded to fp32 */
} NnTensorData;

typedef struct NnArena NnArena;

typedef struct NnModel {
    NnArena *arena;
    int n_meta;
    const char **meta_key, **meta_value;
    int n_blobs;
    const char **blob_name;
    int n_inputs, n_outputs;
    int *inputs, *input_channels, *outputs;
    int n_nodes;
    NnNode *nodes;
    int n_tensors;
    NnTensorData *tensors;
} NnModel;

/* Parses a .weft image. On error returns a negative errno (-EINVAL for a malformed file,
 * -ENOMEM, -ENOTSUP for an unsupported version or required section) and writes a one-line
 * reason to err. */
int nn_model_read(NnModel **out, const uint8_t *data, size_t size, char *err, size_t err_size);
/* Reads a file and parses it. */
int nn_model_load(NnModel **out, const char *path, char *err, size_t err_size);
void nn_model_free(NnModel **m);

/* Serialises m (tensors stored as each tensor's dtype, zlib-compressed) into a newly
 * malloc'd buffer. */
int nn_model_write(const NnModel *m, uint8_t **out, size_t *out_size);

/* Looks up metadata / attributes; NULL when absent. */
const char *nn_model_meta(const NnModel *m, const char *key);
const NnAttr *nn_node_attr(const NnNode *n, const char *key);
/* Attribute helpers with defaults: element i of an int/float (array) attribute. */
int nn_attr_int(const NnNode *n, const char *key, int i, int def);
float nn_attr_float(const NnNode *n, const char *key, int i, float def);
const char *nn_attr_str(const NnNode *n, const char *key, const char *def);

/* Arena: all allocations of a model. nn_arena_alloc returns zeroed memory or NULL. */
int nn_arena_create(NnArena **out);
void *nn_arena_alloc(NnArena *a, size_t size);
char *nn_arena_strndup(NnArena *a, const char *s, size_t n);
void nn_arena_destroy(NnArena **a);

/* An empty model with its own arena (for writers). */
int nn_model_new(NnModel **out);

#endif
