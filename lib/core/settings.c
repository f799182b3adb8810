/* The settings table: the one place a setting's name, default, range and help live.
 * weft_settings_set(), the CLI's options and --help, and the FFmpeg filter's options all
 * read it. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/settings.h"

static int parse_int(const char *v, long lo, long hi, int *out)
{
    char *end;
    errno = 0;
    long x = strtol(v, &end, 10);
    if (end == v || *end || errno)
        return -EINVAL;
    if (x < lo || x > hi)
        return -ERANGE;
    *out = (int)x;
    return 0;
}

int settings_parse_rational(const char *v, WeftRational *out)
{
    char *end;
    errno = 0;
    while (isspace((unsigned char)*v))
        v++;
    if (!isdigit((unsigned char)*v))
        return -EINVAL;
    long long num = strtoll(v, &end, 10);
    long long den = 1;
    if (errno || num < 0)
        return -EINVAL;
    if (*end == '/' || *end == ':') {
        const char *d = end + 1;
        if (!isdigit((unsigned char)*d))
            return -EINVAL;
        den = strtoll(d, &end, 10);
        if (errno || den <= 0)
            return -EINVAL;
    } else if (*end == '.') {
        /* decimal: "29.97" -> 2997/100, exactly as written */
        const char *f = end + 1;
        int digits = 0;
        while (isdigit((unsigned char)f[digits]))
            digits++;
        if (digits == 0 || digits > 9)
            return -EINVAL;
        for (int i = 0; i < digits; i++) {
            if (num > (LLONG_MAX - 9) / 10)
                return -ERANGE;
            num = num * 10 + (f[i] - '0');
            den *= 10;
        }
        end = (char *)f + digits;
    }
    if (*end)
        return -EINVAL;
    if (num == 0)
        return -ERANGE;
    if (num > INT32_MAX || den > INT32_MAX)
        return -ERANGE;
    long long a = num, b = den;
    while (b) {
        long long r = a % b;
        a = b;
        b = r;
    }
    out->num = num / a;
    out->den = den / a;
    return 0;
}

static int set_device(WeftSettings *s, const char *v)
{
    if (!strcmp(v, "cpu")) {
        s->device = WEFT_DEVICE_CPU;
    } else if (!strcmp(v, "auto")) {
        s->device = WEFT_DEVICE_AUTO;
    } else if (!strcmp(v, "vulkan") || !strcmp(v, "gpu")) {
        s->device = 0;
        s->device_name[0] = 0;
    } else if (!strncmp(v, "vulkan:", 7)) {
        int idx;
        if (parse_int(v + 7, 0, 255, &idx) == 0) {
            s->device = idx;
            s->device_name[0] = 0;
        } else {
            if (!v[7] || strlen(v + 7) >= sizeof(s->device_name))
                return -EINVAL;
            s->device = 0;
            snprintf(s->device_name, sizeof(s->device_name), "%s", v + 7);
        }
    } else {
        int idx;
        int err = parse_int(v, 0, 255, &idx);
        if (err < 0)
            return err;
        s->device = idx;
    }
    return 0;
}

static int set_threads(WeftSettings *s, const char *v)
{
    return parse_int(v, 0, 256, &s->threads);
}

static int set_fps(WeftSettings *s, const char *v)
{
    WeftRational r;
    int err = settings_parse_rational(v, &r);
    if (err < 0)
        return err;
    if ((double)r.num / (double)r.den > 1000.0)
        return -ERANGE;
    s->fps = r;
    return 0;
}

static int set_speed(WeftSettings *s, const char *v)
{
    WeftRational r;
    int err = settings_parse_rational(v, &r);
    if (err < 0)
        return err;
    /* 0.01..100 compared exactly: num / den >= 1 / 100 and <= 100 */
    if (r.num * 100 < r.den || r.num > r.den * 100)
        return -ERANGE;
    s->speed = r;
    return 0;
}

static int set_curve(WeftSettings *s, const char *v)
{
    if (strlen(v) >= sizeof(s->curve))
        return -ERANGE;
    snprintf(s->curve, sizeof(s->curve), "%s", v);
    return 0;
}

static int set_scene_threshold(WeftSettings *s, const char *v)
{
    WeftRational r;
    int err = settings_parse_rational(v, &r);
    if (err == -ERANGE && v[0] == '0' && strspn(v, "0.") == strlen(v) && strchr(v, '.') ==
                                                                            strrchr(v, '.')) {
        s->scene_threshold = 0.0f; /* "0", "0.0": cut detection off */
        return 0;
    }
    if (err < 0)
        return err;
    if (r.num > r.den)
        return -ERANGE;
    s->scene_threshold = (float)((double)r.num / (double)r.den);
    return 0;
}

