/* Planner tests: exact output times for rate changes over long timelines, factor mode
 * on variable-frame-rate input, and the stream pipeline's copies (bit-exact, counted).
 * Expected values come from closed-form arithmetic written out here, not from the
 * planner itself. */
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "plan/curve.h"
#include "plan/time_map.h"
#include "weft/weft.h"

static int failures;
#define EXPECT(cond, ...)                                                                  \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            if (failures++ < 20) {                                                         \
                printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);                     \
                printf(__VA_ARGS__);                                                       \
                printf("\n");                                                              \
            }                                                                              \
        }                                                                                  \
    } while (0)

/* Runs a rate change through the planner over source frames with pts = i * step and
 * checks that output k comes from pair floor(k * a / b) at t = (k * a mod b) / b, where
 * a / b is the number of source frames per output frame. Returns the output count. */
static int64_t check_speed_change(WeftRational in_fps, WeftRational out_fps,
                                  WeftRational speed, int64_t step, int64_t frames, int64_t a,
                                  int64_t b)
{
    /* time base: one pts unit = 1 / (in_fps.num) s when step = in_fps.den */
    WeftRational tb = { 1, in_fps.num * (step / in_fps.den) };
    TimeMap m;
    EXPECT(plan_time_map_init(&m, PLAN_FPS, out_fps, 0, tb, 0) == 0, "init");
    EXPECT(plan_time_map_set_speed(&m, speed) == 0, "speed");
    int64_t end = frames * step, k = 0;
    for (;; k++) {
        PlanTime at;
        if (plan_fps_output_time(&m, k, &at) != 0) {
            EXPECT(0, "overflow at %lld", (long long)k);
            break;
        }
        if (plan_time_cmp_pts(at, end) >= 0)
            break;
        int64_t i = k * a / b;
        int64_t t_num, t_den;
        plan_locate(at, i * step, (i + 1) * step, &t_num, &t_den);
        int64_t want_num = (k * a) % b, want_den = b;
        plan_reduce(&want_num, &want_den);
        if (want_num == 0)
            want_den = 1;
        EXPECT(plan_time_cmp_pts(at, i * step) >= 0 && plan_time_cmp_pts(at, (i + 1) * step) < 0,
               "output %lld not inside pair %lld", (long long)k, (long long)i);
        EXPECT(t_num == want_num && (t_num == 0 || t_den == want_den),
               "output %lld: t = %lld/%lld, want %lld/%lld", (long long)k, (long long)t_num,
               (long long)t_den, (long long)want_num, (long long)want_den);
        EXPECT(plan_fps_output_pts(&m, k) == k, "pts of output %lld", (long long)k);
    }
    return k;
}

static int64_t check_rate_change(WeftRational in_fps, WeftRational out_fps, int64_t step,
                                 int64_t frames, int64_t a, int64_t b)
{
    return check_speed_change(in_fps, out_fps, (WeftRational){ 1, 1 }, step, frames, a, b);
}

static void test_ntsc_two_hours(void)
{
    /* 24000/1001 -> 60000/1001 for 2 hours: 172628 source frames (ceil(7200 * 24000/1001)),
     * each source frame lasts 2.5 output frames, so exactly 172628 * 5 / 2 = 431570 outputs;
     * output k sits at 0.4 k source frames. */
    int64_t frames = 172628;
    int64_t n = check_rate_change((WeftRational){ 24000, 1001 }, (WeftRational){ 60000, 1001 },
                                  1001, frames, 2, 5);
    EXPECT(n == 431570, "got %lld outputs", (long long)n);
    /* the last output's time is within one output frame of the end: no drift */
    TimeMap m;
    plan_time_map_init(&m, PLAN_FPS, (WeftRational){ 60000, 1001 }, 0,
                       (WeftRational){ 1, 24000 }, 0);
    EXPECT(m.out_tb.num == 1001 && m.out_tb.den == 60000, "out tb %lld/%lld",
           (long long)m.out_tb.num, (long long)m.out_tb.den);
}

static void test_25_to_24(void)
{
    /* 25 -> 24: output k at 25k/24 source frames; 250 frames (10 s) -> 240 outputs */
    int64_t n = check_rate_change((WeftRational){ 25, 1 }, (WeftRational){ 24, 1 }, 1, 250, 25,
                                  24);
    EXPECT(n == 240, "got %lld outputs", (long long)n);
}

static void test_30_to_60(void)
{
    int64_t n = check_rate_change((WeftRational){ 30, 1 }, (WeftRational){ 60, 1 }, 1, 60, 1, 2);
    EXPECT(n == 120, "got %lld outputs", (long long)n);
}

