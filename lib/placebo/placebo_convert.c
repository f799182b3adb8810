/* The Vulkan path's picture conversions through libplacebo (see placebo_convert.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/convert.h"
#include "core/picture.h"
#include "placebo/placebo_convert.h"

#ifndef WEFT_HAVE_LIBPLACEBO

int placebo_convert_create(PlaceboConvert **out, Device *dev, Log *log)
{
    (void)dev;
    (void)log;
    if (out)
        *out = NULL;
    return -ENOSYS;
}

void placebo_convert_destroy(PlaceboConvert **pc)
{
    if (pc)
        *pc = NULL;
}

int placebo_convert_load(PlaceboConvert *pc, const WeftPicture *pic, WeftTensor *planes,
                         WeftTensor *luma)
{
    (void)pc, (void)pic, (void)planes, (void)luma;
    return -ENOSYS;
}

int placebo_convert_store(PlaceboConvert *pc, const WeftTensor *planes, WeftPicture *out)
{
    (void)pc, (void)planes, (void)out;
    return -ENOSYS;
}

#else

#include <libplacebo/dispatch.h>
#include <libplacebo/shaders/custom.h>
#include <libplacebo/vulkan.h>

#include "gpu/gpu_vulkan.h"

#define MAX_PLANES 4
#define GROUP 16
/* Generated GLSL of one dispatch: a few lines per component. */
#define SHADER_CHARS 8192

struct PlaceboConvert {
    Device *dev;
    Log *log;
    GpuVulkanHandles vk;
    pl_log pl_log;
    pl_vulkan pl_vk;
    pl_gpu gpu;
    pl_dispatch dp;
    pl_fmt fmt_u8, fmt_u16, fmt_float;
    pl_tex plane_tex[MAX_PLANES]; /* the input picture's planes, one sample per texel */
    pl_tex stage;                 /* float rows: the tensor's c*h rows, then the luma's h */
    pl_buf words[MAX_PLANES];     /* the output picture's planes, packed samples */
    /* weft's side of the hand-over: a command buffer on weft's queue, and binary
     * semaphores for pl_vulkan_hold_raw (libplacebo -> us) and pl_vulkan_release (back) */
    VkCommandPool pool;
    VkCommandBuffer cmd;
    VkFence fence;
    VkSemaphore held, released;
};

/* Where component c of a pixel lives: lib/core/convert.c's layout, with the chroma
 * subsampling as shifts. */
typedef struct ComponentPlace {
    int plane, offset, step, sw, sh;
} ComponentPlace;

static ComponentPlace component_place(const WeftFormatInfo *fi, WeftPixelFormat f, int c)
{
    ComponentPlace p = {0};
    int chroma;
    convert_component_layout(fi, f, c, &p.plane, &p.offset, &p.step, &chroma);
    p.sw = chroma ? fi->log2_chroma_w : 0;
    p.sh = chroma ? fi->log2_chroma_h : 0;
    return p;
}

/* Samples per row of plane `plane` (components interleaved in packed formats). */
static int plane_row_samples(const WeftFormatInfo *fi, int width, int height, int plane,
                             int *rows)
{
    size_t row_bytes;
    picture_plane_size(fi, width, height, plane, &row_bytes, rows);
    return (int)(row_bytes / (fi->bits > 8 ? 2 : 1));
}

static void pl_log_to_weft(void *opaque, enum pl_log_level level, const char *msg)
{
    Log *log = opaque;
    if (level <= PL_LOG_ERR)
        log_warn(log, "libplacebo: %s", msg);
    else
        log_verbose(log, "libplacebo: %s", msg);
}

static int vk_fail(PlaceboConvert *pc, VkResult r, const char *what)
{
    log_error(pc->log, "libplacebo conversion: %s failed (VkResult %d)", what, (int)r);
    return -EIO;
}

