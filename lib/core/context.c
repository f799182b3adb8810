/* Context: device choice, the one-shot calls, and the pair state they share with the
 * stream pipeline. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/context.h"
#include "core/convert.h"
#include "core/pipeline.h"
#include "core/settings.h"
#include "core/stabilize.h"
#include "gpu/gpu_device.h"
#include "nn/nn_rife.h"
#include "placebo/placebo_convert.h"
#include "synth/shutter.h"
#include "weft/weft_vulkan.h"

const char *weft_version(void)
{
    return WEFT_VERSION_STRING;
}

static int open_device(WeftContext *c)
{
    const WeftSettings *s = &c->settings;
    if (s->device == WEFT_DEVICE_CPU)
        return cpu_device_create(&c->dev, &c->log, s->threads);
    int index = s->device_name[0] ? -1 : (s->device == WEFT_DEVICE_AUTO ? 0 : s->device);
    int err = gpu_device_create(&c->dev, &c->log, index, s->device_name);
    if (err < 0 && s->device == WEFT_DEVICE_AUTO) {
        log_verbose(&c->log, "no usable Vulkan device (%s); using the C path", weft_strerror(err));
        return cpu_device_create(&c->dev, &c->log, s->threads);
    }
    if (err >= 0 && s->device == WEFT_DEVICE_AUTO && gpu_device_is_software(c->dev)) {
        /* A CPU-emulated Vulkan device (lavapipe, SwiftShader) runs the same algorithm
         * several times slower than the C path on the same cores: auto picks the C path.
         * device=vulkan still selects it explicitly. */
        log_verbose(&c->log, "Vulkan device '%s' is a software device; using the C path",
                    c->dev->name);
        device_destroy(&c->dev);
        return cpu_device_create(&c->dev, &c->log, s->threads);
    }
    if (err < 0)
        log_error(&c->log, "Vulkan device %s not available: %s",
                  s->device_name[0] ? s->device_name : "requested", weft_strerror(err));
    return err;
}

/* On a Vulkan device, the picture conversions go through libplacebo when it takes the
 * device; otherwise (or with WEFT_PLACEBO=0 in the environment) the C conversions serve. */
static void open_placebo(WeftContext *c)
{
    const char *env = getenv("WEFT_PLACEBO");
    if (strcmp(c->dev->impl->kind, "vulkan") || (env && !strcmp(env, "0")))
        return;
    int err = placebo_convert_create(&c->placebo, c->dev, &c->log);
    if (err < 0)
        log_verbose(&c->log, "picture conversions on the host (libplacebo: %s)",
                    weft_strerror(err));
}

/* weft_open and weft_open_vulkan: vk NULL = the device the settings choose. */
static int open_context(WeftContext **out, const WeftSettings *s, const WeftVulkanDevice *vk)
{
    WeftContext *c = calloc(1, sizeof(*c));
    if (!c)
        return -ENOMEM;
    c->settings = *s;
    c->log = (Log){.callback = s->log, .opaque = s->log_opaque, .level = s->log_level};
    int err = settings_validate(s, &c->log);
    if (err < 0)
        goto fail;
    err = vk ? gpu_device_create_external(&c->dev, &c->log, vk) : open_device(c);
    if (err < 0)
        goto fail;
    log_verbose(&c->log, "device: %s", c->dev->name);
    open_placebo(c);
    if (s->method == WEFT_METHOD_RIFE &&
        (err = nn_rife_create(&c->rife, c->dev, &c->log, s->model)) < 0)
        goto fail;
    if (s->method == WEFT_METHOD_RIFE && s->content == WEFT_CONTENT_ANIME)
        log_warn(&c->log, "content=anime changes the flow and blend methods; the rife "
                          "network makes its in-betweens as it is");
    if ((err = pipeline_open(c)) < 0) /* reads the curve file, if any */
        goto fail;
    *out = c;
    return 0;
fail:
    weft_close(&c);
    return err;
}