static void test_speed(void)
{
    /* 30 fps, speed 0.5, fps 30: two outputs per source frame, output k at source k / 2;
     * 30 source frames (1 s) last 2 s: 60 outputs */
    int64_t n = check_speed_change((WeftRational){ 30, 1 }, (WeftRational){ 30, 1 },
                                   (WeftRational){ 1, 2 }, 1, 30, 1, 2);
    EXPECT(n == 60, "speed 1/2: got %lld outputs", (long long)n);
    /* speed 2: every other source frame, 60 frames -> 30 outputs at source 2k */
    n = check_speed_change((WeftRational){ 30, 1 }, (WeftRational){ 30, 1 },
                           (WeftRational){ 2, 1 }, 1, 60, 2, 1);
    EXPECT(n == 30, "speed 2: got %lld outputs", (long long)n);
    /* 24000/1001 -> 60000/1001 at speed 1/4 over 2 hours of source: output k at source
     * k * (24/60) / 4 = k / 10, so 172628 source frames give exactly 1726280 outputs (the
     * slowed timeline lasts 8 hours; no drift at its end) */
    n = check_speed_change((WeftRational){ 24000, 1001 }, (WeftRational){ 60000, 1001 },
                           (WeftRational){ 1, 4 }, 1001, 172628, 1, 10);
    EXPECT(n == 1726280, "NTSC speed 1/4: got %lld outputs", (long long)n);
    /* 25 fps at speed 3/2 to 24 fps: source frames per output = 25 / 24 * 3 / 2 = 25 / 16 */
    n = check_speed_change((WeftRational){ 25, 1 }, (WeftRational){ 24, 1 },
                           (WeftRational){ 3, 2 }, 1, 250, 25, 16);
    EXPECT(n == 160, "25 -> 24 at 1.5: got %lld outputs", (long long)n);
    /* bad speeds and a speed in factor mode are refused */
    TimeMap m;
    plan_time_map_init(&m, PLAN_FPS, (WeftRational){ 30, 1 }, 0, (WeftRational){ 1, 30 }, 0);
    EXPECT(plan_time_map_set_speed(&m, (WeftRational){ 0, 1 }) < 0, "speed 0 accepted");
    plan_time_map_init(&m, PLAN_FACTOR, (WeftRational){ 0, 0 }, 2, (WeftRational){ 1, 30 }, 0);
    EXPECT(plan_time_map_set_speed(&m, (WeftRational){ 1, 2 }) < 0, "factor + speed accepted");
}

/* The speed setting end to end through the stream API: 5 grey frames at 25 fps with speed
 * 1/2 and fps 25 give 10 outputs; output 2i is source i copied bit-exact, output 2i+1 lies
 * between sources i and i+1 (a blend: strictly between their constant values). */
static void quiet_log(void *opaque, int level, const char *msg)
{
    (void)opaque;
    (void)level;
    (void)msg;
}

static void pipeline_settings(WeftSettings *s)
{
    weft_default_settings(s);
    s->device = WEFT_DEVICE_CPU;
    s->threads = 1;
    s->method = WEFT_METHOD_BLEND;
    s->log_level = WEFT_LOG_ERROR;
    s->log = quiet_log;
    /* the grey steps these tests use are cuts by any measure; they test timing */
    s->scene_threshold = 0.0f;
}

/* Feeds `count` pictures, then the end of the stream, through the send/get API, and calls
 * `check` on every output (its index and picture) before releasing it. Returns the number of
 * outputs, or -1 after reporting a failed call or a stream that never ended. */
typedef void (*OutputCheck)(void *opaque, int index, const WeftPicture *out);

static int drive_stream(WeftContext *c, const WeftPicture *in, int count, OutputCheck check,
                        void *opaque)
{
    int got = 0, sent = 0;
    for (;;) {
        int err = weft_send_picture(c, sent < count ? &in[sent] : NULL);
        if (err == 0) {
            sent++;
        } else if (err != -EAGAIN) {
            EXPECT(0, "send: %s", weft_strerror(err));
            return -1;
        }
        for (;;) {
            WeftPicture out;
            err = weft_get_picture(c, &out);
            if (err == WEFT_EOF)
                return got;
            if (err == -EAGAIN)
                break;
            if (err) {
                EXPECT(0, "get: %s", weft_strerror(err));
                return -1;
            }
            if (check)
                check(opaque, got, &out);
            weft_picture_unref(&out);
            got++;
        }
        if (sent > count) {
            EXPECT(0, "no end of stream after %d outputs", got);
            return -1;
        }
    }
}

static void check_half_speed(const WeftSettings *s, const char *what);

static void test_pipeline_speed(void)
{
    WeftSettings s;
    pipeline_settings(&s);
    EXPECT(weft_settings_set(&s, "speed", "0.5") == 0, "speed 0.5");
    EXPECT(s.speed.num == 1 && s.speed.den == 2, "speed %lld/%lld", (long long)s.speed.num,
           (long long)s.speed.den);
    EXPECT(weft_settings_set(&s, "speed", "0.001") == -ERANGE, "speed 0.001 accepted");
    EXPECT(weft_settings_set(&s, "speed", "101") == -ERANGE, "speed 101 accepted");
    WeftContext *c = NULL;
    EXPECT(weft_open(&c, &s) == -EINVAL, "speed without fps accepted");
    weft_close(&c);
    EXPECT(weft_settings_set(&s, "fps", "25") == 0, "fps");
    check_half_speed(&s, "speed 0.5");
}

