/* Placeholder until the stream pipeline lands. */
#include <stdlib.h>

#include "core/context.h"
#include "core/pipeline.h"

void pipeline_destroy(struct Pipeline **p)
{
    if (p)
        *p = NULL;
}

int weft_send_picture(WeftContext *c, const WeftPicture *in)
{
    (void)in;
    return c ? -ENOSYS : -EINVAL;
}

int weft_get_picture(WeftContext *c, WeftPicture *out)
{
    (void)out;
    return c ? -ENOSYS : -EINVAL;
}