/* A decimal number in [lo, hi]; "nan" and trailing text are -EINVAL. */
static int parse_float(const char *v, double lo, double hi, float *out)
{
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    if (end == v || *end || errno || isnan(x))
        return -EINVAL;
    if (x < lo || x > hi)
        return -ERANGE;
    *out = (float)x;
    return 0;
}

static int set_dup_threshold(WeftSettings *s, const char *v)
{
    return parse_float(v, 0.0, 1.0, &s->dup_threshold);
}

static int set_shutter(WeftSettings *s, const char *v)
{
    return parse_float(v, 0.0, 360.0, &s->shutter);
}

static int set_factor(WeftSettings *s, const char *v)
{
    return parse_int(v, 1, 64, &s->factor);
}

static int set_enum(int *field, const char *v, const char *const *names)
{
    for (int i = 0; names[i]; i++) {
        if (!strcmp(v, names[i])) {
            *field = i;
            return 0;
        }
    }
    return -EINVAL;
}

static const char *const method_names[] = { "flow", "blend", "rife", NULL };
static const char *const quality_names[] = { "fast", "medium", "high", NULL };
static const char *const dup_names[] = { "keep", "smooth", "drop", NULL };
static const char *const content_names[] = { "live", "anime", NULL };
static const char *const log_names[] = { "error", "warning", "info", "verbose", "debug", NULL };

static int set_method(WeftSettings *s, const char *v)
{
    return set_enum(&s->method, v, method_names);
}

static int set_dup(WeftSettings *s, const char *v)
{
    return set_enum(&s->dup, v, dup_names);
}

static int set_model(WeftSettings *s, const char *v)
{
    if (strlen(v) >= sizeof(s->model))
        return -ERANGE;
    snprintf(s->model, sizeof(s->model), "%s", v);
    return 0;
}

static int set_quality(WeftSettings *s, const char *v)
{
    return set_enum(&s->quality, v, quality_names);
}

static int set_content(WeftSettings *s, const char *v)
{
    return set_enum(&s->content, v, content_names);
}

static const char *const stab_path_names[] = { "gauss", "l1", "tripod", NULL };
static const char *const stab_border_names[] = { "crop", "adaptive", "fill", NULL };
static const char *const motion_model_names[] = { "similarity", "affine", "homography", NULL };
static const char *const switch_names[] = { "0", "1", NULL };
static const char *const camera_names[] = { "keep", "smooth", NULL };

static int set_camera(WeftSettings *s, const char *v)
{
    return set_enum(&s->camera, v, camera_names);
}

static int set_stabilize(WeftSettings *s, const char *v)
{
    return set_enum(&s->stabilize, v, switch_names);
}

static int set_smooth(WeftSettings *s, const char *v)
{
    return parse_int(v, 1, 1000, &s->smooth);
}

static int set_stab_path(WeftSettings *s, const char *v)
{
    return set_enum(&s->stab_path, v, stab_path_names);
}

static int set_stab_border(WeftSettings *s, const char *v)
{
    return set_enum(&s->stab_border, v, stab_border_names);
}

static int set_motion_model(WeftSettings *s, const char *v)
{
    return set_enum(&s->motion_model, v, motion_model_names);
}

/* A decimal >= 0 and <= hi ("0" included). */
static int parse_limit(const char *v, double hi, float *out)
{
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    if (end == v || *end || errno || x != x)
        return -EINVAL;
    if (x < 0 || x > hi)
        return -ERANGE;
    *out = (float)x;
    return 0;
}

static int set_max_shift(WeftSettings *s, const char *v)
{
    return parse_limit(v, 100000.0, &s->max_shift);
}

static int set_max_angle(WeftSettings *s, const char *v)
{
    return parse_limit(v, 180.0, &s->max_angle);
}

static int set_max_shear(WeftSettings *s, const char *v)
{
    return parse_limit(v, 10.0, &s->max_shear);
}

static int set_log_level(WeftSettings *s, const char *v)
{
    return set_enum(&s->log_level, v, log_names);
}

typedef struct SettingRow {
    WeftSettingInfo info;
    int (*set)(WeftSettings *s, const char *value);
} SettingRow;