/* Runs 5 grey frames at 25 fps through settings that play them at half speed at 25 fps. */
/* At half speed output 2k is source k, bit-exact, and output 2k+1 lies between sources k
 * and k+1 (grey levels 40 + 40 k). */
static void check_half_speed_output(void *opaque, int index, const WeftPicture *out)
{
    const int frames = *(const int *)opaque;
    EXPECT(out->pts == index && out->time_base.num == 1 && out->time_base.den == 25,
           "output %d pts %lld", index, (long long)out->pts);
    int v = out->data[0][0], lo = 40 + 40 * (index / 2);
    if (index % 2 == 0)
        EXPECT(v == lo, "output %d = %d, want source %d (%d)", index, v, index / 2, lo);
    else if (index / 2 + 1 < frames)
        EXPECT(v > lo && v < lo + 40, "output %d = %d, not between %d and %d", index, v, lo,
               lo + 40);
}

static void check_half_speed(const WeftSettings *s, const char *what)
{
    WeftContext *c = NULL;
    EXPECT(weft_open(&c, s) == 0, "%s: open", what);
    if (!c)
        return;
    enum { FRAMES = 5, W = 16, H = 8 };
    WeftPicture in[FRAMES];
    for (int f = 0; f < FRAMES; f++) {
        EXPECT(weft_picture_alloc(&in[f], W, H, WEFT_PIX_GRAY8) == 0, "alloc");
        for (int y = 0; y < H; y++)
            memset(in[f].data[0] + y * in[f].stride[0], 40 + 40 * f, W);
        in[f].pts = f;
        in[f].duration = 1;
        in[f].time_base = (WeftRational){ 1, 25 };
    }
    int frames = FRAMES;
    int got = drive_stream(c, in, FRAMES, check_half_speed_output, &frames);
    EXPECT(got == 2 * FRAMES, "%s: got %d outputs, want %d", what, got, 2 * FRAMES);
    for (int i = 0; i < FRAMES; i++)
        weft_picture_unref(&in[i]);
    weft_close(&c);
}

static int near(double a, double b)
{
    return a - b < 1e-12 && b - a < 1e-12;
}

static PlanCurve *parse(const char *text)
{
    PlanCurve *c = NULL;
    char err[128];
    int ret = plan_curve_parse(&c, text, strlen(text), err, sizeof(err));
    EXPECT(ret == 0, "'%s' refused: %s", text, err);
    return c;
}

