/* Retiming curve files: parser and evaluation (format in curve.h, docs/CURVES.md). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/curve.h"

typedef enum CurveKind { CURVE_RAMP, CURVE_MAP } CurveKind;

typedef struct CurvePoint {
    double out;   /* output time, seconds */
    double value; /* RAMP: speed; MAP: source time, seconds */
    double src;   /* RAMP: source time at `out` (integral of the speed up to here) */
} CurvePoint;

struct PlanCurve {
    CurveKind kind;
    int smooth;
    size_t count;
    CurvePoint *points;
};

/* Largest time a file may name: ~11.6 days, far beyond any shot, and small enough that
 * source times in pts units stay well inside 64 bits. */
#define MAX_SECONDS 1e6

static void set_error(char *err, size_t err_size, const char *fmt, ...)
{
    if (!err || !err_size)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, err_size, fmt, ap);
    va_end(ap);
}

/* A plain decimal (digits, optional '.' and digits), written as such: no sign, no
 * exponent, no locale (strtod would follow the host's LC_NUMERIC). */
static int parse_decimal(const char *s, double *out)
{
    double value = 0, scale = 1;
    int digits = 0, fraction = 0;
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9') {
            if (fraction) {
                scale /= 10;
                value += (*s - '0') * scale;
            } else {
                value = value * 10 + (*s - '0');
            }
            if (++digits > 18)
                return -EINVAL;
        } else if (*s == '.' && !fraction) {
            fraction = 1;
        } else {
            return -EINVAL;
        }
    }
    if (!digits)
        return -EINVAL;
    *out = value;
    return 0;
}

/* Splits a line (already without comment) into at most `max` fields in place; returns the
 * number of fields, or max + 1 when there are more. */
static int split_fields(char *line, char **fields, int max)
{
    int n = 0;
    char *p = line;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\v' || *p == '\f')
            p++;
        if (!*p)
            return n;
        if (n == max)
            return max + 1;
        fields[n++] = p;
        while (*p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\v' && *p != '\f')
            p++;
        if (*p)
            *p++ = 0;
    }
}

/* Integral of the easing from 0 to u (u in [0, 1]) relative to a full step of 1: linear
 * e(u) = u gives u^2/2; smoothstep e(u) = 3u^2 - 2u^3 gives u^3 - u^4/2. */
static double ease_integral(int smooth, double u)
{
    return smooth ? u * u * u - u * u * u * u / 2 : u * u / 2;
}

/* Source time covered by a ramp segment from point a to point b over the first `dt`
 * seconds of it. */
static double ramp_segment(int smooth, const CurvePoint *a, const CurvePoint *b, double dt)
{
    double length = b->out - a->out;
    double u = dt / length;
    return a->value * dt + (b->value - a->value) * length * ease_integral(smooth, u);
}

static int add_point(PlanCurve *c, size_t *capacity, double out, double value)
{
    if (c->count == PLAN_CURVE_MAX_POINTS)
        return -ERANGE;
    if (c->count == *capacity) {
        size_t grown = *capacity ? *capacity * 2 : 16;
        CurvePoint *p = realloc(c->points, grown * sizeof(*p));
        if (!p)
            return -ENOMEM;
        c->points = p;
        *capacity = grown;
    }
    c->points[c->count++] = (CurvePoint){.out = out, .value = value};
    return 0;
}

