/* The op table: one row per op. Add a new op here, in lib/ops/meson.build and in
 * shaders/meson.build. */
#include <string.h>

#include "ops/op.h"
#include "ops/warp.h"

const OpInfo *const op_table[] = {
    &op_info_warp,
    NULL,
};

const OpInfo *op_find(const char *name)
{
    for (int i = 0; op_table[i]; i++)
        if (!strcmp(op_table[i]->name, name))
            return op_table[i];
    return NULL;
}