static void test_curves(void)
{
    /* linear ramp 1 -> 0.5 over 2 s: speed 1 - t/4, source t - t^2/8; then 0.5 holds */
    PlanCurve *c = parse("# slow down\n0 1\n2 0.5   # half speed\n");
    if (c) {
        EXPECT(near(plan_curve_source_time(c, 1), 0.875), "ramp at 1");
        EXPECT(near(plan_curve_source_time(c, 2), 1.5), "ramp at 2");
        EXPECT(near(plan_curve_source_time(c, 4), 2.5), "ramp at 4");
    }
    plan_curve_free(&c);
    /* smooth 1 -> 3 over 1 s: speed 1 + 2 (3u^2 - 2u^3), source u + 2 (u^3 - u^4 / 2) */
    c = parse("ease smooth\r\n0 1\r\n1 3\r\n");
    if (c) {
        EXPECT(near(plan_curve_source_time(c, 0.5), 0.6875), "smooth at 0.5");
        EXPECT(near(plan_curve_source_time(c, 1), 2), "smooth at 1");
        EXPECT(near(plan_curve_source_time(c, 2), 5), "smooth at 2 (3 holds)");
    }
    plan_curve_free(&c);
    /* keyframe after 0: the first speed holds before it */
    c = parse("1 2\n2 2");
    if (c)
        EXPECT(near(plan_curve_source_time(c, 0.5), 1), "before first keyframe");
    plan_curve_free(&c);
    /* map: linear between points, end segments extended */
    c = parse("map 0 0\nmap 2 1\n\tmap 3 3\n");
    if (c) {
        EXPECT(near(plan_curve_source_time(c, 1), 0.5), "map at 1");
        EXPECT(near(plan_curve_source_time(c, 2.5), 2), "map at 2.5");
        EXPECT(near(plan_curve_source_time(c, 4), 5), "map at 4");
    }
    plan_curve_free(&c);

    /* a constant ramp of 0.5 is speed 0.5: 30 fps at 30 fps, output k at source frame k/2,
     * exactly (k/2 lies on the 1/65536 grid) */
    c = parse("0 0.5\n");
    TimeMap m;
    plan_time_map_init(&m, PLAN_FPS, (WeftRational){ 30, 1 }, 0, (WeftRational){ 1, 30 }, 7);
    EXPECT(c && plan_time_map_set_curve(&m, c) == 0, "set curve");
    for (int64_t k = 0; c && k < 100; k++) {
        PlanTime at;
        EXPECT(plan_fps_output_time(&m, k, &at) == 0, "time %lld", (long long)k);
        int64_t want_num = 14 + k, want_den = 2; /* 7 + k / 2 */
        plan_reduce(&want_num, &want_den);
        EXPECT(at.num == want_num && at.den == want_den, "curve output %lld at %lld/%lld",
               (long long)k, (long long)at.num, (long long)at.den);
    }
    plan_curve_free(&c);

    static const struct {
        const char *text, *error;
    } bad[] = {
        { "0 1\nabc\n", "curve line 2: expected 'TIME SPEED', got 'abc'" },
        { "# c\n\n0 1\n1 0\n", "curve line 4: expected a speed in 0.01..100, got '0'" },
        { "0 1\n0 2\n", "curve line 2: expected times after the previous line's" },
        { "map 0 0\n1 1\n", "curve line 2: expected 'map OUT_TIME SRC_TIME', got '1 1'" },
        { "map 0 0\nmap 1 0\n", "curve line 2: expected times after" },
        { "map 0 0\n", "curve line 1: expected a second 'map OUT_TIME SRC_TIME' line" },
        { "0 1\nmap 1 1\n", "curve line 2: expected 'TIME SPEED', got 'map 1 1'" },
        { "ease fast\n0 1\n", "curve line 1: expected 'ease linear' or 'ease smooth'" },
        { "0 1\nease smooth\n", "curve line 2: 'ease' must come before" },
        { "0 1 2\n", "curve line 1: expected 'TIME SPEED', got '0 1 2'" },
        { "-1 1\n", "curve line 1: expected 'TIME SPEED', got '-1 1'" },
        { "1e3 1\n", "curve line 1: expected 'TIME SPEED'" },
        { "# nothing\n", "curve line 1: expected a 'TIME SPEED' or 'map OUT_TIME SRC_TIME' line" },
        { "", "curve line 0: expected" },
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char err[160] = "";
        c = NULL;
        int ret = plan_curve_parse(&c, bad[i].text, strlen(bad[i].text), err, sizeof(err));
        EXPECT(ret == -EINVAL && !c, "'%s' accepted", bad[i].text);
        EXPECT(!strncmp(err, bad[i].error, strlen(bad[i].error)), "'%s': got \"%s\" want \"%s\"",
               bad[i].text, err, bad[i].error);
        plan_curve_free(&c);
    }
    char nul[] = "0 1\n\0";
    c = NULL;
    EXPECT(plan_curve_parse(&c, nul, sizeof(nul), NULL, 0) == -EINVAL, "NUL accepted");
}

/* The curve setting through weft_open: a file read at open, a bad one refused there. */
static void test_pipeline_curve(void)
{
    char path[] = "/tmp/weft_test_curveXXXXXX";
    int fd = mkstemp(path);
    EXPECT(fd >= 0, "mkstemp");
    if (fd < 0)
        return;
    FILE *f = fdopen(fd, "w");
    fputs("# half speed throughout\n0 0.5\n", f);
    fclose(f);
    WeftSettings s;
    pipeline_settings(&s);
    EXPECT(weft_settings_set(&s, "curve", path) == 0, "curve");
    WeftContext *c = NULL;
    EXPECT(weft_open(&c, &s) == -EINVAL, "curve without fps accepted");
    weft_close(&c);
    EXPECT(weft_settings_set(&s, "fps", "25") == 0, "fps");
    EXPECT(weft_settings_set(&s, "speed", "2") == 0, "speed");
    EXPECT(weft_open(&c, &s) == -EINVAL, "curve with speed accepted");
    weft_close(&c);
    EXPECT(weft_settings_set(&s, "speed", "1") == 0, "speed 1");
    check_half_speed(&s, "curve 0 0.5");
    f = fopen(path, "w");
    fputs("0 0.5\nfast\n", f);
    fclose(f);
    EXPECT(weft_open(&c, &s) == -EINVAL && !c, "bad curve file accepted");
    remove(path);
    EXPECT(weft_open(&c, &s) == -ENOENT && !c, "missing curve file accepted");
}

/* Runs 4 grey frames (values given) at factor 2 and returns the value of each output. */
/* Keeps the first 16 outputs' top-left grey level. */
static void record_grey_output(void *opaque, int index, const WeftPicture *out)
{
    if (index < 16)
        ((int *)opaque)[index] = out->data[0][0];
}