int weft_open(WeftContext **out, const WeftSettings *s)
{
    if (!out)
        return -EINVAL;
    *out = NULL;
    if (!s)
        return -EINVAL;
    return open_context(out, s, NULL);
}

int weft_open_vulkan(WeftContext **out, const WeftSettings *s, const WeftVulkanDevice *vk)
{
    if (!out)
        return -EINVAL;
    *out = NULL;
    if (!s)
        return -EINVAL;
    if (!vk) {
        Log log = {.callback = s->log, .opaque = s->log_opaque, .level = s->log_level};
        log_error(&log, "weft_open_vulkan: invalid argument: 'vk != NULL' is false");
        return -EINVAL;
    }
    return open_context(out, s, vk);
}

void weft_close(WeftContext **pc)
{
    if (!pc || !*pc)
        return;
    WeftContext *c = *pc;
    pipeline_destroy(&c->pipeline);
    stab_stage_destroy(&c->stab);
    pair_release(&c->pair);
    nn_rife_destroy(&c->rife);
    placebo_convert_destroy(&c->placebo); /* before the device it imported */
    device_destroy(&c->dev);
    free(c);
    *pc = NULL;
}

const char *weft_device_name(const WeftContext *c)
{
    return c && c->dev ? c->dev->name : "none";
}

void pair_release(PairState *p)
{
    flow_destroy(&p->flow);
    synth_destroy(&p->synth);
    shutter_destroy(&p->shutter);
    for (int i = 0; i < 2; i++) {
        device_tensor_free(&p->frame[i]);
        device_tensor_free(&p->luma[i]);
    }
    device_tensor_free(&p->flow_fwd);
    device_tensor_free(&p->flow_bwd);
    device_tensor_free(&p->out);
    free(p->host_planes);
    free(p->host_luma);
    memset(p, 0, sizeof(*p));
}

void pair_swap(PairState *p)
{
    WeftTensor frame = p->frame[0], luma = p->luma[0];
    p->frame[0] = p->frame[1];
    p->luma[0] = p->luma[1];
    p->frame[1] = frame;
    p->luma[1] = luma;
    p->prepared = 0;
}

int pair_configure(WeftContext *c, int width, int height, WeftPixelFormat format)
{
    PairState *p = &c->pair;
    int channels = convert_components(format);
    if (p->width == width && p->height == height && p->format == format)
        return 0;
    pair_release(p);
    p->width = width;
    p->height = height;
    p->format = format;
    p->channels = channels;
    size_t n = (size_t)width * height;
    p->host_planes = malloc(n * channels * sizeof(float));
    p->host_luma = malloc(n * sizeof(float));
    int err = -ENOMEM;
    if (!p->host_planes || !p->host_luma)
        goto fail;
    for (int i = 0; i < 2; i++) {
        if ((err = device_tensor(c->dev, &p->frame[i], channels, height, width)) < 0 ||
            (err = device_tensor(c->dev, &p->luma[i], 1, height, width)) < 0)
            goto fail;
    }
    if ((err = device_tensor(c->dev, &p->flow_fwd, 2, height, width)) < 0 ||
        (err = device_tensor(c->dev, &p->flow_bwd, 2, height, width)) < 0 ||
        (err = device_tensor(c->dev, &p->out, channels, height, width)) < 0)
        goto fail;
    if (c->settings.method == WEFT_METHOD_FLOW &&
        (err = flow_create(&p->flow, c->dev, c->settings.quality, width, height)) < 0)
        goto fail;
    if (c->settings.method != WEFT_METHOD_RIFE &&
        (err = synth_create(&p->synth, c->dev, channels, width, height)) < 0)
        goto fail;
    if (c->settings.shutter > 0.0f &&
        (err = shutter_create(&p->shutter, c->dev, channels, width, height)) < 0)
        goto fail;
    if (p->synth)
        synth_set_quality(p->synth, c->settings.quality);
    if (p->synth && (err = synth_set_content(p->synth, c->settings.content)) < 0)
        goto fail;
    return 0;
fail:
    log_error(&c->log, "cannot set up %dx%d frames: %s", width, height, weft_strerror(err));
    pair_release(p);
    return err;
}

