/* Timing charts: the t of each in-between for the spacing modes of `weft inbetween`. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spacing.h"

static int parse_unit(const char *text, char **end, double *value)
{
    errno = 0;
    *value = strtod(text, end);
    return *end != text && !errno && *value > 0.0 && *value < 1.0 ? 0 : -1;
}

static int parse_times(const char *list, int *n, double *t, char *why, size_t why_size)
{
    int count = 0;
    const char *p = list;
    for (;;) {
        char *end;
        double v;
        if (count >= SPACING_MAX) {
            snprintf(why, why_size, "more than %d times", SPACING_MAX);
            return -1;
        }
        if (parse_unit(p, &end, &v) < 0 || (*end && *end != ',')) {
            snprintf(why, why_size, "time %d ('%.*s') is not a number between 0 and 1", count + 1,
                     (int)strcspn(p, ","), p);
            return -1;
        }
        if (count > 0 && !(v > t[count - 1])) {
            snprintf(why, why_size, "times must increase (%g after %g)", v, t[count - 1]);
            return -1;
        }
        t[count++] = v;
        if (!*end)
            break;
        p = end + 1;
    }
    if (*n && *n != count) {
        snprintf(why, why_size, "%d times given but -n is %d", count, *n);
        return -1;
    }
    *n = count;
    return 0;
}

int spacing_parse(const char *spec, int *n, double *t, char *why, size_t why_size)
{
    if (!strncmp(spec, "t:", 2))
        return parse_times(spec + 2, n, t, why, why_size);
    if (*n < 1 || *n > SPACING_MAX) {
        snprintf(why, why_size, "give the number of in-betweens with -n (1..%d)", SPACING_MAX);
        return -1;
    }
    double power = 0.0;
    enum { EVEN, EASE_OUT, EASE_IN, EASE, FAVOR } mode;
    if (!strcmp(spec, "even")) {
        mode = EVEN;
    } else if (!strcmp(spec, "ease-out")) {
        mode = EASE_OUT;
    } else if (!strcmp(spec, "ease-in")) {
        mode = EASE_IN;
    } else if (!strcmp(spec, "ease")) {
        mode = EASE;
    } else if (!strncmp(spec, "favor:", 6)) {
        char *end;
        double f;
        if (parse_unit(spec + 6, &end, &f) < 0 || *end) {
            snprintf(why, why_size, "favor needs a number between 0 and 1 (favor:0.3), not '%s'",
                     spec + 6);
            return -1;
        }
        mode = FAVOR;
        power = log(f) / log(0.5);
    } else {
        snprintf(why, why_size,
                 "unknown spacing '%s' (even, ease-in, ease-out, ease, favor:F or t:T1,T2,...)",
                 spec);
        return -1;
    }
    for (int k = 1; k <= *n; k++) {
        double u = (double)k / (*n + 1);
        switch (mode) {
        case EVEN:
            t[k - 1] = u;
            break;
        case EASE_OUT:
            t[k - 1] = u * u;
            break;
        case EASE_IN:
            t[k - 1] = 1.0 - (1.0 - u) * (1.0 - u);
            break;
        case EASE:
            t[k - 1] = u * u * (3.0 - 2.0 * u);
            break;
        case FAVOR:
            t[k - 1] = pow(u, power);
            break;
        }
    }
    return 0;
}