static int run_grey(const WeftSettings *s, const int *values, int frames, int *got_values)
{
    WeftContext *c = NULL;
    EXPECT(weft_open(&c, s) == 0, "open");
    if (!c)
        return 0;
    WeftPicture in[8];
    for (int f = 0; f < frames; f++) {
        EXPECT(weft_picture_alloc(&in[f], 24, 16, WEFT_PIX_GRAY8) == 0, "alloc");
        for (int y = 0; y < 16; y++)
            memset(in[f].data[0] + y * in[f].stride[0], values[f], 24);
        in[f].pts = f;
        in[f].duration = 1;
        in[f].time_base = (WeftRational){ 1, 25 };
    }
    int got = drive_stream(c, in, frames, record_grey_output, got_values);
    for (int i = 0; i < frames; i++)
        weft_picture_unref(&in[i]);
    weft_close(&c);
    return got;
}

/* Scene cuts: two "shots" (grey 40, then grey 200) at factor 2. With the default threshold
 * the in-between at the cut is the earlier picture (t = 1/2 goes to the earlier one); with
 * threshold 0 it is the blend. Inside a shot nothing changes either way. */
static void test_scene_cut(void)
{
    WeftSettings s;
    weft_default_settings(&s);
    EXPECT(s.scene_threshold > 0.29f && s.scene_threshold < 0.31f, "default threshold %g",
           s.scene_threshold);
    pipeline_settings(&s);
    EXPECT(weft_settings_set(&s, "scene-threshold", "1.5") == -ERANGE, "1.5 accepted");
    EXPECT(weft_settings_set(&s, "scene-threshold", "x") == -EINVAL, "x accepted");
    EXPECT(weft_settings_set(&s, "scene-threshold", "0.0") == 0 && s.scene_threshold == 0.0f,
           "0.0");
    EXPECT(weft_settings_set(&s, "scene-threshold", "0.3") == 0, "0.3");
    const int values[4] = { 40, 40, 200, 200 };
    int out[16] = { 0 };
    int n = run_grey(&s, values, 4, out);
    EXPECT(n == 8, "got %d outputs", n);
    const int want_cut[8] = { 40, 40, 40, 40, 200, 200, 200, 200 };
    for (int i = 0; i < 8 && i < n; i++)
        EXPECT(out[i] == want_cut[i], "with cuts: output %d = %d, want %d", i, out[i],
               want_cut[i]);
    EXPECT(weft_settings_set(&s, "scene-threshold", "0") == 0, "0");
    n = run_grey(&s, values, 4, out);
    EXPECT(n == 8 && out[3] == 120, "threshold 0: output 3 = %d, want the blend 120", out[3]);
}

/* Repeated pictures: grey drawings on twos (each picture twice) at the input's rate. keep
 * shows the repeats as given; smooth places each drawing at its first picture and puts the
 * blend between drawings where the repeat was; the last drawing holds to the end. A hold of
 * 5 pictures stays still with smooth (motion starts at its last repeat) and is crossed
 * linearly with drop. */
static void test_dup(void)
{
    WeftSettings s;
    pipeline_settings(&s);
    EXPECT(s.dup == WEFT_DUP_KEEP, "default dup %d", s.dup);
    EXPECT(weft_settings_set(&s, "dup", "twos") == -EINVAL, "dup twos accepted");
    EXPECT(weft_settings_set(&s, "dup-threshold", "1.5") == -ERANGE, "threshold 1.5");
    EXPECT(weft_settings_set(&s, "dup-threshold", "nan") == -EINVAL, "threshold nan");
    EXPECT(weft_settings_set(&s, "dup", "smooth") == 0, "dup smooth");
    WeftContext *c = NULL;
    EXPECT(weft_open(&c, &s) == -EINVAL && !c, "dup smooth in factor mode accepted");
    EXPECT(weft_settings_set(&s, "fps", "25") == 0, "fps");

    const int twos[6] = { 40, 40, 120, 120, 200, 200 };
    const int want_smooth[6] = { 40, 80, 120, 160, 200, 200 };
    int out[16] = { 0 };
    int n = run_grey(&s, twos, 6, out);
    EXPECT(n == 6, "smooth: %d outputs", n);
    for (int i = 0; i < 6 && i < n; i++)
        EXPECT(out[i] == want_smooth[i], "smooth: output %d = %d, want %d", i, out[i],
               want_smooth[i]);
    EXPECT(weft_settings_set(&s, "dup", "keep") == 0, "dup keep");
    n = run_grey(&s, twos, 6, out);
    EXPECT(n == 6, "keep: %d outputs", n);
    for (int i = 0; i < 6 && i < n; i++)
        EXPECT(out[i] == twos[i], "keep: output %d = %d, want %d", i, out[i], twos[i]);

    /* a hold of 5, then a new drawing, at twice the rate */
    const int hold[6] = { 40, 40, 40, 40, 40, 200 };
    EXPECT(weft_settings_set(&s, "fps", "50") == 0, "fps 50");
    EXPECT(weft_settings_set(&s, "dup", "smooth") == 0, "dup smooth");
    n = run_grey(&s, hold, 6, out);
    EXPECT(n == 12, "hold smooth: %d outputs", n);
    for (int i = 0; i < 9 && i < n; i++)
        EXPECT(out[i] == 40, "hold smooth: output %d = %d moves", i, out[i]);
    EXPECT(out[9] == 120 && out[10] == 200, "hold smooth: outputs 9, 10 = %d, %d, want 120, 200",
           out[9], out[10]);
    EXPECT(weft_settings_set(&s, "dup", "drop") == 0, "dup drop");
    n = run_grey(&s, hold, 6, out);
    EXPECT(n == 12, "hold drop: %d outputs", n);
    /* output k at source time k / 2 of the 0 -> 5 crossing: 40 + 160 k / 10 */
    for (int i = 0; i <= 10 && i < n; i++)
        EXPECT(abs(out[i] - (40 + 16 * i)) <= 1, "hold drop: output %d = %d, want %d", i,
               out[i], 40 + 16 * i);
}

