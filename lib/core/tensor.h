/* Tensors: planar float images, C x H x W, dense (plane stride h*w, row stride w).
 * A tensor lives on one device; `host` is set only on the CPU device. */
#ifndef WEFT_CORE_TENSOR_H
#define WEFT_CORE_TENSOR_H

#include <stddef.h>

struct Device;

typedef struct WeftTensor {
    int c, h, w;
    float *host;          /* CPU device: the data; NULL on GPU devices */
    void *gpu;            /* GPU device: its buffer object; NULL on the CPU device */
    struct Device *dev;
} WeftTensor;

static inline size_t tensor_count(const WeftTensor *t)
{
    return (size_t)t->c * (size_t)t->h * (size_t)t->w;
}

#endif