int pair_load(WeftContext *c, int slot, const WeftPicture *pic)
{
    PairState *p = &c->pair;
    int err = -ENOTSUP;
    if (c->placebo)
        err = placebo_convert_load(c->placebo, pic, &p->frame[slot], &p->luma[slot]);
    if (err != -ENOTSUP) {
        /* done on the device (or failed there) */
    } else if (p->frame[slot].host && p->luma[slot].host) { /* the C path: convert in place */
        err = 0;
        convert_to_float(pic, p->frame[slot].host);
        convert_luma(pic->format, p->frame[slot].host, p->width, p->height, p->luma[slot].host);
    } else {
        convert_to_float(pic, p->host_planes);
        convert_luma(pic->format, p->host_planes, p->width, p->height, p->host_luma);
        err = device_upload(c->dev, &p->frame[slot], p->host_planes);
        if (err >= 0)
            err = device_upload(c->dev, &p->luma[slot], p->host_luma);
    }
    p->prepared = 0;
    p->color = pic->color;
    return err;
}

int pair_prepare(WeftContext *c)
{
    PairState *p = &c->pair;
    if (p->prepared)
        return 0;
    int err;
    if (c->settings.method == WEFT_METHOD_RIFE) { /* the network does it all per frame */
        p->prepared = 1;
        return 0;
    }
    if (c->settings.method == WEFT_METHOD_FLOW) {
        err = flow_compute(p->flow, &p->luma[0], &p->luma[1], &p->flow_fwd, &p->flow_bwd);
    } else {
        /* blend: zero flow both ways makes synthesis a cross-fade */
        size_t n = 2 * (size_t)p->width * p->height;
        float *zero = calloc(n, sizeof(float));
        err = zero ? device_upload(c->dev, &p->flow_fwd, zero) : -ENOMEM;
        if (err >= 0)
            err = device_upload(c->dev, &p->flow_bwd, zero);
        free(zero);
    }
    if (err >= 0)
        err = synth_prepare(p->synth, &p->frame[0], &p->frame[1], &p->flow_fwd, &p->flow_bwd);
    if (err < 0) {
        log_error(&c->log, "flow/synthesis failed: %s", weft_strerror(err));
        return err;
    }
    p->prepared = 1;
    p->max_motion = -1.0f;
    return 0;
}

/* The in-between at t of the prepared pair into a device tensor. */
static int render_tensor(void *opaque, float t, WeftTensor *out)
{
    WeftContext *c = opaque;
    PairState *p = &c->pair;
    return c->rife
               ? nn_rife_frame(c->rife, &p->frame[0], &p->frame[1], t, p->format, &p->color, out)
               : synth_frame(p->synth, t, out);
}

/* A device tensor of the pair's shape to a newly allocated picture. */
static int output_picture(WeftContext *c, const WeftTensor *result, WeftPicture *out)
{
    PairState *p = &c->pair;
    if (c->placebo && !result->host) {
        int err = weft_picture_alloc(out, p->width, p->height, p->format);
        if (err < 0)
            return err;
        err = placebo_convert_store(c->placebo, result, out);
        if (err != -ENOTSUP) {
            if (err < 0)
                weft_picture_unref(out);
            return err;
        }
        weft_picture_unref(out);
    }
    /* the C path reads the result where it is */
    const float *planes = result->host ? result->host : p->host_planes;
    int err = result->host ? 0 : device_download(c->dev, result, p->host_planes);
    if (err >= 0)
        err = weft_picture_alloc(out, p->width, p->height, p->format);
    if (err < 0)
        return err;
    convert_from_float(planes, out);
    return 0;
}

int pair_render(WeftContext *c, double t, WeftPicture *out)
{
    int err = render_tensor(c, (float)t, &c->pair.out);
    return err < 0 ? err : output_picture(c, &c->pair.out, out);
}

/* Longest forward flow vector of the prepared pair, on every 4th pixel of every 4th row
 * (a smear is wide; a lone pixel's outlier flow is not worth more samples). */
