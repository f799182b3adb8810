/* The op table: one row per op. Add a new op here, in lib/ops/meson.build and in
 * shaders/meson.build. */
#include <string.h>

#include "ops/op.h"
#include "ops/warp.h"
#include "ops/downsample.h"
#include "ops/resize.h"
#include "ops/dis_search.h"
#include "ops/dis_densify.h"
#include "ops/var_derivs.h"
#include "ops/var_weights.h"
#include "ops/var_sor.h"
#include "ops/add_scaled.h"
#include "ops/median.h"
#include "ops/occlusion.h"
#include "ops/synth_merge.h"
#include "ops/nn_conv.h"
#include "ops/nn_conv_wino.h"
#include "ops/nn_deconv.h"
#include "ops/nn_unary.h"
#include "ops/nn_pixel_shuffle.h"
#include "ops/nn_resize.h"
#include "ops/nn_copy.h"
#include "ops/nn_binary.h"
#include "ops/nn_warp.h"
#include "ops/nn_pad.h"
#include "ops/scene_stats.h"
#include "ops/block_diff.h"
#include "ops/anime_arc.h"
#include "ops/anime_merge.h"
#include "ops/anime_tiles.h"
#include "ops/anime_warp.h"
#include "ops/warp_homography.h"

const OpInfo *const op_table[] = {
    &op_info_warp,
    &op_info_downsample,
    &op_info_resize,
    &op_info_dis_search,
    &op_info_dis_densify,
    &op_info_var_derivs,
    &op_info_var_weights,
    &op_info_var_sor,
    &op_info_add_scaled,
    &op_info_median,
    &op_info_occlusion,
    &op_info_synth_merge,
    &op_info_nn_conv,
    &op_info_nn_conv_sg,
    &op_info_nn_conv_wino,
    &op_info_nn_conv_wino_f16,
    &op_info_nn_conv_f16,
    &op_info_nn_conv_sg_f16,
    &op_info_nn_deconv,
    &op_info_nn_deconv_sg,
    &op_info_nn_deconv_f16,
    &op_info_nn_deconv_sg_f16,
    &op_info_nn_unary,
    &op_info_nn_unary_f16,
    &op_info_nn_pixel_shuffle,
    &op_info_nn_pixel_shuffle_tx,
    &op_info_nn_pixel_shuffle_f16,
    &op_info_nn_pixel_shuffle_tx_f16,
    &op_info_nn_resize,
    &op_info_nn_resize_tx,
    &op_info_nn_resize_f16,
    &op_info_nn_resize_tx_f16,
    &op_info_nn_copy,
    &op_info_nn_copy_f16,
    &op_info_nn_binary,
    &op_info_nn_binary_tx,
    &op_info_nn_binary_f16,
    &op_info_nn_binary_tx_f16,
    &op_info_nn_warp,
    &op_info_nn_warp_tx,
    &op_info_nn_warp_f16,
    &op_info_nn_warp_tx_f16,
    &op_info_nn_pad,
    &op_info_nn_pad_tx,
    &op_info_nn_pad_f16,
    &op_info_nn_pad_tx_f16,
    &op_info_nn_pad_out_f16,
    &op_info_nn_pad_out_tx_f16,
    &op_info_scene_stats,
    &op_info_block_diff,
    &op_info_anime_warp,
    &op_info_anime_tiles,
    &op_info_anime_merge,
    &op_info_anime_arc,
    &op_info_warp_homography,
    NULL,
};

const OpInfo *op_find(const char *name)
{
    for (int i = 0; op_table[i]; i++)
        if (!strcmp(op_table[i]->name, name))
            return op_table[i];
    return NULL;
}