/* Motion blur: a bar BAR_W pixels wide moving BAR_SPEED pixels per picture on black. Each
 * output's column profile is the bar (a box) convolved with the smear of the exposure (a box
 * of length L), so its variance is (BAR_W^2 - 1) / 12 + L^2 / 12: L is measured from the
 * variance and must be BAR_SPEED x (output interval in pictures) x shutter / 360. The
 * exposure is centred on the output's time, at source pictures too (the part before them
 * comes from the previous pair), except for the first output, which has none. */
#define BAR_W 12
#define BAR_SPEED 8

typedef struct SmearRecord {
    double smear[16], centre[16];
} SmearRecord;

static void record_smear(void *opaque, int index, const WeftPicture *out)
{
    SmearRecord *r = opaque;
    double mass = 0, first = 0, second = 0;
    for (int y = 0; y < out->height; y++) {
        for (int x = 0; x < out->width; x++) {
            double v = out->data[0][y * out->stride[0] + x];
            mass += v;
            first += v * x;
            second += v * x * x;
        }
    }
    double mean = first / mass, variance = second / mass - mean * mean;
    double l2 = 12.0 * variance - (BAR_W * BAR_W - 1);
    if (index < 16) {
        r->smear[index] = l2 > 0 ? sqrt(l2) : 0.0;
        r->centre[index] = mean;
    }
}

static void test_shutter(void)
{
    WeftSettings s;
    pipeline_settings(&s);
    s.method = WEFT_METHOD_FLOW;
    s.quality = WEFT_QUALITY_HIGH;
    EXPECT(s.shutter == 0.0f, "default shutter %g", s.shutter);
    EXPECT(weft_settings_set(&s, "shutter", "361") == -ERANGE, "shutter 361 accepted");
    EXPECT(weft_settings_set(&s, "shutter", "wide") == -EINVAL, "shutter wide accepted");
    enum { FRAMES = 8, W = 96, H = 16 };
    WeftPicture in[FRAMES];
    for (int f = 0; f < FRAMES; f++) {
        EXPECT(weft_picture_alloc(&in[f], W, H, WEFT_PIX_GRAY8) == 0, "alloc");
        for (int y = 0; y < H; y++) {
            memset(in[f].data[0] + y * in[f].stride[0], 0, W);
            memset(in[f].data[0] + y * in[f].stride[0] + 16 + BAR_SPEED * f, 200, BAR_W);
        }
        in[f].pts = f;
        in[f].duration = 1;
        in[f].time_base = (WeftRational){ 1, 25 };
    }
    /* outputs checked: first .. first + count - 1; 10 fps: exposures of 2 and 2.5 source
     * intervals, over three pairs (output 0's moved to start at the first picture, so it
     * overlaps output 1's) */
    const struct {
        const char *fps, *shutter;
        double interval; /* output frame interval in source pictures */
        int first, count;
    } cases[] = { { "25", "0", 1, 0, 4 },     { "25", "180", 1, 0, 4 },
                  { "25", "360", 1, 0, 4 },   { "50", "360", 0.5, 0, 8 },
                  { "50", "180", 0.5, 0, 8 }, { "10", "360", 2.5, 0, 3 },
                  { "10", "288", 2.5, 0, 3 } };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        EXPECT(weft_settings_set(&s, "fps", cases[i].fps) == 0 &&
                   weft_settings_set(&s, "shutter", cases[i].shutter) == 0,
               "settings");
        double want = BAR_SPEED * cases[i].interval * atof(cases[i].shutter) / 360.0;
        WeftContext *c = NULL;
        EXPECT(weft_open(&c, &s) == 0, "open");
        SmearRecord r = { { 0 } };
        int n = c ? drive_stream(c, in, FRAMES, record_smear, &r) : 0;
        weft_close(&c);
        /* not the last picture's outputs: it has no pair to blur */
        int checked = cases[i].first + cases[i].count;
        EXPECT(n > checked, "fps %s: %d outputs", cases[i].fps, n);
        double lo = 1e9, hi = -1e9, off = 0.0;
        for (int k = cases[i].first; k < checked && k < n; k++) {
            double centre = 16 + (BAR_W - 1) / 2.0 + BAR_SPEED * cases[i].interval * k;
            lo = fmin(lo, r.smear[k]);
            hi = fmax(hi, r.smear[k]);
            off = k ? fmax(off, fabs(r.centre[k] - centre)) : off;
        }
        printf("shutter: fps %s, %s degrees: smear %.2f..%.2f px (want %.2f), centre off by "
               "<= %.2f px (outputs %d..%d)\n", cases[i].fps, cases[i].shutter, lo, hi, want,
               off, cases[i].first, checked - 1);
        for (int k = cases[i].first; k < checked && k < n; k++) {
            EXPECT(fabs(r.smear[k] - want) <= 1.0,
                   "fps %s shutter %s: output %d smear %.2f px, want %.2f", cases[i].fps,
                   cases[i].shutter, k, r.smear[k], want);
            double centre = 16 + (BAR_W - 1) / 2.0 + BAR_SPEED * cases[i].interval * k;
            EXPECT(k == 0 || fabs(r.centre[k] - centre) <= 0.5,
                   "fps %s shutter %s: output %d centred at %.2f px, want %.2f", cases[i].fps,
                   cases[i].shutter, k, r.centre[k], centre);
        }
    }
    for (int f = 0; f < FRAMES; f++)
        weft_picture_unref(&in[f]);
}

