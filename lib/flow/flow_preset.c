/* The presets. Parameters follow the DIS paper's operating points (patch 8, overlap, a
 * few Gauss-Newton steps) and the variational weights of its refinement, in units of
 * normalised constraints (ops/var_weights.h), so they hold for luma in [0, 1]. */
#include <errno.h>

#include "flow/flow_preset.h"
#include "weft/weft.h"

static const FlowPreset presets[] = {
    [WEFT_QUALITY_FAST] =
        {
            .max_levels = 8,
            .coarsest_min_size = 8,
            .finest_level = 2,
            .dis_finest_level = 2,
            .patch_size = 8,
            .patch_stride = 4,
            .dis_iterations = 8,
            .dis_propagations = 0,
            .dis_propagation_iterations = 4,
            .var_warps = 1,
            .var_outer = 2,
            .var_inner = 3,
            .sor_omega = 1.6f,
            .alpha = 20.0f,
            .delta = 5.0f,
            .gamma = 10.0f,
            .zeta_sq = 1.5e-7f,
            .median_radius = 0,
        },
    [WEFT_QUALITY_MEDIUM] =
        {
            .max_levels = 8,
            .coarsest_min_size = 8,
            .finest_level = 0,
            .dis_finest_level = 1,
            .patch_size = 8,
            .patch_stride = 3,
            .dis_iterations = 16,
            .dis_propagations = 2, /* a second propagation pass carries large displacements further */
            .dis_propagation_iterations = 4,
            .var_warps = 2,
            .var_outer = 5,
            .var_inner = 5,
            .sor_omega = 1.6f,
            .alpha = 15.0f, /* less smoothing: the extra propagation already regularises */
            .delta = 5.0f,
            .gamma = 10.0f,
            .zeta_sq = 1.5e-7f,
            .median_radius = 0,
        },
    [WEFT_QUALITY_HIGH] =
        {
            .max_levels = 8,
            .coarsest_min_size = 8,
            .finest_level = 0,
            .dis_finest_level = 0,
            .patch_size = 8,
            .patch_stride = 2,
            .dis_iterations = 32,
            .dis_propagations = 2,
            .dis_propagation_iterations = 4,
            .var_warps = 3,
            .var_outer = 5,
            .var_inner = 5,
            .sor_omega = 1.6f,
            .alpha = 20.0f,
            .delta = 5.0f,
            .gamma = 10.0f,
            .zeta_sq = 1.5e-7f,
            .median_radius = 0,
        },
};

int flow_preset_get(int quality, FlowPreset *p)
{
    if (quality < 0 || quality >= (int)(sizeof(presets) / sizeof(presets[0])))
        return -EINVAL;
    *p = presets[quality];
    return 0;
}
