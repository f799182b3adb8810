/* Tensors: planar float images, C x H x W, dense (plane stride h*w, row stride w).
 * A tensor lives on one device; `host` is set only on the CPU device. Its elements are
 * stored as fp32, or as fp16 (TENSOR_F16: GPU devices with 16-bit storage only, for
 * shaders that load and store halves and compute in fp32); the host side of uploads and
 * downloads is always float. */
#ifndef WEFT_CORE_TENSOR_H
#define WEFT_CORE_TENSOR_H

#include <stddef.h>

struct Device;

typedef enum TensorType { TENSOR_F32 = 0, TENSOR_F16 = 1 } TensorType;

typedef struct WeftTensor {
    int c, h, w;
    float *host;          /* CPU device: the data; NULL on GPU devices */
    void *gpu;            /* GPU device: its buffer object; NULL on the CPU device */
    struct Device *dev;
    TensorType type;      /* element storage on the device */
} WeftTensor;

static inline size_t tensor_count(const WeftTensor *t)
{
    return (size_t)t->c * (size_t)t->h * (size_t)t->w;
}

/* Bytes per element in the device's storage. */
static inline size_t tensor_elem_size(const WeftTensor *t)
{
    return t->type == TENSOR_F16 ? 2 : 4;
}

#endif
