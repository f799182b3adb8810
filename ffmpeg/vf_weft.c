/*
 * weft video filter: new frames made with libweft (frame-rate conversion by optical flow).
 *
 * This file is compiled into libavfilter by ffmpeg/build.sh (in weft's repository), which
 * also generates vf_weft_options.h: the filter's options are the library's settings,
 * generated from its settings table and forwarded as text through weft_settings_set(), so
 * names, defaults and checks are the library's own.
 *
 * Timing. Source frames go to the library's stream API (weft_send_picture/get_picture) in
 * the input link's time base. The library wants strictly increasing timestamps, so:
 *  - a frame without pts gets the previous pts plus the last interval (or one frame at the
 *    link's frame rate), with a warning;
 *  - a frame whose pts does not increase is dropped, with a warning.
 * One source frame is held back until the next one (or EOF) arrives, so the last frame's
 * duration is known (the EOF timestamp), and the end of the stream is exact.
 * Output: with fps, time base 1/fps and frame rate fps; with factor N, time base
 * (input time base)/N and frame rate (input rate)*N; as the library defines them.
 *
 * Pictures cross without copies on the filter's side: input frames are described to the
 * library in place (it takes its own copy, as for any caller), and output pictures the
 * library allocated become the frames' buffers.
 *
 * Vulkan frames (AV_PIX_FMT_VULKAN, e.g. after hwupload) are accepted, and the library
 * runs on FFmpeg's own VkDevice (weft_open_vulkan(): one device, no second instance) when
 * the device option is auto (and FFmpeg's device is a hardware one: auto never picks a
 * software device such as lavapipe, as in the library) or vulkan[:N|:NAME] (then FFmpeg's
 * device is used whatever N or NAME say: the frames are there). device=cpu runs the C path.
 * Pictures still cross through host memory: source frames are read back with FFmpeg's
 * av_hwframe_transfer_data() for the library (whose pixel conversion is C code on the host)
 * and its output is uploaded into frames of a pool on the same device. FFmpeg 5.1's Vulkan
 * device has no queue locks (AVVulkanDeviceContext.lock_queue came with 6.0): the library
 * submits to the last compute queue from this filter's thread, the thread that also runs
 * FFmpeg's transfers for this chain.
 */

#include <string.h>

#include <weft/weft.h>

#include "config.h"
#include "libavutil/hwcontext.h"
#if CONFIG_VULKAN
#include <weft/weft_vulkan.h>
#include "libavutil/hwcontext_vulkan.h"
#endif
#include "libavutil/imgutils.h"
#include "libavutil/internal.h"
#include "libavutil/opt.h"
#include "libavutil/pixdesc.h"

#include "avfilter.h"
#include "filters.h"
#include "internal.h"
#include "video.h"

typedef struct WeftFilterContext {
    const AVClass *class;
    char *values[64]; /* option text, one per library setting (vf_weft_options.h) */

    WeftSettings settings;
    WeftContext *weft;

    /* Vulkan frames (AV_PIX_FMT_VULKAN): read back to sw_format before the library and
     * uploaded to the output link's frames context after it */
    int hw;
    enum AVPixelFormat sw_format;
    int shared_device; /* the library runs on FFmpeg's VkDevice */

    AVFrame *held;      /* the last source frame, not yet given to the library */
    AVFrame *props;     /* properties (colour, aspect, side data) for output frames */
    int64_t last_pts;   /* pts of the last frame accepted, AV_NOPTS_VALUE before one */
    int64_t last_interval;
    int64_t end_pts;    /* end of the last output frame, in the output time base */
    int input_done;     /* the end of the stream was given to the library */
    int warned_missing_pts;
    int warned_interlaced;
} WeftFilterContext;

#define OFFSET(x) offsetof(WeftFilterContext, x)
#define FLAGS AV_OPT_FLAG_VIDEO_PARAM | AV_OPT_FLAG_FILTERING_PARAM

#include "vf_weft_options.h"

_Static_assert(WEFT_NUM_OPTIONS <= FF_ARRAY_ELEMS(((WeftFilterContext *)0)->values),
               "more library settings than WeftFilterContext.values holds");

AVFILTER_DEFINE_CLASS(weft);

/* Pixel formats whose memory layout is a WeftPixelFormat (weft's wide formats are
 * little-endian, as FFmpeg's *LE); the JPEG-range ones carry their range in the colour
 * description. */
