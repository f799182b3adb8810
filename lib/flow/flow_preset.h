/* Flow presets: how much work each WeftFlowQuality does (flow.c reads them). */
#ifndef WEFT_FLOW_FLOW_PRESET_H
#define WEFT_FLOW_FLOW_PRESET_H

typedef struct FlowPreset {
    int max_levels;        /* pyramid levels above the finest (upper bound) */
    int coarsest_min_size; /* smallest width/height a pyramid level may have */
    int finest_level;      /* finest level computed (0 = full resolution) */
    int dis_finest_level;  /* DIS runs on levels >= this (and >= finest_level) */
    int patch_size, patch_stride;
    int dis_iterations;   /* Gauss-Newton steps of the first DIS pass */
    int dis_propagations; /* parallel propagation passes after it */
    int dis_propagation_iterations;
    int var_warps; /* variational refinement: re-linearisations per level */
    int var_outer; /* lagged-nonlinearity steps per warp */
    int var_inner; /* red-black SOR sweeps per step */
    float sor_omega;
    float alpha, delta, gamma, zeta_sq; /* see ops/var_weights.h */
    int median_radius;                  /* 0: no median filter between warps */
} FlowPreset;

/* Fills *p for a WeftFlowQuality. Returns -EINVAL for an unknown quality. */
int flow_preset_get(int quality, FlowPreset *p);

#endif