static int pair_max_motion(WeftContext *c, float *max_motion)
{
    PairState *p = &c->pair;
    size_t n = (size_t)p->width * p->height;
    float *flow = malloc(2 * n * sizeof(float));
    int err = flow ? device_download(c->dev, &p->flow_fwd, flow) : -ENOMEM;
    float longest = 0.0f;
    for (int y = 0; err >= 0 && y < p->height; y += 4) {
        for (int x = 0; x < p->width; x += 4) {
            size_t i = (size_t)y * p->width + x;
            float len = sqrtf(flow[i] * flow[i] + flow[n + i] * flow[n + i]);
            longest = len > longest ? len : longest;
        }
    }
    free(flow);
    *max_motion = longest;
    return err;
}

/* Samples of an exposure without a flow to measure (blend, the network): enough for a
 * smear of a few pixels. */
#define SHUTTER_SAMPLES_UNMEASURED 8

/* The mean over [t0, t1] of the prepared pair into dst. */
static int expose(WeftContext *c, float t0, float t1, WeftTensor *dst)
{
    PairState *p = &c->pair;
    int err, samples = SHUTTER_SAMPLES_UNMEASURED;
    if (!p->shutter)
        return -EINVAL;
    if (c->settings.method == WEFT_METHOD_FLOW) {
        if (p->max_motion < 0.0f && (err = pair_max_motion(c, &p->max_motion)) < 0)
            return err;
        samples = shutter_samples(p->max_motion, t1 - t0);
    }
    return shutter_frame(p->shutter, render_tensor, c, t0, t1, samples, dst);
}

int pair_render_exposed(WeftContext *c, float t0, float t1, float carry_share,
                        WeftPicture *out)
{
    PairState *p = &c->pair;
    int err = expose(c, t0, t1, &p->out);
    if (err < 0 || !(carry_share > 0.0f))
        return err < 0 ? err : output_picture(c, &p->out, out);
    WeftTensor *mixed = shutter_scratch(p->shutter);
    err = shutter_mix(p->shutter, &p->out, shutter_carry(p->shutter), carry_share, mixed);
    return err < 0 ? err : output_picture(c, mixed, out);
}

int pair_expose_carry(WeftContext *c, int next, float t0, float t1, float carry_share)
{
    PairState *p = &c->pair;
    WeftTensor *into = next ? shutter_carry_next(p->shutter) : shutter_carry(p->shutter);
    if (!(carry_share > 0.0f))
        return expose(c, t0, t1, into);
    int err = expose(c, t0, t1, &p->out);
    return err < 0 ? err : shutter_accumulate(p->shutter, into, &p->out, carry_share);
}

void pair_promote_carry(WeftContext *c)
{
    shutter_promote(c->pair.shutter);
}

int pair_render_carry(WeftContext *c, WeftPicture *out)
{
    if (!c->pair.shutter)
        return -EINVAL;
    return output_picture(c, shutter_carry(c->pair.shutter), out);
}

int picture_check(const Log *log, const WeftPicture *pic)
{
    WeftFormatInfo fi;
    CHECK_ARG(log, pic != NULL);
    CHECK_ARG(log, weft_format_info(pic->format, &fi) == 0);
    CHECK_ARG(log, pic->width > 0 && pic->height > 0);
    CHECK_ARG(log, pic->width <= 32768 && pic->height <= 32768);
    for (int i = 0; i < fi.planes; i++)
        CHECK_ARG(log, pic->data[i] != NULL);
    return 0;
}

static int check_pair(const Log *log, const WeftPicture *a, const WeftPicture *b)
{
    int err;
    if ((err = picture_check(log, a)) < 0 || (err = picture_check(log, b)) < 0)
        return err;
    if (a->width != b->width || a->height != b->height || a->format != b->format) {
        log_error(log, "the two frames differ in size or format (%dx%d vs %dx%d)", a->width,
                  a->height, b->width, b->height);
        return -EINVAL;
    }
    return 0;
}

