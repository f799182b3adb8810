/*
 * A device allocates tensors, moves them to and from the host, and runs ops.
 * Two implementations: lib/cpu/ (the C path: thread pool over op rows) and lib/gpu/
 * (Vulkan compute). Algorithms only talk to this interface, so both paths run the same
 * algorithm step for step.
 *
 * Ordering: ops run in submission order; device_download() and device_finish() wait for
 * all work submitted before them. GPU devices may batch ops into one command buffer.
 */
#ifndef WEFT_CORE_DEVICE_H
#define WEFT_CORE_DEVICE_H

#include <stddef.h>

#include "core/log.h"
#include "core/tensor.h"
#include "ops/op.h"

typedef struct Device Device;

typedef struct DeviceImpl {
    const char *kind; /* "cpu" or "vulkan" */
    int (*tensor_create)(Device *d, WeftTensor *t);       /* t->c,h,w set; fills storage */
    void (*tensor_destroy)(Device *d, WeftTensor *t);
    int (*upload)(Device *d, WeftTensor *t, const float *src);  /* dense c*h*w floats */
    int (*download)(Device *d, const WeftTensor *t, float *dst);
    int (*run)(Device *d, const OpInfo *op, const void *params, WeftTensor *const *tensors);
    /* Optional (NULL: none): copies `count` elements of src from element `src_at` into dst
     * at `dst_at` (both tensors of one element type), in submission order with ops (a GPU's buffer copy: a memcpy on lavapipe,
     * where a shader pays a per-element loop on every load and store). */
    int (*copy)(Device *d, const WeftTensor *src, size_t src_at, WeftTensor *dst,
                size_t dst_at, size_t count);
    int (*finish)(Device *d);
    void (*destroy)(Device *d);
} DeviceImpl;

struct Device {
    const DeviceImpl *impl;
    Log *log;
    char name[128];
    /* Invocations per subgroup when compute shaders may use basic and ballot subgroup
     * operations (ops with a subgroup shader variant pick it from this), else 0; 0 on the
     * C path. */
    int subgroup_size;
    /* A Vulkan driver that runs shaders on the CPU (lavapipe): every buffer element loaded
     * costs a loop over the SIMD lanes while registers spill cheaply, so ops pick shader
     * variants made for that (many outputs per invocation) only there. */
    int cpu_hosted;
    /* Tensors may be TENSOR_F16 (shaders with 16-bit storage buffers: the Vulkan
     * storageBuffer16BitAccess feature, enabled); 0 on the C path. */
    int storage16;
    void *priv;
};

/* Creates the C-path device with `threads` worker threads (0 = number of cores). */
int cpu_device_create(Device **out, Log *log, int threads);
/* Creates a Vulkan device: index >= 0, or -1 for the first device whose name contains
 * `name_filter` (or the first device at all when it is NULL/empty). -ENODEV if none. */
int gpu_device_create(Device **out, Log *log, int index, const char *name_filter);
void device_destroy(Device **d);

/* Tensor helpers: allocate (c, h, w) on d; destroy is NULL-safe and clears *t. */
int device_tensor(Device *d, WeftTensor *t, int c, int h, int w);
/* The same with an element type; TENSOR_F16 needs Device.storage16 (else -ENOTSUP). */
int device_tensor_typed(Device *d, WeftTensor *t, int c, int h, int w, TensorType type);
void device_tensor_free(WeftTensor *t);
int device_upload(Device *d, WeftTensor *t, const float *src);
int device_download(Device *d, const WeftTensor *t, float *dst);
/* Checks tensor count/devices and runs the op; returns 0 or negative errno. */
int device_run(Device *d, const OpInfo *op, const void *params, WeftTensor *const *tensors);
/* Whether d can run op (the C path runs every op; a shader may need subgroups or 16-bit
 * storage). */
int device_supports(const Device *d, const OpInfo *op);
/* The element type op takes for its tensor i on d: fp16 for the op's half_tensors on a
 * device with storage16; fp32 otherwise (the C path runs an fp16 op on fp32 tensors: its
 * reference). */
TensorType device_op_tensor_type(const Device *d, const OpInfo *op, int i);
int device_finish(Device *d);
/* A range copy between two tensors of d (DeviceImpl.copy), in elements; -ENOSYS when d has
 * none, -EINVAL for ranges past a tensor's end, overlapping ranges of one tensor, or tensors
 * of different element types. */
int device_copy(Device *d, const WeftTensor *src, size_t src_at, WeftTensor *dst, size_t dst_at,
                size_t count);

#endif
