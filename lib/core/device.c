/* Device-independent entry points: argument checks, then the implementation. */
#include <stdlib.h>
#include <string.h>

#include "core/device.h"

void device_destroy(Device **d)
{
    if (!d || !*d)
        return;
    (*d)->impl->destroy(*d);
    *d = NULL;
}

int device_tensor(Device *d, WeftTensor *t, int c, int h, int w)
{
    return device_tensor_typed(d, t, c, h, w, TENSOR_F32);
}

int device_tensor_typed(Device *d, WeftTensor *t, int c, int h, int w, TensorType type)
{
    if (!d || !t || (type != TENSOR_F32 && type != TENSOR_F16))
        return -EINVAL;
    memset(t, 0, sizeof(*t));
    if (type == TENSOR_F16 && !d->storage16) {
        log_error(d->log, "%s: this device cannot store fp16 tensors", d->name);
        return -ENOTSUP;
    }
    if (c <= 0 || h <= 0 || w <= 0 || (size_t)c * (size_t)h > ((size_t)1 << 40) / (size_t)w) {
        log_error(d->log, "tensor size %dx%dx%d is invalid", c, h, w);
        return -EINVAL;
    }
    t->c = c;
    t->h = h;
    t->w = w;
    t->dev = d;
    t->type = type;
    int err = d->impl->tensor_create(d, t);
    if (err < 0)
        memset(t, 0, sizeof(*t));
    return err;
}

void device_tensor_free(WeftTensor *t)
{
    if (!t || !t->dev)
        return;
    t->dev->impl->tensor_destroy(t->dev, t);
    memset(t, 0, sizeof(*t));
}

int device_upload(Device *d, WeftTensor *t, const float *src)
{
    if (!d || !t || !src || t->dev != d)
        return -EINVAL;
    return d->impl->upload(d, t, src);
}

int device_download(Device *d, const WeftTensor *t, float *dst)
{
    if (!d || !t || !dst || t->dev != d)
        return -EINVAL;
    return d->impl->download(d, t, dst);
}

int device_supports(const Device *d, const OpInfo *op)
{
    if (!d || !op)
        return 0;
    if (!strcmp(d->impl->kind, "cpu"))
        return 1;
    return (!op->min_subgroup_size || d->subgroup_size >= op->min_subgroup_size) &&
           (!op->half_tensors || d->storage16);
}

TensorType device_op_tensor_type(const Device *d, const OpInfo *op, int i)
{
    return d && d->storage16 && op && (op->half_tensors >> i & 1u) ? TENSOR_F16 : TENSOR_F32;
}

int device_run(Device *d, const OpInfo *op, const void *params, WeftTensor *const *tensors)
{
    if (!d || !op || !params || !tensors)
        return -EINVAL;
    if (!device_supports(d, op)) {
        if (op->half_tensors && !d->storage16)
            log_error(d->log, "op %s: this device has no 16-bit storage buffers", op->name);
        else
            log_error(d->log, "op %s: this device has no subgroups of %d invocations with ballot",
                      op->name, op->min_subgroup_size);
        return -ENOSYS;
    }
    for (int i = 0; i < op->num_tensors; i++) {
        if (!tensors[i] || tensors[i]->dev != d) {
            log_error(d->log, "op %s: tensor %d is missing or on another device", op->name, i);
            return -EINVAL;
        }
        if (tensors[i]->type != device_op_tensor_type(d, op, i)) {
            log_error(d->log, "op %s: tensor %d is %s where the op takes %s", op->name, i,
                      tensors[i]->type == TENSOR_F16 ? "fp16" : "fp32",
                      tensors[i]->type == TENSOR_F16 ? "fp32" : "fp16");
            return -EINVAL;
        }
    }
    return d->impl->run(d, op, params, tensors);
}

int device_copy(Device *d, const WeftTensor *src, size_t src_at, WeftTensor *dst, size_t dst_at,
                size_t count)
{
    if (!d || !src || !dst || src->dev != d || dst->dev != d || !count || src->type != dst->type ||
        src_at > tensor_count(src) || count > tensor_count(src) - src_at ||
        dst_at > tensor_count(dst) || count > tensor_count(dst) - dst_at ||
        (src == dst && src_at < dst_at + count && dst_at < src_at + count))
        return -EINVAL;
    if (!d->impl->copy)
        return -ENOSYS;
    return d->impl->copy(d, src, src_at, dst, dst_at, count);
}

int device_finish(Device *d)
{
    if (!d)
        return -EINVAL;
    return d->impl->finish(d);
}
