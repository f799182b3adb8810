/* Import of ncnn models (.param text + .bin weights) into weft's model form (lib/nn), for
 * weft-convert. Hostile-input safe: malformed files give an error naming the line. */
#ifndef WEFT_MODELS_NCNN_IMPORT_H
#define WEFT_MODELS_NCNN_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "nn/nn_model.h"

/* param: the .param text (param_size bytes, need not be NUL-terminated); bin: the weights.
 * param_name names the .param file in messages. On error returns a negative errno and
 * writes one line ("flownet.param:12: ...") to err. */
int ncnn_import(NnModel **out, const char *param, size_t param_size, const uint8_t *bin,
                size_t bin_size, const char *param_name, char *err, size_t err_size);

#endif