int weft_interpolate(WeftContext *c, const WeftPicture *a, const WeftPicture *b, double t,
                     WeftPicture *out)
{
    if (!c)
        return -EINVAL;
    CHECK_ARG(&c->log, out != NULL);
    CHECK_ARG(&c->log, t > 0.0 && t < 1.0);
    int err = check_pair(&c->log, a, b);
    if (err < 0)
        return err;
    memset(out, 0, sizeof(*out));
    if ((err = pair_configure(c, a->width, a->height, a->format)) < 0 ||
        (err = pair_load(c, 0, a)) < 0 || (err = pair_load(c, 1, b)) < 0 ||
        (err = pair_prepare(c)) < 0 || (err = pair_render(c, t, out)) < 0)
        return err;
    out->pts = a->pts;
    out->time_base = a->time_base;
    out->color = a->color;
    return 0;
}

int weft_interpolate_times(WeftContext *c, const WeftPicture *a, const WeftPicture *b,
                           const double *t, int n, WeftPicture *out)
{
    if (!c)
        return -EINVAL;
    CHECK_ARG(&c->log, t != NULL && out != NULL);
    CHECK_ARG(&c->log, n >= 1);
    for (int i = 0; i < n; i++)
        CHECK_ARG(&c->log, t[i] > 0.0 && t[i] < 1.0);
    int err = check_pair(&c->log, a, b);
    if (err < 0)
        return err;
    memset(out, 0, (size_t)n * sizeof(*out));
    if ((err = pair_configure(c, a->width, a->height, a->format)) < 0 ||
        (err = pair_load(c, 0, a)) < 0 || (err = pair_load(c, 1, b)) < 0 ||
        (err = pair_prepare(c)) < 0)
        return err;
    for (int i = 0; i < n; i++) {
        if ((err = pair_render(c, t[i], &out[i])) < 0) {
            for (int j = 0; j <= i; j++)
                weft_picture_unref(&out[j]);
            return err;
        }
        out[i].pts = a->pts;
        out[i].time_base = a->time_base;
        out[i].color = a->color;
    }
    return 0;
}

static int download_flow(WeftContext *c, const WeftTensor *t, WeftFlow *f)
{
    size_t n = (size_t)t->w * t->h;
    float *both = malloc(2 * n * sizeof(float));
    f->u = malloc(n * sizeof(float));
    f->v = malloc(n * sizeof(float));
    int err = both && f->u && f->v ? device_download(c->dev, t, both) : -ENOMEM;
    if (err < 0) {
        free(both);
        weft_flow_unref(f);
        return err;
    }
    memcpy(f->u, both, n * sizeof(float));
    memcpy(f->v, both + n, n * sizeof(float));
    f->width = t->w;
    f->height = t->h;
    free(both);
    return 0;
}

int weft_compute_flow(WeftContext *c, const WeftPicture *a, const WeftPicture *b, WeftFlow *forward,
                      WeftFlow *backward)
{
    if (!c)
        return -EINVAL;
    CHECK_ARG(&c->log, forward != NULL);
    int err = check_pair(&c->log, a, b);
    if (err < 0)
        return err;
    memset(forward, 0, sizeof(*forward));
    if (backward)
        memset(backward, 0, sizeof(*backward));
    if (c->settings.method != WEFT_METHOD_FLOW) {
        log_error(&c->log, "flow needs method=flow");
        return -EINVAL;
    }
    PairState *p = &c->pair;
    if ((err = pair_configure(c, a->width, a->height, a->format)) < 0 ||
        (err = pair_load(c, 0, a)) < 0 || (err = pair_load(c, 1, b)) < 0)
        return err;
    err = flow_compute(p->flow, &p->luma[0], &p->luma[1], &p->flow_fwd, &p->flow_bwd);
    if (err >= 0)
        err = download_flow(c, &p->flow_fwd, forward);
    if (err >= 0 && backward && (err = download_flow(c, &p->flow_bwd, backward)) < 0)
        weft_flow_unref(forward);
    return err;
}