/* A long exposure (10 fps from 25 at 360 degrees: 2.5 source intervals) never reaches
 * across a scene cut: two shots of different backgrounds (0, then 180), each output's
 * background is one or the other; with the cut test off (threshold 0) some output mixes. */
typedef struct CornerRecord {
    int count, mixed;
} CornerRecord;

static void record_corner(void *opaque, int index, const WeftPicture *out)
{
    (void)index;
    CornerRecord *r = opaque;
    int v = out->data[0][out->width - 1];
    r->count++;
    r->mixed += v > 2 && v < 178;
}

static void test_shutter_cut(void)
{
    enum { FRAMES = 8, W = 96, H = 16 };
    WeftPicture in[FRAMES];
    for (int f = 0; f < FRAMES; f++) {
        EXPECT(weft_picture_alloc(&in[f], W, H, WEFT_PIX_GRAY8) == 0, "alloc");
        int shot_b = f >= FRAMES / 2;
        for (int y = 0; y < H; y++) {
            memset(in[f].data[0] + y * in[f].stride[0], shot_b ? 180 : 0, W);
            memset(in[f].data[0] + y * in[f].stride[0] + 16 + BAR_SPEED * f, shot_b ? 40 : 200,
                   BAR_W);
        }
        in[f].pts = f;
        in[f].duration = 1;
        in[f].time_base = (WeftRational){ 1, 25 };
    }
    for (int cut_test = 1; cut_test >= 0; cut_test--) {
        WeftSettings s;
        pipeline_settings(&s);
        if (cut_test) {
            WeftSettings defaults;
            weft_default_settings(&defaults);
            s.scene_threshold = defaults.scene_threshold;
        }
        EXPECT(weft_settings_set(&s, "fps", "10") == 0 &&
                   weft_settings_set(&s, "shutter", "360") == 0,
               "settings");
        WeftContext *c = NULL;
        EXPECT(weft_open(&c, &s) == 0, "open");
        CornerRecord r = { 0, 0 };
        if (c)
            drive_stream(c, in, FRAMES, record_corner, &r);
        weft_close(&c);
        EXPECT(r.count >= 3, "%d outputs", r.count);
        if (cut_test)
            EXPECT(r.mixed == 0, "%d of %d outputs mix the shots across the cut", r.mixed,
                   r.count);
        else
            EXPECT(r.mixed > 0, "no output mixes the shots with the cut test off");
    }
    for (int f = 0; f < FRAMES; f++)
        weft_picture_unref(&in[f]);
}