static const SettingRow settings_table[] = {
    { { "device", "auto", "where to compute: cpu (the C path), vulkan[:N|:NAME], or auto (a hardware "
        "Vulkan device if present, else the C path)",
        "cpu|auto|vulkan[:N|:NAME]|N" }, set_device },
    { { "threads", "0", "CPU threads for the C path (0 = all cores)", "0..256" }, set_threads },
    { { "fps", "", "output frame rate, e.g. 60 or 60000/1001 (unset: input rate x factor)",
        "rational > 0, <= 1000" }, set_fps },
    { { "factor", "2", "output rate = input rate x factor (when fps is unset)", "1..64" },
      set_factor },
    { { "speed", "1",
        "playback speed, e.g. 0.25 (four times slower) or 2 (twice as fast); needs fps (the "
        "CLI uses the input's rate when only speed is given)",
        "rational 0.01..100" }, set_speed },
    { { "curve", "",
        "retiming curve file: a speed ramp (TIME SPEED lines) or a source-time map (map OUT "
        "SRC lines), see docs/CURVES.md; needs fps (the CLI uses the input's rate when only "
        "curve is given)",
        "path" }, set_curve },
    { { "scene-threshold", "0.3",
        "scene-cut score (0..1) from which no frame is synthesised across a pair; the nearest "
        "source picture is shown instead (0 disables)",
        "0..1" }, set_scene_threshold },
    { { "dup", "keep",
        "repeated pictures (animation on twos/threes): keep (interpolate as given), smooth "
        "(each drawing at its first appearance, in-betweens between drawings, holds of 4+ "
        "pictures stay still) or drop (in-betweens across every hold); smooth and drop need fps "
        "(the CLI and the FFmpeg filter use the input's rate x factor when it is not given)",
        "keep|smooth|drop" }, set_dup },
    { { "dup-threshold", "0.08",
        "two pictures are one drawing when no 16x16 block differs by more than this mean "
        "absolute luma difference (robust to coding noise)",
        "0..1" }, set_dup_threshold },
    { { "shutter", "0",
        "motion blur: shutter angle in degrees (180 = half the output frame interval, 360 = "
        "all of it), made from in-betweens along the motion; 0 = off",
        "0..360" }, set_shutter },
    { { "method", "flow",
        "how in-betweens are made: flow (optical flow), blend, or rife (network, needs --model)",
        "flow|blend|rife" }, set_method },
    { { "model", "", "the .weft network file for method rife (made by weft-convert)",
        "path" }, set_model },
    { { "quality", "medium", "optical flow quality: fast, medium or high", "fast|medium|high" },
      set_quality },
    { { "content", "live",
        "what the pictures show: live (camera footage, CGI) or anime (2D animation, line art: "
        "lines never ghost, untrusted motion falls back to a cross-fade or a hold)",
        "live|anime" }, set_content },
    { { "stabilize", "0",
        "1: stabilise the camera (two passes: analyse, then render); see smooth, path, border",
        "0|1" }, set_stabilize },
    { { "smooth", "30",
        "stabilisation strength in frames (gauss: sigma = N/2; l1: scales the automatic "
        "limits; adaptive zoom: its pace)",
        "1..1000" }, set_smooth },
    { { "path", "l1",
        "smooth camera path: gauss (low-pass), l1 (static, constant-velocity and ease segments, "
        "Grundmann et al. 2011) or tripod (locked camera)",
        "gauss|l1|tripod" }, set_stab_path },
    { { "border", "fill",
        "stabilised borders: crop (one fixed zoom), adaptive (slowly varying zoom) or fill "
        "(full frame, filled from neighbouring frames)",
        "crop|adaptive|fill" }, set_stab_border },
    { { "motion-model", "similarity",
        "camera motion model for stabilisation: similarity, affine or homography",
        "similarity|affine|homography" }, set_motion_model },
    { { "max-shift", "0",
        "largest stabilising shift in pixels (0: none for gauss/tripod, automatic for l1)",
        "0..100000" }, set_max_shift },
    { { "max-angle", "0",
        "largest stabilising rotation in degrees (0: none for gauss/tripod, automatic for l1)",
        "0..180" }, set_max_angle },
    { { "camera", "keep",
        "2D camera moves (animation): keep, or smooth: a stepped pan (moving every second or "
        "third picture) becomes a steady pan at the same pace, pictures shifted whole "
        "(runs the stabilisation passes)",
        "keep|smooth" }, set_camera },
    { { "max-shear", "1",
        "largest shear and perspective the stabilising correction adds to a similarity to "
        "steady the picture's shape, percent (0: none; homography model: unused)",
        "0..10" }, set_max_shear },
    { { "log-level", "info", "how much the library logs", "error|warning|info|verbose|debug" },
      set_log_level },
};

#define NUM_SETTINGS (int)(sizeof(settings_table) / sizeof(settings_table[0]))

void weft_default_settings(WeftSettings *s)
{
    if (!s)
        return;
    memset(s, 0, sizeof(*s));
    for (int i = 0; i < NUM_SETTINGS; i++)
        if (settings_table[i].info.default_value[0])
            settings_table[i].set(s, settings_table[i].info.default_value);
}

int weft_settings_set(WeftSettings *s, const char *name, const char *value)
{
    if (!s || !name || !value)
        return -EINVAL;
    for (int i = 0; i < NUM_SETTINGS; i++) {
        if (!strcmp(settings_table[i].info.name, name)) {
            WeftSettings copy = *s; /* nothing changes on error */
            int err = settings_table[i].set(&copy, value);
            if (err < 0)
                return err;
            *s = copy;
            return 0;
        }
    }
    return -EINVAL;
}

