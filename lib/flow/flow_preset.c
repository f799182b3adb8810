/* The presets. Parameters follow the DIS paper's operating points (patch 8, overlap, a
 * few Gauss-Newton steps) and the variational weights of its refinement, in units of
 * normalised constraints (ops/var_weights.h), so they hold for luma in [0, 1]. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flow/flow_preset.h"
#include "weft/weft.h"

static const FlowPreset presets[] = {
    [WEFT_QUALITY_FAST] = {
        .max_levels = 8, .coarsest_min_size = 8, .finest_level = 2, .dis_finest_level = 2,
        .patch_size = 8, .patch_stride = 4, .dis_iterations = 8, .dis_propagations = 0,
        .dis_propagation_iterations = 4, .var_warps = 1, .var_outer = 2, .var_inner = 3,
        .sor_omega = 1.6f, .alpha = 20.0f, .delta = 5.0f, .gamma = 10.0f,
        .zeta_sq = 1.5e-7f, .median_radius = 0,
    },
    [WEFT_QUALITY_MEDIUM] = {
        .max_levels = 8, .coarsest_min_size = 8, .finest_level = 0, .dis_finest_level = 1,
        .patch_size = 8, .patch_stride = 3, .dis_iterations = 16, .dis_propagations = 1,
        .dis_propagation_iterations = 4, .var_warps = 1, .var_outer = 5, .var_inner = 5,
        .sor_omega = 1.6f, .alpha = 20.0f, .delta = 5.0f, .gamma = 10.0f,
        .zeta_sq = 1.5e-7f, .median_radius = 0,
    },
    [WEFT_QUALITY_HIGH] = {
        .max_levels = 8, .coarsest_min_size = 8, .finest_level = 0, .dis_finest_level = 0,
        .patch_size = 8, .patch_stride = 2, .dis_iterations = 32, .dis_propagations = 2,
        .dis_propagation_iterations = 4, .var_warps = 3, .var_outer = 5, .var_inner = 5,
        .sor_omega = 1.6f, .alpha = 20.0f, .delta = 5.0f, .gamma = 10.0f,
        .zeta_sq = 1.5e-7f, .median_radius = 0,
    },
};

/* Development hook: WEFT_FLOW_PARAMS="name=value,..." overrides preset fields. */
static void apply_overrides(FlowPreset *p)
{
    const char *env = getenv("WEFT_FLOW_PARAMS");
    if (!env)
        return;
    char buf[512];
    snprintf(buf, sizeof(buf), "%s", env);
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '=');
        if (!eq)
            continue;
        *eq = 0;
        double v = atof(eq + 1);
#define F(name)                                                                            \
    if (!strcmp(tok, #name))                                                               \
        p->name = (__typeof__(p->name))v;
        F(max_levels) F(coarsest_min_size) F(finest_level) F(dis_finest_level) F(patch_size)
        F(patch_stride) F(dis_iterations) F(dis_propagations) F(dis_propagation_iterations)
        F(var_warps) F(var_outer) F(var_inner) F(sor_omega) F(alpha) F(delta) F(gamma)
        F(zeta_sq) F(median_radius)
#undef F
    }
}

int flow_preset_get(int quality, FlowPreset *p)
{
    if (quality < 0 || quality >= (int)(sizeof(presets) / sizeof(presets[0])))
        return -EINVAL;
    *p = presets[quality];
    apply_overrides(p);
    return 0;
}
