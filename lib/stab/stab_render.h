/* Rendering of one stabilised picture on the device: the picture resampled through its
 * correction, then, where it leaves holes (border fill), the neighbouring pictures
 * resampled through the camera motion between them and it, nearest first, and the nearest
 * edge of the picture itself only where nothing covers. Pictures blend over a band along
 * their edges instead of meeting at hard seams. */
#ifndef WEFT_STAB_STAB_RENDER_H
#define WEFT_STAB_STAB_RENDER_H

#include "core/device.h"
#include "stab/stab_matrix.h"

/* A map from output pixels to a source picture's pixels, from one in centred coordinates
 * (frame size w x h for both). */
void stab_render_pixel_map(const StabMat *centred, int w, int h, float out[9]);

/* True when the output, seen through map `centred` (output -> source, centred
 * coordinates), lies entirely inside the source picture. */
int stab_render_covers(const StabMat *centred, int w, int h);

/* out: C x H x W; coverage: 1 x H x W scratch. sources[0] is the picture itself with
 * maps[0]; sources[1..count-1] fill holes (maps: output -> source, centred coordinates). */
int stab_render(Device *d, WeftTensor *out, WeftTensor *coverage, WeftTensor *const *sources,
                const StabMat *maps, int count);

#endif