static const struct {
    enum AVPixelFormat av;
    WeftPixelFormat weft;
} format_map[] = {
    { AV_PIX_FMT_YUV420P,     WEFT_PIX_YUV420P     },
    { AV_PIX_FMT_YUV422P,     WEFT_PIX_YUV422P     },
    { AV_PIX_FMT_YUV444P,     WEFT_PIX_YUV444P     },
    { AV_PIX_FMT_YUVA420P,    WEFT_PIX_YUVA420P    },
    { AV_PIX_FMT_YUV420P10LE, WEFT_PIX_YUV420P10   },
    { AV_PIX_FMT_YUV422P10LE, WEFT_PIX_YUV422P10   },
    { AV_PIX_FMT_YUV444P10LE, WEFT_PIX_YUV444P10   },
    { AV_PIX_FMT_YUV420P12LE, WEFT_PIX_YUV420P12   },
    { AV_PIX_FMT_YUV422P12LE, WEFT_PIX_YUV422P12   },
    { AV_PIX_FMT_YUV444P12LE, WEFT_PIX_YUV444P12   },
    { AV_PIX_FMT_YUV420P16LE, WEFT_PIX_YUV420P16   },
    { AV_PIX_FMT_YUV444P16LE, WEFT_PIX_YUV444P16   },
    { AV_PIX_FMT_YUVA444P16LE, WEFT_PIX_YUVA444P16 },
    { AV_PIX_FMT_YUVJ420P,    WEFT_PIX_YUV420P     },
    { AV_PIX_FMT_YUVJ422P,    WEFT_PIX_YUV422P     },
    { AV_PIX_FMT_YUVJ444P,    WEFT_PIX_YUV444P     },
    { AV_PIX_FMT_GBRP,        WEFT_PIX_GBRP        },
    { AV_PIX_FMT_RGB24,       WEFT_PIX_RGB24       },
    { AV_PIX_FMT_RGBA,        WEFT_PIX_RGBA32      },
    { AV_PIX_FMT_GRAY8,       WEFT_PIX_GRAY8       },
    { AV_PIX_FMT_GRAY16LE,    WEFT_PIX_GRAY16      },
};

static const enum AVPixelFormat pix_fmts[] = {
    AV_PIX_FMT_YUV420P, AV_PIX_FMT_YUV422P, AV_PIX_FMT_YUV444P, AV_PIX_FMT_YUVA420P,
    AV_PIX_FMT_YUV420P10LE, AV_PIX_FMT_YUV422P10LE, AV_PIX_FMT_YUV444P10LE,
    AV_PIX_FMT_YUV420P12LE, AV_PIX_FMT_YUV422P12LE, AV_PIX_FMT_YUV444P12LE,
    AV_PIX_FMT_YUV420P16LE, AV_PIX_FMT_YUV444P16LE, AV_PIX_FMT_YUVA444P16LE,
    AV_PIX_FMT_YUVJ420P, AV_PIX_FMT_YUVJ422P, AV_PIX_FMT_YUVJ444P,
    AV_PIX_FMT_GBRP, AV_PIX_FMT_RGB24, AV_PIX_FMT_RGBA,
    AV_PIX_FMT_GRAY8, AV_PIX_FMT_GRAY16LE,
    AV_PIX_FMT_VULKAN,
    AV_PIX_FMT_NONE
};

static WeftPixelFormat weft_format_of(enum AVPixelFormat format)
{
    for (size_t i = 0; i < FF_ARRAY_ELEMS(format_map); i++)
        if (format_map[i].av == format)
            return format_map[i].weft;
    return WEFT_PIX_NONE;
}

/* Library log lines on av_log, at the matching level. */
static void log_callback(void *opaque, int level, const char *msg)
{
    static const int av_level[] = {
        [WEFT_LOG_ERROR]   = AV_LOG_ERROR,
        [WEFT_LOG_WARNING] = AV_LOG_WARNING,
        [WEFT_LOG_INFO]    = AV_LOG_INFO,
        [WEFT_LOG_VERBOSE] = AV_LOG_VERBOSE,
        [WEFT_LOG_DEBUG]   = AV_LOG_DEBUG,
    };
    level = av_clip(level, WEFT_LOG_ERROR, WEFT_LOG_DEBUG);
    av_log(opaque, av_level[level], "%s\n", msg);
}

/* The library's log level that matches av_log's current one. */
static int weft_log_level(void)
{
    int level = av_log_get_level();
    return level >= AV_LOG_DEBUG   ? WEFT_LOG_DEBUG   :
           level >= AV_LOG_VERBOSE ? WEFT_LOG_VERBOSE :
           level >= AV_LOG_INFO    ? WEFT_LOG_INFO    :
           level >= AV_LOG_WARNING ? WEFT_LOG_WARNING : WEFT_LOG_ERROR;
}

