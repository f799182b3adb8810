/* Fuzz target: the ncnn importer of weft-convert (models/ncnn_import.c). Input: a 4-byte
 * little-endian length N, then N bytes of .param text, then the .bin bytes. Properties:
 * - ncnn_import() returns 0 or a negative errno with a message naming the file and line;
 * - an imported model encodes to .weft and reads back with the same structure. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../models/ncnn_import.h"
#include "fuzz_target.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 4)
        return 0;
    size_t n =
        (size_t)data[0] | (size_t)data[1] << 8 | (size_t)data[2] << 16 | (size_t)data[3] << 24;
    if (n > size - 4)
        n = size - 4;
    const char *param = (const char *)data + 4;
    const uint8_t *bin = data + 4 + n;
    size_t bin_size = size - 4 - n;
    NnModel *m = NULL;
    char err[512];
    int ret = ncnn_import(&m, param, n, bin, bin_size, "fuzz.param", err, sizeof(err));
    FUZZ_ASSERT(ret == 0 || ret == -EINVAL || ret == -ENOTSUP || ret == -ENOMEM);
    if (ret < 0) {
        FUZZ_ASSERT(!strncmp(err, "fuzz.param:", 11));
        FUZZ_ASSERT(m == NULL);
        return 0;
    }
    uint8_t *file = NULL;
    size_t file_size = 0;
    if (nn_model_write(m, &file, &file_size) == 0) {
        NnModel *r = NULL;
        int rr = nn_model_read(&r, file, file_size, err, sizeof(err));
        if (rr != 0)
            fprintf(stderr, "read back: %s\n", err);
        FUZZ_ASSERT(rr == 0);
        FUZZ_ASSERT(r->n_nodes == m->n_nodes && r->n_tensors == m->n_tensors);
        nn_model_free(&r);
        free(file);
    }
    nn_model_free(&m);
    return 0;
}