static void test_factor_vfr(void)
{
    /* VFR source at pts 0, 3, 4, 10 (ms); factor 2 puts one output midway in each interval */
    TimeMap m;
    EXPECT(plan_time_map_init(&m, PLAN_FACTOR, (WeftRational){ 0, 0 }, 2,
                              (WeftRational){ 1, 1000 }, 0) == 0, "init");
    EXPECT(m.out_tb.num == 1 && m.out_tb.den == 2000, "out tb");
    const int64_t src[] = { 0, 3, 4, 10 };
    const int64_t want_pts[] = { 0, 3, 6, 7, 8, 14 };
    int o = 0;
    for (int i = 0; i + 1 < 4; i++) {
        for (int j = 0; j < 2; j++, o++) {
            PlanTime at;
            int64_t pts, t_num, t_den;
            plan_factor_output_time(&m, src[i], src[i + 1] - src[i], j, &at, &pts);
            plan_locate(at, src[i], src[i + 1], &t_num, &t_den);
            EXPECT(pts == want_pts[o], "output %d pts %lld want %lld", o, (long long)pts,
                   (long long)want_pts[o]);
            EXPECT(j == 0 ? t_num == 0 : (t_num == 1 && t_den == 2), "output %d t %lld/%lld", o,
                   (long long)t_num, (long long)t_den);
        }
    }
}

static void test_bad_arguments(void)
{
    TimeMap m;
    EXPECT(plan_time_map_init(&m, PLAN_FPS, (WeftRational){ 0, 1 }, 0, (WeftRational){ 1, 25 },
                              0) < 0, "fps 0 accepted");
    EXPECT(plan_time_map_init(&m, PLAN_FACTOR, (WeftRational){ 0, 0 }, 0,
                              (WeftRational){ 1, 25 }, 0) < 0, "factor 0 accepted");
    EXPECT(plan_time_map_init(&m, PLAN_FPS, (WeftRational){ 60, 1 }, 0, (WeftRational){ 0, 25 },
                              0) < 0, "time base 0 accepted");
}

/* The stream pipeline at the input rate only copies: every output must equal its input
 * sample for sample (10-bit 4:2:0), with the input's pts, in order, and nothing extra. */
typedef struct CopiesExpected {
    const WeftPicture *in;
    int frames, w, h;
} CopiesExpected;

/* Output k of a stream at the input rate is input k, sample for sample (10-bit 4:2:0), with
 * its pts. */
static void check_copy_output(void *opaque, int index, const WeftPicture *out)
{
    const CopiesExpected *e = opaque;
    EXPECT(index < e->frames, "extra output");
    if (index >= e->frames)
        return;
    const WeftPicture *src = &e->in[index];
    EXPECT(out->pts == src->pts && out->time_base.den == 1000, "pts %lld", (long long)out->pts);
    int same = 1;
    for (int p = 0; p < 3; p++) {
        int pw = p ? (e->w + 1) / 2 : e->w, ph = p ? (e->h + 1) / 2 : e->h;
        for (int y = 0; y < ph; y++)
            same &= !memcmp(out->data[p] + y * out->stride[p], src->data[p] + y * src->stride[p],
                            (size_t)pw * 2);
    }
    EXPECT(same, "output %d differs from its input", index);
}

static void test_pipeline_copies(void)
{
    WeftSettings s;
    weft_default_settings(&s);
    s.device = WEFT_DEVICE_CPU;
    s.threads = 1;
    s.factor = 1;
    s.log_level = WEFT_LOG_ERROR;
    WeftContext *c = NULL;
    EXPECT(weft_open(&c, &s) == 0, "open");
    if (!c)
        return;
    enum { FRAMES = 7, W = 37, H = 21 };
    WeftPicture in[FRAMES];
    unsigned seed = 1;
    for (int f = 0; f < FRAMES; f++) {
        EXPECT(weft_picture_alloc(&in[f], W, H, WEFT_PIX_YUV420P10) == 0, "alloc");
        for (int p = 0; p < 3; p++) {
            int pw = p ? (W + 1) / 2 : W, ph = p ? (H + 1) / 2 : H;
            for (int y = 0; y < ph; y++)
                for (int x = 0; x < pw; x++) {
                    seed = seed * 1103515245u + 12345u;
                    ((uint16_t *)(in[f].data[p] + y * in[f].stride[p]))[x] = (seed >> 8) & 1023;
                }
        }
        in[f].pts = 1000 + 40 * f;
        in[f].time_base = (WeftRational){ 1, 1000 };
    }
    CopiesExpected expected = { in, FRAMES, W, H };
    int got = drive_stream(c, in, FRAMES, check_copy_output, &expected);
    /* the last frame has no duration: it lasts as long as the one before, one output */
    EXPECT(got == FRAMES, "got %d outputs, want %d", got, FRAMES);
    for (int i = 0; i < FRAMES; i++)
        weft_picture_unref(&in[i]);
    weft_close(&c);
}

int main(void)
{
    test_ntsc_two_hours();
    test_25_to_24();
    test_30_to_60();
    test_speed();
    test_pipeline_speed();
    test_curves();
    test_pipeline_curve();
    test_scene_cut();
    test_dup();
    test_shutter();
    test_shutter_cut();
    test_factor_vfr();
    test_bad_arguments();
    test_pipeline_copies();
    printf("%s (%d failures)\n", failures ? "FAIL" : "ok", failures);
    return failures ? 1 : 0;
}