static const WeftSettingInfo *setting_info(const char *name)
{
    const WeftSettingInfo *info;
    for (int i = 0; (info = weft_setting_info(i)); i++)
        if (!strcmp(info->name, name))
            return info;
    return NULL;
}

/* Is option i given with a value other than its default? */
static int option_given(const WeftFilterContext *s, int i)
{
    const char *value = s->values[i];
    const char *def = weft_options[i].default_val.str;
    return value && (!def || strcmp(value, def));
}

static int set_setting(AVFilterContext *ctx, const char *name, const char *value)
{
    WeftFilterContext *s = ctx->priv;
    int err = weft_settings_set(&s->settings, name, value);
    if (err < 0) {
        const WeftSettingInfo *info = setting_info(name);
        av_log(ctx, AV_LOG_ERROR, "Invalid value '%s' for option '%s': %s%s%s%s\n", value,
               name, weft_strerror(err), info ? " (expected " : "",
               info ? info->range : "", info ? ")" : "");
        return AVERROR(EINVAL);
    }
    return 0;
}

static int needs_input_rate(const WeftSettings *set)
{
    int speed_change = set->speed.num > 0 && set->speed.num != set->speed.den;
    return set->fps.num == 0 && (speed_change || set->curve[0] || set->dup != WEFT_DUP_KEEP);
}

/* Opens the library on FFmpeg's Vulkan device (that of the input's frames). Returns 1 when
 * opened, 0 when the library should choose its device itself, or an error. */
static int open_on_ffmpeg_device(AVFilterContext *ctx, const AVHWFramesContext *frames)
{
#if CONFIG_VULKAN
    WeftFilterContext *s = ctx->priv;
    const AVVulkanDeviceContext *hwctx = frames->device_ctx->hwctx;
    PFN_vkGetPhysicalDeviceProperties get_properties = NULL;
    VkPhysicalDeviceProperties props = { 0 };
    WeftVulkanDevice vk;
    int err;

    if (frames->device_ctx->type != AV_HWDEVICE_TYPE_VULKAN || s->settings.device == WEFT_DEVICE_CPU)
        return 0;
    if (hwctx->get_proc_addr)
        get_properties = (PFN_vkGetPhysicalDeviceProperties)hwctx->get_proc_addr(
            hwctx->inst, "vkGetPhysicalDeviceProperties");
    if (get_properties)
        get_properties(hwctx->phys_dev, &props);
    if (s->settings.device == WEFT_DEVICE_AUTO && props.deviceType == VK_PHYSICAL_DEVICE_TYPE_CPU) {
        av_log(ctx, AV_LOG_VERBOSE, "FFmpeg's Vulkan device %s is a software device: "
               "device=auto runs libweft's C path (device=vulkan shares the device).\n",
               props.deviceName);
        s->settings.device = WEFT_DEVICE_CPU; /* and no device of the library's own */
        return 0;
    }
    if (s->settings.device > 0 || s->settings.device_name[0])
        av_log(ctx, AV_LOG_VERBOSE, "The frames are on FFmpeg's Vulkan device %s: libweft "
               "runs there, not on the device the device option names.\n", props.deviceName);
    if (hwctx->queue_family_comp_index < 0 || hwctx->nb_comp_queues < 1) {
        av_log(ctx, AV_LOG_ERROR, "FFmpeg's Vulkan device has no compute queue.\n");
        return AVERROR(ENOTSUP);
    }
    vk = (WeftVulkanDevice){
        .instance               = hwctx->inst,
        .physical_device        = hwctx->phys_dev,
        .device                 = hwctx->act_dev,
        .get_instance_proc_addr = hwctx->get_proc_addr,
        .queue_family           = hwctx->queue_family_comp_index,
        .queue_index            = hwctx->nb_comp_queues - 1,
        .enabled_extensions     = hwctx->enabled_dev_extensions,
        .num_enabled_extensions = hwctx->nb_enabled_dev_extensions,
    };
    err = weft_open_vulkan(&s->weft, &s->settings, &vk);
    if (err == -ENOTSUP) {
        /* the reason was logged by the library */
        av_log(ctx, AV_LOG_WARNING, "libweft cannot run on FFmpeg's Vulkan device; it chooses "
               "a device of its own.\n");
        return 0;
    }
    if (err < 0) {
        av_log(ctx, AV_LOG_ERROR, "Cannot open libweft on FFmpeg's Vulkan device: %s\n",
               weft_strerror(err));
        return err;
    }
    s->shared_device = 1;
    return 1;
#else
    return 0;
#endif
}

