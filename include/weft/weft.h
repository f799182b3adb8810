/*
 * weft: making new video frames (frame-rate conversion, retiming, in-betweening).
 *
 * The whole public API of libweft. Conventions:
 * - Functions that can fail return 0 or a negative errno value (-EINVAL, -ENOMEM,
 *   -ENODEV, -EAGAIN, -EIO, -ENOSYS); weft_strerror() names it and the log callback
 *   carries the details (which argument, which condition).
 * - Thread safety: one WeftContext is used by one thread at a time; different contexts
 *   are independent and may be used from different threads at once. Functions that
 *   take no context (weft_default_settings, weft_settings_set, weft_strerror, the
 *   picture helpers) are thread-safe.
 * - Every entry point checks its arguments and returns -EINVAL (logged) on misuse.
 * - Running on an application's own VkDevice: weft_open_vulkan() in weft/weft_vulkan.h.
 */
#ifndef WEFT_WEFT_H
#define WEFT_WEFT_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define WEFT_API_VERSION_MAJOR 0
#define WEFT_API_VERSION_MINOR 1
#define WEFT_API_VERSION_PATCH 0

/** Version string of the library at run time, e.g. "0.1.0". */
const char *weft_version(void);

/** Exact rational number; den > 0 for a valid value. */
typedef struct WeftRational {
    int64_t num;
    int64_t den;
} WeftRational;

/* ---- pictures ------------------------------------------------------------------------ */

/** Pixel formats. Planar YUV/RGB formats store one component per plane; *_PACKED formats
 *  interleave components in plane 0. Samples wider than 8 bits are little-endian uint16
 *  holding the value in the low bits (as FFmpeg's *LE formats). */
typedef enum WeftPixelFormat {
    WEFT_PIX_NONE = 0,
    WEFT_PIX_GRAY8,
    WEFT_PIX_GRAY16,
    WEFT_PIX_RGB24,       /* packed R,G,B, 8 bits each, plane 0 */
    WEFT_PIX_RGBA32,      /* packed R,G,B,A, 8 bits each, plane 0 */
    WEFT_PIX_GBRP,        /* planar G,B,R 8 bits (FFmpeg gbrp) */
    WEFT_PIX_YUV420P,
    WEFT_PIX_YUV422P,
    WEFT_PIX_YUV444P,
    WEFT_PIX_YUVA420P,
    WEFT_PIX_YUV420P10,
    WEFT_PIX_YUV422P10,
    WEFT_PIX_YUV444P10,
    WEFT_PIX_YUV420P12,
    WEFT_PIX_YUV422P12,
    WEFT_PIX_YUV444P12,
    WEFT_PIX_YUV420P16,
    WEFT_PIX_YUV444P16,
    WEFT_PIX_YUVA444P16,
    WEFT_PIX_COUNT
} WeftPixelFormat;

/** Colour description, carried from input to output unchanged. Values are the ITU-T H.273
 *  code points (the same numbers FFmpeg's AVColor* enums use); 2 = unspecified. */
typedef struct WeftColor {
    int primaries;
    int transfer;
    int matrix;
    int range;           /* 0 unspecified, 1 limited (tv), 2 full (pc), as FFmpeg */
    int chroma_location; /* as FFmpeg's AVChromaLocation */
} WeftColor;

/** A picture in host memory. The library never frees the planes of a picture it is given.
 *  Pictures it returns own their planes; release them with weft_picture_unref(). */
typedef struct WeftPicture {
    int width, height;
    WeftPixelFormat format;
    uint8_t *data[4];
    ptrdiff_t stride[4];   /* bytes between rows; may be negative */
    int64_t pts;           /* in units of time_base */
    int64_t duration;      /* in units of time_base; 0 = unknown (the stream API then
                              assumes the previous frame interval for the last frame) */
    WeftRational time_base;
    WeftColor color;
    /* Owner of the planes when the library allocated them; NULL otherwise. */
    void *buffer;
    void (*free_buffer)(void *opaque, void *buffer);
    void *free_opaque;
} WeftPicture;

/** Facts about a pixel format. Returns -EINVAL for an unknown format. */
typedef struct WeftFormatInfo {
    const char *name;
    int planes;           /* number of planes in memory */
    int components;       /* colour components including alpha */
    int bits;             /* bits per sample */
    int log2_chroma_w;    /* chroma subsampling shifts (0 for RGB/grey/4:4:4) */
    int log2_chroma_h;
    int has_alpha;
    int is_rgb;
} WeftFormatInfo;
int weft_format_info(WeftPixelFormat format, WeftFormatInfo *out);

/** Allocates planes for a width x height picture of a format (32-byte aligned rows).
 *  Errors: -EINVAL (bad size or format), -ENOMEM. */