int placebo_convert_create(PlaceboConvert **out, Device *dev, Log *log)
{
    if (!out || !dev)
        return -EINVAL;
    *out = NULL;
    PlaceboConvert *pc = calloc(1, sizeof(*pc));
    if (!pc)
        return -ENOMEM;
    pc->dev = dev;
    pc->log = log;
    int err = -ENODEV;
    if (gpu_device_vulkan(dev, &pc->vk) < 0)
        goto fail;
    if (pc->vk.external) {
        /* libplacebo must be told the device's enabled features and queues, which a
         * caller's WeftVulkanDevice does not say */
        log_verbose(log, "libplacebo: not used on a caller's device");
        goto fail;
    }
    /* What Debian 12's libplacebo (4.208) asks of an imported device. */
    if (!pc->vk.timeline_semaphores) {
        log_verbose(log, "libplacebo: the device has no timeline semaphores");
        goto fail;
    }
    if (!pc->vk.has_graphics_queue) {
        log_verbose(log, "libplacebo: the device has no graphics queue");
        goto fail;
    }
    pc->pl_log = pl_log_create(PL_API_VER, pl_log_params(.log_cb = pl_log_to_weft,
                                                         .log_priv = log,
                                                         .log_level = PL_LOG_WARN));
    VkPhysicalDeviceTimelineSemaphoreFeatures timeline = {
        .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_TIMELINE_SEMAPHORE_FEATURES,
        .timelineSemaphore = VK_TRUE,
    };
    VkPhysicalDeviceFeatures2 features = {
        .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2,
        .pNext = &timeline,
    };
    /* libplacebo's queues are weft's own: its work and ours are ordered on them, and the
     * hand-over below adds the semaphores. With a compute-only weft queue, libplacebo also
     * gets the graphics queue weft created for it, and shares its images between both. */
    struct pl_vulkan_queue graphics = {.index = pc->vk.graphics_family, .count = 1};
    struct pl_vulkan_queue compute = {0};
    if (pc->vk.graphics_family != pc->vk.queue_family)
        compute = (struct pl_vulkan_queue){.index = pc->vk.queue_family, .count = 1};
    pc->pl_vk = pl_vulkan_import(pc->pl_log, pl_vulkan_import_params(
        .instance = pc->vk.instance,
        .get_proc_addr = vkGetInstanceProcAddr,
        .phys_device = pc->vk.physical,
        .device = pc->vk.device,
        .extensions = pc->vk.extensions,
        .num_extensions = pc->vk.num_extensions,
        .queue_graphics = graphics,
        .queue_compute = compute,
        .features = &features,
        .max_api_version = pc->vk.api_version));
    if (!pc->pl_vk) {
        log_verbose(log, "libplacebo: pl_vulkan_import refused the device");
        goto fail;
    }
    pc->gpu = pc->pl_vk->gpu;
    pc->dp = pl_dispatch_create(pc->pl_log, pc->gpu);
    pc->fmt_u8 = pl_find_fmt(pc->gpu, PL_FMT_UINT, 1, 8, 8,
                             PL_FMT_CAP_SAMPLEABLE | PL_FMT_CAP_HOST_READABLE);
    pc->fmt_u16 = pl_find_fmt(pc->gpu, PL_FMT_UINT, 1, 16, 16,
                              PL_FMT_CAP_SAMPLEABLE | PL_FMT_CAP_HOST_READABLE);
    pc->fmt_float = pl_find_fmt(pc->gpu, PL_FMT_FLOAT, 1, 32, 32,
                                PL_FMT_CAP_SAMPLEABLE | PL_FMT_CAP_STORABLE |
                                    PL_FMT_CAP_HOST_READABLE);
    if (!pc->dp || !pc->fmt_u8 || !pc->fmt_u16 || !pc->fmt_float ||
        !(pc->gpu->glsl.compute)) {
        log_verbose(log, "libplacebo: no compute shaders or no r8ui/r16ui/r32f textures");
        goto fail;
    }

    VkCommandPoolCreateInfo pool_info = {
        .sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
        .flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT,
        .queueFamilyIndex = pc->vk.queue_family,
    };
    VkResult r = vkCreateCommandPool(pc->vk.device, &pool_info, NULL, &pc->pool);
    if (r == VK_SUCCESS) {
        VkCommandBufferAllocateInfo alloc = {
            .sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
            .commandPool = pc->pool,
            .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
            .commandBufferCount = 1,
        };
        r = vkAllocateCommandBuffers(pc->vk.device, &alloc, &pc->cmd);
    }
    VkFenceCreateInfo fence_info = {.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    VkSemaphoreCreateInfo sem_info = {.sType = VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO};
    if (r == VK_SUCCESS)
        r = vkCreateFence(pc->vk.device, &fence_info, NULL, &pc->fence);
    if (r == VK_SUCCESS)
        r = vkCreateSemaphore(pc->vk.device, &sem_info, NULL, &pc->held);
    if (r == VK_SUCCESS)
        r = vkCreateSemaphore(pc->vk.device, &sem_info, NULL, &pc->released);
    if (r != VK_SUCCESS) {
        err = vk_fail(pc, r, "creating the hand-over objects");
        goto fail;
    }
    log_verbose(log, "picture conversions: libplacebo %s on the Vulkan device",
                PL_VERSION);
    *out = pc;
    return 0;
fail:
    placebo_convert_destroy(&pc);
    return err;
}

void placebo_convert_destroy(PlaceboConvert **ppc)
{
    if (!ppc || !*ppc)
        return;
    PlaceboConvert *pc = *ppc;
    if (pc->gpu) {
        pl_gpu_finish(pc->gpu);
        for (int i = 0; i < MAX_PLANES; i++) {
            pl_tex_destroy(pc->gpu, &pc->plane_tex[i]);
            pl_buf_destroy(pc->gpu, &pc->words[i]);
        }
        pl_tex_destroy(pc->gpu, &pc->stage);
    }
    pl_dispatch_destroy(&pc->dp);
    pl_vulkan_destroy(&pc->pl_vk);
    pl_log_destroy(&pc->pl_log);
    if (pc->vk.device) {
        /* our last submission was waited for; the semaphores may still be signalled, which
         * is fine for destruction once the queue is idle */
        vkQueueWaitIdle(pc->vk.queue);
        if (pc->released)
            vkDestroySemaphore(pc->vk.device, pc->released, NULL);
        if (pc->held)
            vkDestroySemaphore(pc->vk.device, pc->held, NULL);
        if (pc->fence)
            vkDestroyFence(pc->vk.device, pc->fence, NULL);
        if (pc->pool)
            vkDestroyCommandPool(pc->vk.device, pc->pool, NULL);
    }
    free(pc);
    *ppc = NULL;
}

/* The float stage texture, w x rows. */
static int stage_prepare(PlaceboConvert *pc, int w, int rows)
{
    if ((uint32_t)w > pc->gpu->limits.max_tex_2d_dim ||
        (uint32_t)rows > pc->gpu->limits.max_tex_2d_dim)
        return -ENOTSUP;
    if (!pl_tex_recreate(pc->gpu, &pc->stage,
                         pl_tex_params(.w = w, .h = rows, .format = pc->fmt_float,
                                       .sampleable = true, .storable = true,
                                       .host_readable = true, .host_writable = true)))
        return -EIO;
    return 0;
}

/* Moves the stage texture's rows to or from tensor buffers on weft's queue: to_tensors
 * copies rows [row0[i], row0[i] + rows[i]) into buffers[i]; else the buffers into them.
 * The texture is held from libplacebo for the copy and released after it. */
static int stage_exchange(PlaceboConvert *pc, int to_tensors, VkBuffer *buffers,
                          const int *row0, const int *rows, int count, int w)
{
    /* weft's batch may still write (or read) these tensors: let it finish first; its
     * submissions then precede ours on the queue */
    int err = device_finish(pc->dev);
    if (err < 0)
        return err;
    VkImageLayout layout;
    if (!pl_vulkan_hold_raw(pc->gpu, pc->stage, &layout,
                            (pl_vulkan_sem){.sem = pc->held}))
        return -EIO;
    VkImage image = pl_vulkan_unwrap(pc->gpu, pc->stage, NULL, NULL);
    VkImageLayout want = to_tensors ? VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL
                                    : VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL;
    VkCommandBufferBeginInfo begin = {
        .sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
        .flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT,
    };
    VkResult r = vkResetCommandBuffer(pc->cmd, 0);
    if (r == VK_SUCCESS)
        r = vkBeginCommandBuffer(pc->cmd, &begin);
    if (r != VK_SUCCESS)
        return vk_fail(pc, r, "vkBeginCommandBuffer");
    /* The semaphore wait makes libplacebo's writes visible; the barrier changes the layout
     * (and, storing, orders our copy after weft's earlier submissions that wrote the
     * tensors: device_finish waited for them, the host saw nothing of them). */
    VkImageMemoryBarrier to_copy = {
        .sType = VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER,
        .srcAccessMask = 0,
        .dstAccessMask = to_tensors ? VK_ACCESS_TRANSFER_READ_BIT : VK_ACCESS_TRANSFER_WRITE_BIT,
        .oldLayout = to_tensors ? layout : VK_IMAGE_LAYOUT_UNDEFINED,
        .newLayout = want,
        .srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
        .dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
        .image = image,
        .subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1},
    };
    /* weft's earlier submissions (finished, but a fence makes their writes visible to the
     * host only) wrote the tensors this copy reads, or read those it overwrites */
    VkMemoryBarrier before = {
        .sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER,
        .srcAccessMask = VK_ACCESS_MEMORY_WRITE_BIT,
        .dstAccessMask = VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_TRANSFER_WRITE_BIT,
    };
    vkCmdPipelineBarrier(pc->cmd, VK_PIPELINE_STAGE_ALL_COMMANDS_BIT,
                         VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 1, &before, 0, NULL, 1, &to_copy);
    for (int i = 0; i < count; i++) {
        VkBufferImageCopy region = {
            .bufferOffset = 0,
            .imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1},
            .imageOffset = {0, row0[i], 0},
            .imageExtent = {(uint32_t)w, (uint32_t)rows[i], 1},
        };
        if (to_tensors)
            vkCmdCopyImageToBuffer(pc->cmd, image, want, buffers[i], 1, &region);
        else
            vkCmdCopyBufferToImage(pc->cmd, buffers[i], image, want, 1, &region);
    }
    /* weft's later batches (same queue, later submissions) read the tensors we wrote */
    VkMemoryBarrier after = {
        .sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER,
        .srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT,
        .dstAccessMask = VK_ACCESS_MEMORY_READ_BIT | VK_ACCESS_MEMORY_WRITE_BIT,
    };
    vkCmdPipelineBarrier(pc->cmd, VK_PIPELINE_STAGE_TRANSFER_BIT,
                         VK_PIPELINE_STAGE_ALL_COMMANDS_BIT, 0, 1, &after, 0, NULL, 0, NULL);
    if ((r = vkEndCommandBuffer(pc->cmd)) != VK_SUCCESS)
        return vk_fail(pc, r, "vkEndCommandBuffer");
    VkPipelineStageFlags wait_stage = VK_PIPELINE_STAGE_TRANSFER_BIT;
    VkSubmitInfo submit = {
        .sType = VK_STRUCTURE_TYPE_SUBMIT_INFO,
        .waitSemaphoreCount = 1,
        .pWaitSemaphores = &pc->held,
        .pWaitDstStageMask = &wait_stage,
        .commandBufferCount = 1,
        .pCommandBuffers = &pc->cmd,
        .signalSemaphoreCount = 1,
        .pSignalSemaphores = &pc->released,
    };
    if ((r = vkResetFences(pc->vk.device, 1, &pc->fence)) != VK_SUCCESS ||
        (r = vkQueueSubmit(pc->vk.queue, 1, &submit, pc->fence)) != VK_SUCCESS)
        return vk_fail(pc, r, "vkQueueSubmit");
    /* libplacebo waits for `released` before it touches the texture again */
    pl_vulkan_release(pc->gpu, pc->stage, want, (pl_vulkan_sem){.sem = pc->released});
    /* the command buffer is reused by the next call */
    if ((r = vkWaitForFences(pc->vk.device, 1, &pc->fence, VK_TRUE, UINT64_MAX)) != VK_SUCCESS)
        return vk_fail(pc, r, "vkWaitForFences");
    return 0;
}