/* frames: the input's Vulkan frames context, or NULL for software frames. */
static int open_library(AVFilterContext *ctx, const AVHWFramesContext *frames)
{
    WeftFilterContext *s = ctx->priv;
    int err = frames ? open_on_ffmpeg_device(ctx, frames) : 0;
    if (err < 0)
        return err;
    if (err == 0 && (err = weft_open(&s->weft, &s->settings)) < 0) {
        av_log(ctx, AV_LOG_ERROR, "Cannot open libweft: %s\n", weft_strerror(err));
        return err; /* weft errors are negative errno values, as AVERROR() */
    }
    av_log(ctx, AV_LOG_VERBOSE, "libweft %s on %s%s\n", weft_version(),
           weft_device_name(s->weft), s->shared_device ? " (FFmpeg's Vulkan device, shared)" : "");
    return 0;
}

static av_cold int init(AVFilterContext *ctx)
{
    WeftFilterContext *s = ctx->priv;
    int fps_index = -1, factor_index = -1, err;
    char threads[16];

    s->last_pts = AV_NOPTS_VALUE;
    s->end_pts  = AV_NOPTS_VALUE;

    weft_default_settings(&s->settings);
    s->settings.log        = log_callback;
    s->settings.log_opaque = ctx;
    s->settings.log_level  = weft_log_level();

    /* Only values other than the defaults are forwarded: the defaults are the library's
     * own, and a log level left alone follows av_log's. */
    for (int i = 0; i < WEFT_NUM_OPTIONS; i++) {
        const char *name = weft_options[i].name;
        if (!strcmp(name, "fps"))
            fps_index = i;
        else if (!strcmp(name, "factor"))
            factor_index = i;
        if (option_given(s, i) && (err = set_setting(ctx, name, s->values[i])) < 0)
            return err;
    }
    if (fps_index >= 0 && factor_index >= 0 &&
        option_given(s, fps_index) && option_given(s, factor_index)) {
        av_log(ctx, AV_LOG_ERROR, "Give fps or factor, not both.\n");
        return AVERROR(EINVAL);
    }
    /* `threads` is also the name of libavfilter's generic option, which takes it first. */
    if (ctx->nb_threads > 0) {
        snprintf(threads, sizeof(threads), "%d", ctx->nb_threads);
        if ((err = set_setting(ctx, "threads", threads)) < 0)
            return err;
    }

    s->props = av_frame_alloc();
    if (!s->props)
        return AVERROR(ENOMEM);
    /* A speed change or a curve without fps plays at the input's rate, which is known only
     * once the input link is configured: the library is opened there. So it is when it may
     * run on a Vulkan device: that of the input's frames, if they are Vulkan frames. */
    if (needs_input_rate(&s->settings) || s->settings.device != WEFT_DEVICE_CPU)
        return 0;
    return open_library(ctx, NULL);
}

static av_cold void uninit(AVFilterContext *ctx)
{
    WeftFilterContext *s = ctx->priv;
    weft_close(&s->weft);
    av_frame_free(&s->held);
    av_frame_free(&s->props);
}

static int make_output_frames(AVFilterContext *ctx, const AVHWFramesContext *in)
{
    AVFilterLink *outlink = ctx->outputs[0];
    AVHWFramesContext *out;
    int err;

    av_buffer_unref(&outlink->hw_frames_ctx);
    outlink->hw_frames_ctx = av_hwframe_ctx_alloc(in->device_ref);
    if (!outlink->hw_frames_ctx)
        return AVERROR(ENOMEM);
    out            = (AVHWFramesContext *)outlink->hw_frames_ctx->data;
    out->format    = AV_PIX_FMT_VULKAN;
    out->sw_format = in->sw_format;
    out->width     = in->width;
    out->height    = in->height;
    if ((err = av_hwframe_ctx_init(outlink->hw_frames_ctx)) < 0) {
        av_log(ctx, AV_LOG_ERROR, "Cannot make Vulkan frames for the output: %s\n",
               av_err2str(err));
        av_buffer_unref(&outlink->hw_frames_ctx);
        return err;
    }
    return 0;
}

