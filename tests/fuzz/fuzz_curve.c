/* Fuzz target: the retiming curve parser (lib/plan/curve.c) on arbitrary bytes, and the
 * time map that follows a curve. Properties checked on every input:
 * - the result is 0, -EINVAL or -ERANGE (-ENOMEM tolerated); on error no curve is returned
 *   and the message names the curve ("curve ...");
 * - an accepted curve gives finite, non-negative source times that never go back by more
 *   than float rounding as output time grows (a slowed or sped-up clip never plays
 *   backwards);
 * - the time map at 25 fps over a curve returns times or -ERANGE, never garbage. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_target.h"
#include "plan/curve.h"
#include "plan/time_map.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536)
        return 0;
    PlanCurve *curve = (PlanCurve *)1; /* must come back NULL on error */
    char err[200];
    int ret = plan_curve_parse(&curve, (const char *)data, size, err, sizeof(err));
    FUZZ_ASSERT(ret == 0 || ret == -EINVAL || ret == -ERANGE || ret == -ENOMEM);
    if (ret < 0) {
        FUZZ_ASSERT(curve == NULL);
        FUZZ_ASSERT(ret == -ENOMEM || !strncmp(err, "curve", 5));
        return 0;
    }
    FUZZ_ASSERT(curve != NULL);
    double previous = 0;
    static const double probes[] = {0,    1e-9, 0.001, 0.04, 0.5, 1,   1.5, 2,
                                    3.25, 10,   100,   1000, 1e4, 1e5, 1e6, 2e6};
    for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
        double src = plan_curve_source_time(curve, probes[i]);
        FUZZ_ASSERT(isfinite(src) && src >= 0);
        FUZZ_ASSERT(src >= previous - 1e-9 * (1 + fabs(previous)));
        previous = src;
    }
    TimeMap map;
    FUZZ_ASSERT(plan_time_map_init(&map, PLAN_FPS, (WeftRational){25, 1}, 0,
                                   (WeftRational){1, 90000}, 1234) == 0);
    FUZZ_ASSERT(plan_time_map_set_curve(&map, curve) == 0);
    for (int64_t k = 0; k < 2000000; k = k * 3 + 1) {
        PlanTime at;
        int e = plan_fps_output_time(&map, k, &at);
        FUZZ_ASSERT(e == 0 || e == -ERANGE);
        if (e == 0)
            FUZZ_ASSERT(at.den > 0 && plan_time_cmp_pts(at, 1234) >= 0);
    }
    plan_curve_free(&curve);
    FUZZ_ASSERT(curve == NULL);
    return 0;
}