/* Appends printf-style text to a fixed buffer; returns 0 or -ENOMEM on overflow. */
static int append(char *buf, size_t size, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
#include <stdarg.h>
static int append(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + *len, size - *len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= size - *len)
        return -ENOMEM;
    *len += (size_t)n;
    return 0;
}

/* Sizes are shader variables, not literals, so that one compiled shader serves every
 * picture size of a format (libplacebo caches it by its text). */
typedef struct IntVar {
    const char *name;
    int value;
} IntVar;

#define MAX_VARS 8

static int dispatch(PlaceboConvert *pc, const char *body, struct pl_shader_desc *descs,
                    int num_descs, const IntVar *ints, int num_ints, int gx, int gy,
                    const char *what)
{
    struct pl_shader_var vars[MAX_VARS];
    for (int i = 0; i < num_ints; i++) {
        vars[i] = (struct pl_shader_var){.var = pl_var_int(ints[i].name), .data = &ints[i].value,
                                         .dynamic = true};
    }
    pl_shader sh = pl_dispatch_begin(pc->dp);
    bool ok = pl_shader_custom(sh, &(struct pl_custom_shader){
                                       .description = what,
                                       .body = body,
                                       .input = PL_SHADER_SIG_NONE,
                                       .output = PL_SHADER_SIG_NONE,
                                       .descriptors = descs,
                                       .num_descriptors = num_descs,
                                       .variables = vars,
                                       .num_variables = num_ints,
                                       .compute = true,
                                       .compute_group_size = {GROUP, GROUP},
                                   });
    if (!ok) {
        pl_dispatch_abort(pc->dp, &sh);
        log_error(pc->log, "libplacebo conversion: cannot build the %s shader", what);
        return -EIO;
    }
    if (!pl_dispatch_compute(pc->dp, pl_dispatch_compute_params(
                                         .shader = &sh,
                                         .dispatch_size = {(gx + GROUP - 1) / GROUP,
                                                           (gy + GROUP - 1) / GROUP, 1})))
    {
        log_error(pc->log, "libplacebo conversion: the %s shader failed", what);
        return -EIO;
    }
    return 0;
}