int weft_picture_alloc(WeftPicture *pic, int width, int height, WeftPixelFormat format);
/** Releases planes the library allocated and clears the picture. NULL-safe. */
void weft_picture_unref(WeftPicture *pic);

/** Dense optical flow in pixels: u (x) and v (y) planes, each width*height floats, row
 *  stride = width. Point (x, y) of the first frame moves to (x + u, y + v) in the second.
 *  Allocated by the library in weft_compute_flow(); release with weft_flow_unref(). */
typedef struct WeftFlow {
    int width, height;
    float *u, *v;
} WeftFlow;
void weft_flow_unref(WeftFlow *flow);

/* ---- settings ------------------------------------------------------------------------ */

enum { WEFT_DEVICE_CPU = -1, WEFT_DEVICE_AUTO = -2 };

typedef enum WeftMethod {
    WEFT_METHOD_FLOW = 0,  /* classical optical flow + occlusion-aware synthesis */
    WEFT_METHOD_BLEND = 1, /* cross-fade (for comparison) */
    WEFT_METHOD_RIFE = 2,  /* RIFE v4.x network from the .weft file in settings.model */
} WeftMethod;

typedef enum WeftContent {
    WEFT_CONTENT_LIVE = 0,  /* camera footage or CGI: occlusion-aware flow synthesis */
    WEFT_CONTENT_ANIME = 1, /* 2D animation, line art and cels: no see-through mixes where
                               the warped frames disagree, and per-region fallback to a
                               cross-fade or a hold where the motion cannot be trusted */
} WeftContent;

typedef enum WeftFlowQuality {
    WEFT_QUALITY_FAST = 0,   /* flow on a reduced-resolution pyramid: throughput */
    WEFT_QUALITY_MEDIUM = 1, /* default: refinement down to half resolution */
    WEFT_QUALITY_HIGH = 2,   /* refinement at full resolution: best accuracy */
} WeftFlowQuality;

/* Repeated source pictures (animation on twos and threes, held drawings). */
typedef enum WeftDupMode {
    WEFT_DUP_KEEP = 0,   /* interpolate the pictures as given: a repeat stays a repeat */
    WEFT_DUP_SMOOTH = 1, /* each drawing at the time it first appears, in-betweens between
                            drawings; a drawing held for 4 or more pictures stays still */
    WEFT_DUP_DROP = 2,   /* repeats removed: in-betweens across every hold, however long */
} WeftDupMode;
/** Stabilisation: how the smooth camera path is chosen. */
typedef enum WeftStabPath {
    WEFT_STAB_PATH_GAUSS = 0,  /* Gaussian low-pass of the camera path (sigma = smooth / 2) */
    WEFT_STAB_PATH_L1 = 1,     /* L1-optimal path (Grundmann et al. 2011): static, constant
                                  velocity and ease segments within the limits */
    WEFT_STAB_PATH_TRIPOD = 2, /* one fixed camera for the whole shot */
} WeftStabPath;

/** Stabilisation: what is shown where the corrected picture leaves the frame. */
typedef enum WeftStabBorder {
    WEFT_STAB_BORDER_CROP = 0,     /* one fixed zoom that hides every border of the shot */
    WEFT_STAB_BORDER_ADAPTIVE = 1, /* a zoom that changes slowly with the need */
    WEFT_STAB_BORDER_FILL = 2,     /* full frame: borders filled from neighbouring pictures */
} WeftStabBorder;

/** 2D camera moves (animation): what happens to a camera move that steps. */
typedef enum WeftCamera {
    WEFT_CAMERA_KEEP = 0,   /* as drawn */
    WEFT_CAMERA_SMOOTH = 1, /* a stepped move (a pan that moves every second or third
                               picture) becomes a steady one at the same overall pace: each
                               picture is shifted (turned, scaled) whole, never redrawn */
} WeftCamera;

/** Stabilisation: the model of the camera motion between two pictures. */
typedef enum WeftMotionModel {
    WEFT_MOTION_SIMILARITY = 0, /* shift, rotation, zoom: no distortion */
    WEFT_MOTION_AFFINE = 1,
    WEFT_MOTION_HOMOGRAPHY = 2, /* full plane projective motion */
} WeftMotionModel;

enum { WEFT_LOG_ERROR = 0, WEFT_LOG_WARNING = 1, WEFT_LOG_INFO = 2, WEFT_LOG_VERBOSE = 3,
       WEFT_LOG_DEBUG = 4 };

/** Every field has a documented default (weft_default_settings()); the settings table
 *  inside the library is the single source of names, defaults, ranges and help. */
