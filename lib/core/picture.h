#ifndef WEFT_CORE_PICTURE_H
#define WEFT_CORE_PICTURE_H

#include <stddef.h>

#include "weft/weft.h"

void picture_plane_size(const WeftFormatInfo *fi, int width, int height, int plane,
                        size_t *row_bytes, int *rows);
/* Deep copy of src's planes and metadata into a newly allocated dst. */
int picture_clone(WeftPicture *dst, const WeftPicture *src);

#endif