/* A float constant printed so that GLSL reads back the same float (as C computed it). */
#define FLT "%.9g"

int placebo_convert_load(PlaceboConvert *pc, const WeftPicture *pic, WeftTensor *planes,
                         WeftTensor *luma)
{
    WeftFormatInfo fi;
    if (!pc || !pic || !planes || !luma || weft_format_info(pic->format, &fi) < 0)
        return -EINVAL;
    const int w = pic->width, h = pic->height, nc = fi.components;
    const int bytes = fi.bits > 8 ? 2 : 1;
    VkBuffer buffers[2] = {gpu_tensor_buffer(planes), gpu_tensor_buffer(luma)};
    if (!buffers[0] || !buffers[1] || planes->c != nc || planes->h != h || planes->w != w ||
        luma->c != 1 || luma->h != h || luma->w != w)
        return -EINVAL;
    int err, flip[MAX_PLANES], plane_rows[MAX_PLANES];
    for (int p = 0; p < fi.planes; p++) {
        ptrdiff_t stride = pic->stride[p];
        size_t pitch = (size_t)(stride < 0 ? -stride : stride);
        int samples = plane_row_samples(&fi, w, h, p, &plane_rows[p]);
        if (pitch % (size_t)bytes || (uint32_t)samples > pc->gpu->limits.max_tex_2d_dim ||
            (uint32_t)plane_rows[p] > pc->gpu->limits.max_tex_2d_dim)
            return -ENOTSUP;
        /* bottom-up rows: upload from the lowest address, read rows mirrored */
        flip[p] = stride < 0;
        const uint8_t *first = stride < 0 ? pic->data[p] + (ptrdiff_t)(plane_rows[p] - 1) * stride
                                          : pic->data[p];
        if (!pl_tex_recreate(pc->gpu, &pc->plane_tex[p],
                             pl_tex_params(.w = samples, .h = plane_rows[p],
                                           .format = bytes == 2 ? pc->fmt_u16 : pc->fmt_u8,
                                           .sampleable = true, .host_writable = true)) ||
            !pl_tex_upload(pc->gpu, pl_tex_transfer_params(.tex = pc->plane_tex[p],
                                                           .row_pitch = pitch,
                                                           .ptr = (void *)first)))
            return -EIO;
    }
    if ((err = stage_prepare(pc, w, (nc + 1) * h)) < 0)
        return err;

    /* One invocation per pixel: each component as convert_to_float() computes it, then the
     * luma as convert_luma() does; `precise` keeps the compiler from fusing or reordering
     * what C evaluates as separate float operations. */
    char body[SHADER_CHARS];
    size_t len = 0;
    const float scale = 1.0f / (float)((1 << fi.bits) - 1);
    err = append(body, sizeof(body), &len,
                 "ivec2 wp_pos = ivec2(gl_GlobalInvocationID.xy);\n"
                 "if (wp_pos.x < wp_w && wp_pos.y < wp_h) {\n");
    for (int c = 0; err >= 0 && c < nc; c++) {
        ComponentPlace cp = component_place(&fi, pic->format, c);
        /* wp_flipP: 0, or the last row of a bottom-up plane (|0 - y| = y) */
        err = append(body, sizeof(body), &len,
                     "  precise float wp_v%d = float(texelFetch(plane%d, ivec2((wp_pos.x >> %d)"
                     " * %d + %d, abs(wp_flip%d - (wp_pos.y >> %d))), 0).r) * " FLT ";\n"
                     "  imageStore(stage, ivec2(wp_pos.x, %d * wp_h + wp_pos.y), vec4(wp_v%d));\n",
                     c, cp.plane, cp.sw, cp.step, cp.offset, cp.plane, cp.sh, scale, c, c);
    }
    if (err >= 0 && fi.is_rgb)
        err = append(body, sizeof(body), &len,
                     "  precise float wp_l = " FLT " * wp_v0 + " FLT " * wp_v1 + " FLT
                     " * wp_v2;\n",
                     0.299f, 0.587f, 0.114f);
    else if (err >= 0)
        err = append(body, sizeof(body), &len, "  precise float wp_l = wp_v0;\n");
    if (err >= 0 && fi.has_alpha) /* composited over mid grey, as convert_luma() says why */
        err = append(body, sizeof(body), &len, "  wp_l = 0.5 + wp_v3 * (wp_l - 0.5);\n");
    if (err >= 0)
        err = append(body, sizeof(body), &len,
                     "  imageStore(stage, ivec2(wp_pos.x, %d * wp_h + wp_pos.y), vec4(wp_l));\n}\n",
                     nc);
    if (err < 0)
        return err;

    static const char *const plane_names[MAX_PLANES] = {"plane0", "plane1", "plane2", "plane3"};
    struct pl_shader_desc descs[MAX_PLANES + 1];
    int num_descs = 0;
    for (int p = 0; p < fi.planes; p++)
        descs[num_descs++] = (struct pl_shader_desc){
            .desc = {.name = plane_names[p], .type = PL_DESC_SAMPLED_TEX},
            .binding = {.object = pc->plane_tex[p], .sample_mode = PL_TEX_SAMPLE_NEAREST},
        };
    descs[num_descs++] = (struct pl_shader_desc){
        .desc = {.name = "stage", .type = PL_DESC_STORAGE_IMG, .access = PL_DESC_ACCESS_WRITEONLY},
        .binding = {.object = pc->stage},
        .memory = PL_MEMORY_COHERENT,
    };
    static const char *const flip_names[MAX_PLANES] = {"wp_flip0", "wp_flip1", "wp_flip2",
                                                       "wp_flip3"};
    IntVar ints[2 + MAX_PLANES] = {{"wp_w", w}, {"wp_h", h}};
    for (int p = 0; p < fi.planes; p++)
        ints[2 + p] = (IntVar){flip_names[p], flip[p] ? plane_rows[p] - 1 : 0};
    if ((err = dispatch(pc, body, descs, num_descs, ints, 2 + fi.planes, w, h,
                        "picture to float")) < 0)
        return err;
    int row0[2] = {0, nc * h}, rows[2] = {nc * h, h};
    return stage_exchange(pc, 1, buffers, row0, rows, 2, w);
}