static int config_output(AVFilterLink *outlink)
{
    AVFilterContext *ctx = outlink->src;
    WeftFilterContext *s = ctx->priv;
    AVFilterLink *inlink = ctx->inputs[0];
    const WeftSettings *set = &s->settings;
    int err;

    s->hw        = inlink->format == AV_PIX_FMT_VULKAN;
    s->sw_format = inlink->format;
    if (s->hw) {
        const AVHWFramesContext *frames;
        if (!inlink->hw_frames_ctx) {
            av_log(ctx, AV_LOG_ERROR, "Vulkan frames without a frames context.\n");
            return AVERROR(EINVAL);
        }
        frames       = (const AVHWFramesContext *)inlink->hw_frames_ctx->data;
        s->sw_format = frames->sw_format;
        /* output frames come from a pool of our own on the same device (reusing the
         * input's pool lets an upstream filter's frames and ours alias each other) */
        if ((err = make_output_frames(ctx, frames)) < 0)
            return err;
    }
    if (weft_format_of(s->sw_format) == WEFT_PIX_NONE) {
        av_log(ctx, AV_LOG_ERROR, "Unsupported pixel format %s%s.\n",
               av_get_pix_fmt_name(s->sw_format), s->hw ? " (in Vulkan frames)" : "");
        return AVERROR(EINVAL);
    }
    if (!s->weft && needs_input_rate(set)) {
        /* the output plays at the input's rate */
        AVRational rate = inlink->frame_rate;
        if (rate.num <= 0 || rate.den <= 0) {
            av_log(ctx, AV_LOG_ERROR, "speed/curve without fps needs a known input frame "
                   "rate; give fps.\n");
            return AVERROR(EINVAL);
        }
        /* dup smooth/drop alone: the input's rate x factor, as without it */
        if (s->settings.speed.num == s->settings.speed.den && !s->settings.curve[0])
            rate = av_mul_q(rate, (AVRational){ set->factor, 1 });
        s->settings.fps = (WeftRational){ rate.num, rate.den };
    }
    if (!s->weft && (err = open_library(ctx, s->hw ? (const AVHWFramesContext *)
                                                     inlink->hw_frames_ctx->data : NULL)) < 0)
        return err;
    if (set->fps.num > 0) {
        /* the settings table keeps fps within 32 bits */
        outlink->frame_rate = (AVRational){ (int)set->fps.num, (int)set->fps.den };
        outlink->time_base  = av_inv_q(outlink->frame_rate);
    } else {
        int64_t den = (int64_t)inlink->time_base.den * set->factor;
        if (den > INT_MAX) {
            av_log(ctx, AV_LOG_ERROR, "Input time base %d/%d is too fine for factor %d.\n",
                   inlink->time_base.num, inlink->time_base.den, set->factor);
            return AVERROR(ERANGE);
        }
        av_reduce(&outlink->time_base.num, &outlink->time_base.den,
                  inlink->time_base.num, den, INT_MAX);
        if (inlink->frame_rate.num > 0 && inlink->frame_rate.den > 0)
            outlink->frame_rate = av_mul_q(inlink->frame_rate, (AVRational){ set->factor, 1 });
        else
            outlink->frame_rate = (AVRational){ 0, 1 };
    }
    av_log(ctx, AV_LOG_VERBOSE, "%d/%d fps (time base %d/%d) -> %d/%d fps (time base %d/%d)\n",
           inlink->frame_rate.num, inlink->frame_rate.den,
           inlink->time_base.num, inlink->time_base.den,
           outlink->frame_rate.num, outlink->frame_rate.den,
           outlink->time_base.num, outlink->time_base.den);
    return 0;
}

/* Gives a source frame to the library (described in place; the library copies it). */
static int send_frame(AVFilterContext *ctx, AVFrame *frame, int64_t duration)
{
    WeftFilterContext *s = ctx->priv;
    AVFilterLink *inlink = ctx->inputs[0];
    WeftPicture pic = {
        .width     = frame->width,
        .height    = frame->height,
        .format    = weft_format_of(frame->format),
        .pts       = frame->pts,
        .duration  = duration > 0 ? duration : 0,
        .time_base = { inlink->time_base.num, inlink->time_base.den },
        .color     = {
            .primaries       = frame->color_primaries,
            .transfer        = frame->color_trc,
            .matrix          = frame->colorspace,
            .range           = frame->color_range,
            .chroma_location = frame->chroma_location,
        },
    };
    int err;

    if (pic.color.range == AVCOL_RANGE_UNSPECIFIED &&
        (frame->format == AV_PIX_FMT_YUVJ420P || frame->format == AV_PIX_FMT_YUVJ422P ||
         frame->format == AV_PIX_FMT_YUVJ444P))
        pic.color.range = AVCOL_RANGE_JPEG;
    for (int i = 0; i < 4; i++) {
        pic.data[i]   = frame->data[i];
        pic.stride[i] = frame->linesize[i];
    }

    err = weft_send_picture(s->weft, &pic);
    if (err == -EAGAIN) {
        /* the library is drained before each send; this would be a bug here */
        av_log(ctx, AV_LOG_ERROR, "libweft asked to drain before a send.\n");
        return AVERROR_BUG;
    }
    if (err < 0) {
        av_log(ctx, AV_LOG_ERROR, "libweft cannot take the frame at pts %"PRId64": %s\n",
               frame->pts, weft_strerror(err));
        return err;
    }
    return 0;
}

