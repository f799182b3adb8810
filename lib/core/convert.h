/* Conversion between pictures and planar float tensors on the host (the C path's own
 * code). Components are in the picture's own colour space (R,G,B[,A] or Y,U,V[,A] or Y),
 * at luma resolution, scaled to [0, 1]. Chroma is replicated up and box-averaged down,
 * so a picture that goes in and out unchanged comes back bit-exact. */
#ifndef WEFT_CORE_CONVERT_H
#define WEFT_CORE_CONVERT_H

#include "weft/weft.h"

/* Where component c of a format lives: its plane, its offset within a pixel and the step
 * between pixels there (in samples), and whether it is chroma (subsampled by the format's
 * log2_chroma_w/h). The Vulkan path's conversions (lib/placebo) read the same layout. */
void convert_component_layout(const WeftFormatInfo *fi, WeftPixelFormat f, int c, int *plane,
                              int *offset, int *step, int *chroma);
/* Number of float planes convert_to_float writes for a format (components). */
int convert_components(WeftPixelFormat format);
/* dst: components * h * w floats. */
void convert_to_float(const WeftPicture *pic, float *dst);
/* Luma in [0,1] (Y for YUV/grey, BT.601 weights for RGB) from a float tensor made by
 * convert_to_float; with alpha (component 3), composited over mid grey. dst: h * w floats. */
void convert_luma(WeftPixelFormat format, const float *planes, int w, int h, float *dst);
/* pic is allocated with the right size and format already. */
void convert_from_float(const float *src, WeftPicture *pic);

#endif