int placebo_convert_store(PlaceboConvert *pc, const WeftTensor *planes, WeftPicture *out)
{
    WeftFormatInfo fi;
    if (!pc || !planes || !out || weft_format_info(out->format, &fi) < 0)
        return -EINVAL;
    const int w = out->width, h = out->height, nc = fi.components;
    const int bytes = fi.bits > 8 ? 2 : 1;
    VkBuffer buffer = gpu_tensor_buffer(planes);
    if (!buffer || planes->c != nc || planes->h != h || planes->w != w)
        return -EINVAL;
    for (int p = 0; p < fi.planes; p++)
        if (out->stride[p] <= 0 || out->stride[p] % 4)
            return -ENOTSUP;
    int err = stage_prepare(pc, w, (nc + 1) * h);
    if (err < 0)
        return err;
    int row0 = 0, rows = nc * h;
    if ((err = stage_exchange(pc, 0, &buffer, &row0, &rows, 1, w)) < 0)
        return err;

    const float maxv = (float)((1 << fi.bits) - 1);
    for (int p = 0; p < fi.planes; p++) {
        int plane_rows, samples = plane_row_samples(&fi, w, h, p, &plane_rows);
        const int pitch_words = (int)(out->stride[p] / 4), per_word = 4 / bytes;
        /* the component of this plane's first sample, samples per pixel, chroma blocks */
        ComponentPlace cp = {0};
        int first = 0;
        for (int c = 0; c < nc; c++) {
            ComponentPlace q = component_place(&fi, out->format, c);
            if (q.plane == p && q.offset == 0) {
                cp = q;
                first = c;
                break;
            }
        }
        /* One invocation per 32-bit word of the plane: per_word samples, each the box
         * average of the pixels it covers, rounded as convert_from_float() does (the sum
         * in the same order; count is 1, 2 or 4, so multiplying by its inverse is exact). */
        char body[SHADER_CHARS];
        size_t len = 0;
        err = append(body, sizeof(body), &len,
                     "ivec2 wp_id = ivec2(gl_GlobalInvocationID.xy);\n"
                     "if (wp_id.x < wp_pitch && wp_id.y < wp_rows) {\n"
                     "  uint wp_word = 0u;\n"
                     "  for (int j = 0; j < %d; j++) {\n"
                     "    int i = wp_id.x * %d + j;\n"
                     "    if (i >= wp_samples) break;\n"
                     "    int px = i / %d, c = %d + i %% %d;\n"
                     "    precise float sum = 0.0;\n"
                     "    int count = 0;\n"
                     "    for (int dy = 0; dy < %d; dy++) {\n"
                     "      int y = (wp_id.y << %d) + dy;\n"
                     "      if (y >= wp_h) break;\n"
                     "      for (int dx = 0; dx < %d; dx++) {\n"
                     "        int x = (px << %d) + dx;\n"
                     "        if (x >= wp_w) break;\n"
                     "        sum += texelFetch(stage, ivec2(x, c * wp_h + y), 0).r;\n"
                     "        count++;\n"
                     "      }\n"
                     "    }\n"
                     "    precise float v = sum * (count == 4 ? 0.25 : count == 2 ? 0.5 : 1.0)"
                     " * " FLT " + 0.5;\n"
                     "    v = clamp(v, 0.0, " FLT ");\n"
                     "    wp_word |= uint(v) << (j * %d);\n"
                     "  }\n"
                     "  words[wp_id.y * wp_pitch + wp_id.x] = wp_word;\n"
                     "}\n",
                     per_word, per_word, cp.step, first, cp.step, 1 << cp.sh, cp.sh,
                     1 << cp.sw, cp.sw, maxv, maxv, 8 * bytes);
        if (err < 0)
            return err;
        /* The buffer's array has a size in the shader's text: a power of two, so that a
         * few compiled shaders serve all picture sizes. */
        size_t size = (size_t)pitch_words * 4 * (size_t)plane_rows;
        int capacity = 1024;
        while ((size_t)capacity * 4 < size)
            capacity *= 2;
        if (!pl_buf_recreate(pc->gpu, &pc->words[p],
                             pl_buf_params(.size = (size_t)capacity * 4, .storable = true,
                                           .host_readable = true)))
            return -EIO;
        struct pl_var var = {.name = "words", .type = PL_VAR_UINT, .dim_v = 1, .dim_m = 1,
                             .dim_a = capacity};
        struct pl_buffer_var bvar = {.var = var, .layout = pl_std430_layout(0, &var)};
        struct pl_shader_desc descs[2] = {
            {
                .desc = {.name = "stage", .type = PL_DESC_SAMPLED_TEX},
                .binding = {.object = pc->stage, .sample_mode = PL_TEX_SAMPLE_NEAREST},
            },
            {
                .desc = {.name = "wp_plane", .type = PL_DESC_BUF_STORAGE,
                         .access = PL_DESC_ACCESS_WRITEONLY},
                .binding = {.object = pc->words[p]},
                .buffer_vars = &bvar,
                .num_buffer_vars = 1,
            },
        };
        IntVar ints[5] = {{"wp_pitch", pitch_words}, {"wp_rows", plane_rows},
                          {"wp_samples", samples}, {"wp_w", w}, {"wp_h", h}};
        if ((err = dispatch(pc, body, descs, 2, ints, 5, pitch_words, plane_rows,
                            "float to picture")) < 0)
            return err;
        /* blocks until the dispatch is done */
        if (!pl_buf_read(pc->gpu, pc->words[p], 0, out->data[p], size))
            return -EIO;
    }
    return 0;
}

#endif