/* Applies the timestamp policy to a new source frame, then sends the held one and holds
 * this one. Takes ownership of frame. */
static int accept_frame(AVFilterContext *ctx, AVFrame *frame)
{
    WeftFilterContext *s = ctx->priv;
    AVFilterLink *inlink = ctx->inputs[0];
    int err;

    if (frame->pts == AV_NOPTS_VALUE) {
        int64_t step = s->last_interval;
        if (step <= 0 && inlink->frame_rate.num > 0 && inlink->frame_rate.den > 0)
            step = av_rescale_q(1, av_inv_q(inlink->frame_rate), inlink->time_base);
        frame->pts = s->last_pts == AV_NOPTS_VALUE ? 0 : s->last_pts + FFMAX(step, 1);
        av_log(ctx, s->warned_missing_pts ? AV_LOG_DEBUG : AV_LOG_WARNING,
               "Frame without pts: using %"PRId64" (further ones are logged at debug level).\n",
               frame->pts);
        s->warned_missing_pts = 1;
    }
    if (s->last_pts != AV_NOPTS_VALUE && frame->pts <= s->last_pts) {
        av_log(ctx, AV_LOG_WARNING, "Dropping a frame at pts %"PRId64": not after %"PRId64".\n",
               frame->pts, s->last_pts);
        av_frame_free(&frame);
        return 0;
    }
    if (frame->interlaced_frame && !s->warned_interlaced) {
        av_log(ctx, AV_LOG_WARNING, "Interlaced frames are treated as progressive; "
               "deinterlace first (e.g. bwdif) for correct motion.\n");
        s->warned_interlaced = 1;
    }
    if (frame->width != inlink->w || frame->height != inlink->h) {
        av_log(ctx, AV_LOG_ERROR, "Frame size changed mid-stream (%dx%d to %dx%d).\n",
               inlink->w, inlink->h, frame->width, frame->height);
        av_frame_free(&frame);
        return AVERROR(EINVAL);
    }
    if (s->last_pts != AV_NOPTS_VALUE)
        s->last_interval = frame->pts - s->last_pts;
    s->last_pts = frame->pts;

    if (s->held) {
        err = send_frame(ctx, s->held, frame->pts - s->held->pts);
        av_frame_free(&s->held);
        if (err < 0) {
            av_frame_free(&frame);
            return err;
        }
    }
    av_frame_unref(s->props);
    err = av_frame_copy_props(s->props, frame);
    if (err < 0) {
        av_frame_free(&frame);
        return err;
    }
    s->held = frame;
    return 0;
}

/* The end of the input: the held frame lasts until the end timestamp, if it is after it. */
static int finish_input(AVFilterContext *ctx, int64_t eof_pts)
{
    WeftFilterContext *s = ctx->priv;
    int err;

    if (s->held) {
        int64_t duration = eof_pts != AV_NOPTS_VALUE && eof_pts > s->held->pts
                           ? eof_pts - s->held->pts : 0;
        err = send_frame(ctx, s->held, duration);
        av_frame_free(&s->held);
        if (err < 0)
            return err;
    }
    err = weft_send_picture(s->weft, NULL);
    if (err < 0)
        return err;
    s->input_done = 1;
    if (s->end_pts == AV_NOPTS_VALUE && eof_pts != AV_NOPTS_VALUE)
        s->end_pts = av_rescale_q(eof_pts, ctx->inputs[0]->time_base,
                                  ctx->outputs[0]->time_base);
    return 0;
}

static void free_picture(void *opaque, av_unused uint8_t *data)
{
    WeftPicture *pic = opaque;
    weft_picture_unref(pic);
    av_free(pic);
}