const WeftSettingInfo *weft_setting_info(int index)
{
    if (index < 0 || index >= NUM_SETTINGS)
        return NULL;
    return &settings_table[index].info;
}

int settings_validate(const WeftSettings *s, const Log *log)
{
    CHECK_ARG(log, s->device >= WEFT_DEVICE_AUTO && s->device <= 255);
    CHECK_ARG(log, s->threads >= 0 && s->threads <= 256);
    CHECK_ARG(log, (s->fps.num == 0 && s->fps.den == 0) || (s->fps.num > 0 && s->fps.den > 0));
    CHECK_ARG(log, s->factor >= 1 && s->factor <= 64);
    /* {0,0} (settings not from weft_default_settings) counts as speed 1 */
    CHECK_ARG(log, (s->speed.num == 0 && s->speed.den == 0) ||
                       (s->speed.num > 0 && s->speed.den > 0 && s->speed.num <= INT32_MAX &&
                        s->speed.den <= INT32_MAX));
    CHECK_ARG(log, memchr(s->curve, 0, sizeof(s->curve)) != NULL);
    CHECK_ARG(log, s->scene_threshold >= 0.0f && s->scene_threshold <= 1.0f);
    if (s->curve[0] && s->speed.num != s->speed.den) {
        log_error(log, "give a speed or a curve, not both");
        return -EINVAL;
    }
    if (s->curve[0] && s->fps.num == 0) {
        log_error(log, "a curve needs an output rate: set 'fps' (e.g. the input's)");
        return -EINVAL;
    }
    if (s->speed.num != s->speed.den && s->fps.num == 0) {
        /* factor mode divides source intervals; a speed needs an output rate to map to */
        log_error(log, "speed %lld/%lld needs an output rate: set 'fps' (e.g. the input's)",
                  (long long)s->speed.num, (long long)s->speed.den);
        return -EINVAL;
    }
    CHECK_ARG(log, s->dup >= WEFT_DUP_KEEP && s->dup <= WEFT_DUP_DROP);
    CHECK_ARG(log, s->dup_threshold >= 0.0f && s->dup_threshold <= 1.0f);
    if (s->dup != WEFT_DUP_KEEP && s->fps.num == 0) {
        /* factor mode divides each source interval; merged repeats have no interval of
         * their own to divide */
        log_error(log, "dup smooth/drop needs an output rate: set 'fps' (e.g. the input's "
                       "rate x factor)");
        return -EINVAL;
    }
    CHECK_ARG(log, s->shutter >= 0.0f && s->shutter <= 360.0f);
    CHECK_ARG(log, s->method == WEFT_METHOD_FLOW || s->method == WEFT_METHOD_BLEND ||
                       s->method == WEFT_METHOD_RIFE);
    CHECK_ARG(log, memchr(s->model, 0, sizeof(s->model)) != NULL);
    if (s->method == WEFT_METHOD_RIFE && !s->model[0]) {
        log_error(log, "method rife needs a model: set 'model' to a .weft file");
        return -EINVAL;
    }
    CHECK_ARG(log, s->quality >= WEFT_QUALITY_FAST && s->quality <= WEFT_QUALITY_HIGH);
    CHECK_ARG(log, s->content == WEFT_CONTENT_LIVE || s->content == WEFT_CONTENT_ANIME);
    CHECK_ARG(log, s->stabilize == 0 || s->stabilize == 1);
    /* 0 (settings not from weft_default_settings) counts as the default */
    CHECK_ARG(log, s->smooth >= 0 && s->smooth <= 1000);
    CHECK_ARG(log, s->stab_path >= WEFT_STAB_PATH_GAUSS && s->stab_path <= WEFT_STAB_PATH_TRIPOD);
    CHECK_ARG(log, s->stab_border >= WEFT_STAB_BORDER_CROP &&
                       s->stab_border <= WEFT_STAB_BORDER_FILL);
    CHECK_ARG(log, s->motion_model >= WEFT_MOTION_SIMILARITY &&
                       s->motion_model <= WEFT_MOTION_HOMOGRAPHY);
    CHECK_ARG(log, s->max_shift >= 0.0f && s->max_shift <= 100000.0f);
    CHECK_ARG(log, s->max_angle >= 0.0f && s->max_angle <= 180.0f);
    CHECK_ARG(log, s->max_shear >= 0.0f && s->max_shear <= 10.0f);
    CHECK_ARG(log, s->camera == WEFT_CAMERA_KEEP || s->camera == WEFT_CAMERA_SMOOTH);
    CHECK_ARG(log, memchr(s->device_name, 0, sizeof(s->device_name)) != NULL);
    return 0;
}