typedef struct WeftSettings {
    int device;          /* -1 CPU, -2 auto (a hardware Vulkan device if present, else the
                            C path: software Vulkan such as lavapipe is not chosen),
                            >= 0 Vulkan index. default -2 */
    char device_name[64];/* if non-empty, choose the Vulkan device whose name contains this */
    int threads;         /* CPU threads, 0 = number of cores. default 0 */
    WeftRational fps;    /* output frame rate for the stream API; {0,0} = use factor.
                            default {0,0} */
    int factor;          /* output rate = input rate * factor when fps is unset. default 2 */
    WeftRational speed;  /* playback speed of the source, 0.01..100: 1/4 = four times
                            slower, 2 = twice as fast. Output k (at T0 + k / fps) shows
                            source time T0 + (k / fps) * speed, exactly. Needs fps (a front
                            end with only a speed passes the input's rate as fps). default 1/1 */
    char curve[1024];    /* path of a retiming curve file (a speed ramp or a source-time map;
                            format in docs/CURVES.md), read by weft_open() like model files;
                            needs fps, excludes speed. default "" (none) */
    float scene_threshold; /* scene-cut score (0..1, from the scene_stats op: geometric mean
                            of the mean absolute luma difference x4 and the luma histogram
                            distance) at or above which a source pair is a cut: no output
                            is synthesised across it, the nearest source picture is shown
                            instead. 0 disables. default 0.3 */
    int dup;             /* WeftDupMode: what repeated source pictures become. default
                            WEFT_DUP_KEEP */
    float dup_threshold; /* two pictures are the same drawing when no 16x16 block of their
                            luma differs by a mean absolute difference (0..1) above this;
                            0.08 tolerates x264 crf 35 coding noise. default 0.08 */
    float shutter;       /* shutter angle in degrees, 0..360: each output is exposed for
                            shutter / 360 of its frame interval, synthesised as the mean of
                            in-betweens spread over that time (motion blur of the new rate).
                            0 = off (sharp frames, source pictures copied bit-exact). The
                            exposure stays inside the source interval the output lies in
                            (shifted there near a source picture; at most one interval long).
                            default 0 */
    int method;          /* WeftMethod. default WEFT_METHOD_FLOW */
    int quality;         /* WeftFlowQuality. default WEFT_QUALITY_MEDIUM */
    int content;         /* WeftContent: how in-betweens of the flow and blend methods are
                            made (method rife is not changed by it). default
                            WEFT_CONTENT_LIVE */
    char model[1024];    /* path of the .weft model for WEFT_METHOD_RIFE (made by
                            weft-convert); read by weft_open(). default "" */
    int stabilize;       /* 1: source pictures are stabilised before anything else; needs
                            the analysis pass (weft_stabilize_analyse). default 0 */
    int smooth;          /* stabilisation strength in frames (path gauss: sigma = smooth / 2;
                            l1: scales the automatic limits; adaptive zoom: its pace),
                            1..1000. default 30 */
    int stab_path;       /* WeftStabPath. default WEFT_STAB_PATH_L1 */
    int stab_border;     /* WeftStabBorder. default WEFT_STAB_BORDER_FILL */
    int motion_model;    /* WeftMotionModel. default WEFT_MOTION_SIMILARITY */
    float max_shift;     /* largest stabilising shift of the picture's centre, pixels; 0 = no
                            limit (gauss, tripod) or automatic (l1: short side * smooth / 300).
                            default 0 */
    float max_angle;     /* largest stabilising rotation, degrees; 0 = no limit (gauss, tripod)
                            or automatic (l1: smooth / 10 degrees). default 0 */
    int camera;          /* WeftCamera; WEFT_CAMERA_SMOOTH runs the stabilisation passes with
                            a path that removes only the steps (Gaussian, sigma 2 pictures:
                            a constant pace stays exactly), whatever stabilize, path, smooth
                            and max_shear say. default WEFT_CAMERA_KEEP */
    float max_shear;     /* largest shear (and perspective of as much effect at the corners)
                            that the correction adds to a similarity to steady the picture's
                            shape, percent; 0 = none; unused with WEFT_MOTION_HOMOGRAPHY.
                            0..10, default 1 */
    int log_level;       /* highest level passed to the callback. default WEFT_LOG_INFO */
    void (*log)(void *opaque, int level, const char *msg); /* NULL: stderr */
    void *log_opaque;
} WeftSettings;

/** Fills s with the defaults. */
void weft_default_settings(WeftSettings *s);

/** Sets one setting by name from text ("device", "cpu"|"auto"|"vulkan"|"vulkan:N"|N;
 *  "fps", "60" or "60000/1001"; ...). Errors: -EINVAL (unknown name or bad value; nothing
 *  changed), -ERANGE (value outside the documented range). */
int weft_settings_set(WeftSettings *s, const char *name, const char *value);