/* Makes an AVFrame that owns a picture the library returned (no copy): one buffer
 * reference per plane, each spanning its plane as FFmpeg's own pools do, all releasing the
 * one picture. On success the frame owns pic; on failure pic is released. */
static int wrap_picture(AVFilterContext *ctx, WeftPicture *pic, AVFrame **out)
{
    WeftFilterContext *s = ctx->priv;
    AVFilterLink *outlink = ctx->outputs[0];
    AVRational pic_tb = { (int)pic->time_base.num, (int)pic->time_base.den };
    AVBufferRef *owner = NULL;
    WeftPicture *kept = NULL;
    AVFrame *frame = NULL;
    ptrdiff_t linesizes[4];
    size_t sizes[4], total = 0;
    int err;

    for (int i = 0; i < 4; i++)
        linesizes[i] = pic->stride[i];
    err = av_image_fill_plane_sizes(sizes, s->sw_format, pic->height, linesizes);
    if (err < 0)
        goto fail;
    for (int i = 0; i < 4; i++)
        total += sizes[i];

    frame = av_frame_alloc();
    kept  = av_malloc(sizeof(*kept));
    if (!frame || !kept) {
        err = AVERROR(ENOMEM);
        goto fail;
    }
    *kept = *pic;
    memset(pic, 0, sizeof(*pic));
    owner = av_buffer_create(kept->data[0], total, free_picture, kept, 0);
    if (!owner) {
        weft_picture_unref(kept);
        av_freep(&kept);
        err = AVERROR(ENOMEM);
        goto fail;
    }

    if ((err = av_frame_copy_props(frame, s->props)) < 0)
        goto fail;
    frame->format = s->sw_format;
    frame->width  = kept->width;
    frame->height = kept->height;
    for (int i = 0; i < 4 && kept->data[i]; i++) {
        frame->data[i]     = kept->data[i];
        frame->linesize[i] = (int)kept->stride[i];
        frame->buf[i]      = av_buffer_ref(owner);
        if (!frame->buf[i]) {
            err = AVERROR(ENOMEM);
            goto fail;
        }
        frame->buf[i]->data = kept->data[i];
        frame->buf[i]->size = sizes[i];
    }
    frame->color_primaries = kept->color.primaries;
    frame->color_trc       = kept->color.transfer;
    frame->colorspace      = kept->color.matrix;
    frame->color_range     = kept->color.range;
    frame->chroma_location = kept->color.chroma_location;
    /* YUVJ formats say their range in the format; keep the two in step */
    if (frame->format == AV_PIX_FMT_YUVJ420P || frame->format == AV_PIX_FMT_YUVJ422P ||
        frame->format == AV_PIX_FMT_YUVJ444P)
        frame->color_range = AVCOL_RANGE_JPEG;
    if (pic_tb.num > 0 && pic_tb.den > 0) {
        frame->pts          = av_rescale_q(kept->pts, pic_tb, outlink->time_base);
        frame->pkt_duration = av_rescale_q(kept->duration, pic_tb, outlink->time_base);
    } else {
        frame->pts = kept->pts;
    }
    av_buffer_unref(&owner);
    *out = frame;
    return 0;

fail:
    av_buffer_unref(&owner); /* releases kept once the frame's references are gone */
    av_frame_free(&frame);
    weft_picture_unref(pic);
    return err;
}

/* Vulkan frames: the library takes and returns host pictures (its pixel conversion runs on
 * the host, even when it computes on FFmpeg's device), so source frames are read back and
 * output frames uploaded. */
static int download_frame(AVFilterContext *ctx, AVFrame **frame)
{
    WeftFilterContext *s = ctx->priv;
    AVFrame *sw = av_frame_alloc();
    int err;

    if (!sw)
        return AVERROR(ENOMEM);
    sw->format = s->sw_format;
    if ((err = av_hwframe_transfer_data(sw, *frame, 0)) < 0 ||
        (err = av_frame_copy_props(sw, *frame)) < 0) {
        av_log(ctx, AV_LOG_ERROR, "Cannot read a Vulkan frame back: %s\n", av_err2str(err));
        av_frame_free(&sw);
        return err;
    }
    av_frame_free(frame);
    *frame = sw;
    return 0;
}