int plan_curve_parse(PlanCurve **out, const char *text, size_t size, char *err, size_t err_size)
{
    if (!out)
        return -EINVAL;
    *out = NULL;
    if (!text && size)
        return -EINVAL;
    if (err && err_size)
        err[0] = 0;
    PlanCurve *c = calloc(1, sizeof(*c));
    char *line = NULL;
    size_t capacity = 0, line_capacity = 0;
    int ret = -EINVAL, line_no = 0, seen_item = 0;
    if (!c) {
        ret = -ENOMEM;
        goto fail;
    }
    if (memchr(text, 0, size)) {
        set_error(err, err_size, "curve: the file is not text (it holds a NUL byte)");
        goto fail;
    }
    size_t pos = 0;
    while (pos < size) {
        const char *start = text + pos;
        const char *nl = memchr(start, '\n', size - pos);
        size_t len = nl ? (size_t)(nl - start) : size - pos;
        pos += len + (nl ? 1 : 0);
        line_no++;
        if (len + 1 > line_capacity) {
            char *grown = realloc(line, len + 1);
            if (!grown) {
                ret = -ENOMEM;
                goto fail;
            }
            line = grown;
            line_capacity = len + 1;
        }
        memcpy(line, start, len);
        line[len] = 0;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = 0;
        char *f[4];
        int n = split_fields(line, f, 3);
        if (n == 0)
            continue;
        /* a copy of the line for messages, cut short so a long line stays readable */
        char shown[48];
        snprintf(shown, sizeof(shown), "%s%s%s%s%s", f[0], n > 1 ? " " : "", n > 1 ? f[1] : "",
                 n > 2 ? " " : "", n > 2 ? f[2] : "");
        if (!strcmp(f[0], "ease")) {
            if (seen_item) {
                set_error(err, err_size,
                          "curve line %d: 'ease' must come before the first keyframe", line_no);
                goto fail;
            }
            if (n != 2 || (strcmp(f[1], "linear") && strcmp(f[1], "smooth"))) {
                set_error(err, err_size,
                          "curve line %d: expected 'ease linear' or 'ease smooth', got '%s'",
                          line_no, shown);
                goto fail;
            }
            c->smooth = !strcmp(f[1], "smooth");
            seen_item = 1;
            continue;
        }
        int is_map = !strcmp(f[0], "map");
        if (c->count == 0)
            c->kind = is_map ? CURVE_MAP : CURVE_RAMP;
        if (is_map && c->smooth) {
            set_error(err, err_size, "curve line %d: a map takes no 'ease' line", line_no);
            goto fail;
        }
        const char *expected = c->kind == CURVE_MAP ? "map OUT_TIME SRC_TIME" : "TIME SPEED";
        double a, b;
        char **nums = is_map ? f + 1 : f;
        if (is_map != (c->kind == CURVE_MAP) || n != (is_map ? 3 : 2) ||
            parse_decimal(nums[0], &a) < 0 || parse_decimal(nums[1], &b) < 0) {
            set_error(err, err_size, "curve line %d: expected '%s', got '%s'", line_no, expected,
                      shown);
            goto fail;
        }
        if (a > MAX_SECONDS || (c->kind == CURVE_MAP && b > MAX_SECONDS)) {
            set_error(err, err_size, "curve line %d: times are at most %.0f seconds, got '%s'",
                      line_no, MAX_SECONDS, shown);
            goto fail;
        }
        if (c->kind == CURVE_RAMP && (b < 0.01 || b > 100)) {
            set_error(err, err_size, "curve line %d: expected a speed in 0.01..100, got '%s'",
                      line_no, nums[1]);
            goto fail;
        }
        if (c->count > 0) {
            const CurvePoint *last = &c->points[c->count - 1];
            if (a <= last->out || (c->kind == CURVE_MAP && b <= last->value)) {
                set_error(err, err_size,
                          "curve line %d: expected times after the previous line's (they must "
                          "strictly increase), got '%s'",
                          line_no, shown);
                goto fail;
            }
        }
        if ((ret = add_point(c, &capacity, a, b)) < 0) {
            if (ret == -ERANGE)
                set_error(err, err_size, "curve line %d: more than %d points", line_no,
                          PLAN_CURVE_MAX_POINTS);
            goto fail;
        }
        ret = -EINVAL;
        seen_item = 1;
    }
    if (c->count == 0 || (c->kind == CURVE_MAP && c->count < 2)) {
        set_error(err, err_size, "curve line %d: expected %s, got the end of the file", line_no,
                  c->count ? "a second 'map OUT_TIME SRC_TIME' line"
                           : "a 'TIME SPEED' or 'map OUT_TIME SRC_TIME' line");
        goto fail;
    }
    if (c->kind == CURVE_RAMP) {
        /* source time at each keyframe; before the first the first speed holds */
        CurvePoint *p = c->points;
        p[0].src = p[0].value * p[0].out;
        for (size_t i = 1; i < c->count; i++)
            p[i].src =
                p[i - 1].src + ramp_segment(c->smooth, &p[i - 1], &p[i], p[i].out - p[i - 1].out);
    }
    free(line);
    *out = c;
    return 0;
fail:
    free(line);
    plan_curve_free(&c);
    return ret;
}

int plan_curve_load(PlanCurve **out, const char *path, char *err, size_t err_size)
{
    if (!out || !path)
        return -EINVAL;
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        int e = errno ? -errno : -EIO;
        set_error(err, err_size, "cannot open curve file '%s': %s", path, strerror(-e));
        return e;
    }
    char *text = malloc(PLAN_CURVE_MAX_FILE + 1);
    int ret;
    if (!text) {
        ret = -ENOMEM;
        goto done;
    }
    size_t size = fread(text, 1, PLAN_CURVE_MAX_FILE + 1, f);
    if (ferror(f)) {
        set_error(err, err_size, "cannot read curve file '%s'", path);
        ret = -EIO;
        goto done;
    }
    if (size > PLAN_CURVE_MAX_FILE) {
        set_error(err, err_size, "curve file '%s' is larger than %d bytes", path,
                  PLAN_CURVE_MAX_FILE);
        ret = -EINVAL;
        goto done;
    }
    ret = plan_curve_parse(out, text, size, err, err_size);
done:
    free(text);
    fclose(f);
    return ret;
}

void plan_curve_free(PlanCurve **curve)
{
    if (!curve || !*curve)
        return;
    free((*curve)->points);
    free(*curve);
    *curve = NULL;
}

/* Index of the last point with out <= t, or -1 before the first. Binary search: outputs
 * ask in increasing order but a long ramp file should not cost O(points) per frame. */
static ptrdiff_t find_segment(const PlanCurve *c, double t)
{
    ptrdiff_t lo = -1, hi = (ptrdiff_t)c->count; /* points[lo].out <= t < points[hi].out */
    while (hi - lo > 1) {
        ptrdiff_t mid = lo + (hi - lo) / 2;
        if (c->points[mid].out <= t)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

double plan_curve_source_time(const PlanCurve *c, double t)
{
    if (t < 0)
        t = 0;
    const CurvePoint *p = c->points;
    const size_t n = c->count;
    ptrdiff_t i = find_segment(c, t);
    if (c->kind == CURVE_RAMP) {
        if (i < 0)
            return p[0].value * t;
        if ((size_t)i == n - 1)
            return p[i].src + p[i].value * (t - p[i].out);
        return p[i].src + ramp_segment(c->smooth, &p[i], &p[i + 1], t - p[i].out);
    }
    /* map: linear through the points, the end segments extended */
    size_t a = i < 0 ? 0 : (size_t)i == n - 1 ? n - 2 : (size_t)i;
    double slope = (p[a + 1].value - p[a].value) / (p[a + 1].out - p[a].out);
    double src = p[a].value + slope * (t - p[a].out);
    return src > 0 ? src : 0;
}