/** One row of the settings table, for front ends that list options (CLI --help, the
 *  FFmpeg filter's AVOptions). Returns NULL past the end. */
typedef struct WeftSettingInfo {
    const char *name;
    const char *default_value; /* as text */
    const char *help;
    const char *range;         /* as text, e.g. "cpu|auto|vulkan[:N]" or "1..64" */
} WeftSettingInfo;
const WeftSettingInfo *weft_setting_info(int index);

/* ---- context ------------------------------------------------------------------------- */

typedef struct WeftContext WeftContext;

/** Opens a context: picks the device and loads its pipelines.
 *  Errors: -EINVAL (bad settings), -ENODEV (a Vulkan device was asked for and none
 *  matches), -ENOMEM. On error *out is NULL. */
int weft_open(WeftContext **out, const WeftSettings *s);

/** Closes a context and sets *c to NULL. NULL-safe. */
void weft_close(WeftContext **c);

/** Name of the device the context runs on ("cpu (N threads)" or the Vulkan device name). */
const char *weft_device_name(const WeftContext *c);

/** Stream API (as dav1d's send/get).
 *  weft_send_picture(): feeds the next source picture, in presentation order with strictly
 *  increasing pts (pts, duration and time_base are read; time_base must stay the same
 *  for the whole stream); NULL marks the end of the stream. The picture is copied.
 *  Returns 0, or -EAGAIN when output is waiting: call weft_get_picture() until it returns
 *  -EAGAIN, then send the same picture again.
 *  weft_get_picture(): returns 0 and the next output picture (owned by the caller: release
 *  with weft_picture_unref()), -EAGAIN when it needs more input, or WEFT_EOF after the end
 *  of the stream once every output was delivered.
 *  Output timing: with settings.fps set, output k is at time T0 + k / fps, where T0 is the
 *  first input's time, and shows source time T0 + (k / fps) * speed (speed 1: the same); out->time_base = 1/fps and out->pts = k + T0 * fps (rounded down
 *  when T0 is not on the output grid). Otherwise (factor N), each source interval is
 *  divided into N equal steps: out->time_base = in time_base / N (VFR-exact). The stream
 *  ends at the last input's pts + duration (its duration, or else the previous interval).
 *  An output at a source time is that source picture copied bit-exact; others are
 *  in-betweens of the two source pictures around it.
 *  Errors: -EINVAL (size or format change mid-stream, pts not increasing, NULL context),
 *  -ENOMEM, -EIO. */
#define WEFT_EOF (-541478725) /* same value as FFmpeg's AVERROR_EOF */
int weft_send_picture(WeftContext *c, const WeftPicture *in);
int weft_get_picture(WeftContext *c, WeftPicture *out);

/** Stabilisation, pass 1 (with settings.stabilize): measures the camera motion of every
 *  source picture, in presentation order; NULL ends the pass and plans the smooth path and
 *  the zoom. Then pass 2 sends the same pictures again through weft_send_picture(), which
 *  stabilises each before retiming (pictures past the analysed ones keep the last
 *  correction). Errors: -EINVAL (stabilize not set, size or format change, pass already
 *  ended), -ENOMEM, -EIO. */
int weft_stabilize_analyse(WeftContext *c, const WeftPicture *in);

/** One-shot: the in-between of a and b at time t in (0, 1). out is allocated by the
 *  library with a's size and format (release with weft_picture_unref()).
 *  Errors: -EINVAL (t outside (0,1), different sizes or formats), -ENOMEM, -EIO. */
int weft_interpolate(WeftContext *c, const WeftPicture *a, const WeftPicture *b, double t,
                     WeftPicture *out);

/** One-shot: n in-betweens of a and b at times t[0..n-1], each in (0, 1) (a timing chart,
 *  e.g. eased spacing), with the flow of the pair computed once. out[i] are allocated as in
 *  weft_interpolate(); on error none is left allocated.
 *  Errors: -EINVAL (n < 1, a time outside (0,1), different sizes or formats), -ENOMEM,
 *  -EIO. */
int weft_interpolate_times(WeftContext *c, const WeftPicture *a, const WeftPicture *b,
                           const double *t, int n, WeftPicture *out);

/** One-shot: dense flow from a to b (forward) and, if backward is non-NULL, from b to a.
 *  Errors: -EINVAL (different sizes), -ENOMEM, -EIO. */
int weft_compute_flow(WeftContext *c, const WeftPicture *a, const WeftPicture *b,
                      WeftFlow *forward, WeftFlow *backward);

/** Text for an error code returned by weft_*. Never NULL. */
const char *weft_strerror(int err);

#ifdef __cplusplus
}
#endif
#endif /* WEFT_WEFT_H */