static int upload_frame(AVFilterContext *ctx, AVFrame **frame)
{
    AVFilterLink *outlink = ctx->outputs[0];
    AVFrame *hw = av_frame_alloc();
    int err;

    if (!hw)
        return AVERROR(ENOMEM);
    if ((err = av_hwframe_get_buffer(outlink->hw_frames_ctx, hw, 0)) < 0)
        goto fail;
    /* FFmpeg 5.1's Vulkan upload may read the host picture in place (imported host memory)
     * after av_hwframe_transfer_data() returns; it holds every buffer of the hw frame until
     * the copy has run, so the picture rides along as one of them */
    for (size_t i = 0; i < FF_ARRAY_ELEMS(hw->buf); i++) {
        if (!hw->buf[i]) {
            if (!(hw->buf[i] = av_buffer_ref((*frame)->buf[0]))) {
                err = AVERROR(ENOMEM);
                goto fail;
            }
            break;
        }
    }
    if ((err = av_hwframe_transfer_data(hw, *frame, 0)) < 0 ||
        (err = av_frame_copy_props(hw, *frame)) < 0)
        goto fail;
    av_frame_free(frame);
    *frame = hw;
    return 0;

fail:
    av_log(ctx, AV_LOG_ERROR, "Cannot upload a Vulkan frame: %s\n", av_err2str(err));
    av_frame_free(&hw);
    return err;
}

static int activate(AVFilterContext *ctx)
{
    WeftFilterContext *s = ctx->priv;
    AVFilterLink *inlink = ctx->inputs[0];
    AVFilterLink *outlink = ctx->outputs[0];
    WeftPicture pic;
    AVFrame *frame;
    int64_t pts;
    int status, err;

    FF_FILTER_FORWARD_STATUS_BACK(outlink, inlink);

    /* 1. an output frame, if the library has one */
    err = weft_get_picture(s->weft, &pic);
    if (err == 0) {
        if ((err = wrap_picture(ctx, &pic, &frame)) < 0)
            return err;
        if (s->hw && (err = upload_frame(ctx, &frame)) < 0) {
            av_frame_free(&frame);
            return err;
        }
        s->end_pts = frame->pts + FFMAX(frame->pkt_duration, 1);
        ff_filter_set_ready(ctx, 100); /* there may be more before more input */
        return ff_filter_frame(outlink, frame);
    }
    if (err == WEFT_EOF) {
        ff_outlink_set_status(outlink, AVERROR_EOF, s->end_pts);
        return 0;
    }
    if (err != -EAGAIN) {
        av_log(ctx, AV_LOG_ERROR, "libweft cannot make a frame: %s\n", weft_strerror(err));
        return err;
    }
    if (s->input_done) {
        /* more input asked for after the end: nothing more will come */
        ff_outlink_set_status(outlink, AVERROR_EOF, s->end_pts);
        return 0;
    }

    /* 2. the library needs input */
    err = ff_inlink_consume_frame(inlink, &frame);
    if (err < 0)
        return err;
    if (err > 0) {
        if (s->hw && (err = download_frame(ctx, &frame)) < 0) {
            av_frame_free(&frame);
            return err;
        }
        if ((err = accept_frame(ctx, frame)) < 0)
            return err;
        ff_filter_set_ready(ctx, 100);
        return 0;
    }
    if (ff_inlink_acknowledge_status(inlink, &status, &pts)) {
        if ((err = finish_input(ctx, pts)) < 0)
            return err;
        ff_filter_set_ready(ctx, 100);
        return 0;
    }
    FF_FILTER_FORWARD_WANTED(outlink, inlink);
    return FFERROR_NOT_READY;
}

static const AVFilterPad weft_inputs[] = {
    {
        .name = "default",
        .type = AVMEDIA_TYPE_VIDEO,
    },
};

static const AVFilterPad weft_outputs[] = {
    {
        .name         = "default",
        .type         = AVMEDIA_TYPE_VIDEO,
        .config_props = config_output,
    },
};

const AVFilter ff_vf_weft = {
    .name          = "weft",
    .description   = NULL_IF_CONFIG_SMALL("Change the frame rate with new frames made by "
                                          "optical flow (libweft). The filter's options are "
                                          "libweft's settings; threads=N sets its CPU threads."),
    .priv_size     = sizeof(WeftFilterContext),
    .priv_class    = &weft_class,
    .init          = init,
    .uninit        = uninit,
    .activate      = activate,
    FILTER_INPUTS(weft_inputs),
    FILTER_OUTPUTS(weft_outputs),
    FILTER_PIXFMTS_ARRAY(pix_fmts),
    .flags_internal = FF_FILTER_FLAG_HWFRAME_AWARE,
};
