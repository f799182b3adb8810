/* weft-convert: ncnn model (.param + .bin, or a rife-ncnn-vulkan model folder) -> .weft.
 *
 *   weft-convert MODEL.param MODEL.bin -o OUT.weft [--name NAME] [--fp32]
 *   weft-convert DIR -o OUT.weft                  (DIR/flownet.param + DIR/flownet.bin)
 *
 * Weights keep their stored precision (fp16 blobs stay fp16) unless --fp32 is given. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ncnn_import.h"

static int read_file(const char *path, uint8_t **out, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -errno;
    int err = -EIO;
    long n;
    *out = NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        if ((unsigned long)n > ((size_t)1 << 31)) {
            err = -EFBIG;
        } else if (!(*out = malloc((size_t)n + 1))) {
            err = -ENOMEM;
        } else if (fread(*out, 1, (size_t)n, f) == (size_t)n) {
            *size = (size_t)n;
            err = 0;
        }
    }
    fclose(f);
    if (err < 0) {
        free(*out);
        *out = NULL;
    }
    return err;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: weft-convert MODEL.param MODEL.bin -o OUT.weft [--name NAME] [--fp32]\n"
               "       weft-convert MODEL_DIR -o OUT.weft [--name NAME] [--fp32]\n"
               "Converts an ncnn model (e.g. a rife-ncnn-vulkan model folder) to weft's .weft "
               "format (models/FORMAT.md).\n");
}

int main(int argc, char **argv)
{
    const char *pos[2] = {NULL, NULL}, *output = NULL, *name = NULL;
    int npos = 0, fp32 = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-o") && i + 1 < argc) {
            output = argv[++i];
        } else if (!strcmp(argv[i], "--name") && i + 1 < argc) {
            name = argv[++i];
        } else if (!strcmp(argv[i], "--fp32")) {
            fp32 = 1;
        } else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage(stdout);
            return 0;
        } else if (argv[i][0] == '-' || npos == 2) {
            fprintf(stderr, "weft-convert: unexpected argument '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        } else {
            pos[npos++] = argv[i];
        }
    }
    if (npos == 0 || !output) {
        usage(stderr);
        return 2;
    }
    char param_path[4096], bin_path[4096];
    struct stat st;
    const char *dir = NULL;
    if (npos == 1 && stat(pos[0], &st) == 0 && S_ISDIR(st.st_mode)) {
        dir = pos[0];
        snprintf(param_path, sizeof(param_path), "%s/flownet.param", dir);
        snprintf(bin_path, sizeof(bin_path), "%s/flownet.bin", dir);
    } else if (npos == 2) {
        snprintf(param_path, sizeof(param_path), "%s", pos[0]);
        snprintf(bin_path, sizeof(bin_path), "%s", pos[1]);
    } else {
        fprintf(stderr, "weft-convert: give MODEL.param MODEL.bin, or a model folder\n");
        return 2;
    }
    uint8_t *param = NULL, *bin = NULL, *out = NULL;
    size_t param_size = 0, bin_size = 0, out_size = 0;
    NnModel *m = NULL;
    int err, status = 1;
    if ((err = read_file(param_path, &param, &param_size)) < 0) {
        fprintf(stderr, "weft-convert: cannot read %s: %s\n", param_path, strerror(-err));
        goto done;
    }
    if ((err = read_file(bin_path, &bin, &bin_size)) < 0) {
        fprintf(stderr, "weft-convert: cannot read %s: %s\n", bin_path, strerror(-err));
        goto done;
    }
    char why[512];
    if ((err = ncnn_import(&m, (const char *)param, param_size, bin, bin_size, param_path, why,
                           sizeof(why))) < 0) {
        fprintf(stderr, "weft-convert: %s\n", why);
        goto done;
    }
    if (fp32)
        for (int i = 0; i < m->n_tensors; i++)
            m->tensors[i].dtype = NN_DTYPE_F32;
    /* name: --name, else the folder's or the file's base name */
    const char *base = name ? name : (dir ? dir : param_path);
    if (!name) {
        size_t len = strlen(base);
        while (len > 1 && base[len - 1] == '/')
            len--;
        const char *slash = base;
        for (size_t i = 0; i < len; i++)
            if (base[i] == '/')
                slash = base + i + 1;
        char *copy = nn_arena_strndup(m->arena, slash, len - (size_t)(slash - base));
        if (copy) {
            char *dot = dir ? NULL : strrchr(copy, '.');
            if (dot)
                *dot = 0;
            base = copy;
        }
    }
    /* metadata from the importer plus name and licence */
    const char **keys = nn_arena_alloc(m->arena, (size_t)(m->n_meta + 2) * sizeof(char *));
    const char **values = nn_arena_alloc(m->arena, (size_t)(m->n_meta + 2) * sizeof(char *));
    if (!keys || !values) {
        fprintf(stderr, "weft-convert: out of memory\n");
        goto done;
    }
    keys[0] = "name";
    values[0] = base;
    keys[1] = "licence";
    values[1] = "as the source model (RIFE: MIT; its ncnn conversion: MIT)";
    for (int i = 0; i < m->n_meta; i++) {
        keys[i + 2] = m->meta_key[i];
        values[i + 2] = m->meta_value[i];
    }
    m->meta_key = keys;
    m->meta_value = values;
    m->n_meta += 2;
    if ((err = nn_model_write(m, &out, &out_size)) < 0) {
        fprintf(stderr, "weft-convert: cannot encode the model: %s\n", strerror(-err));
        goto done;
    }
    /* write beside, then rename, so a failed run leaves no partial file */
    char tmp[4200];
    snprintf(tmp, sizeof(tmp), "%s.tmp", output);
    FILE *f = fopen(tmp, "wb");
    if (!f || fwrite(out, 1, out_size, f) != out_size || fclose(f) != 0) {
        if (f)
            fclose(f);
        fprintf(stderr, "weft-convert: cannot write %s\n", output);
        remove(tmp);
        goto done;
    }
    if (rename(tmp, output) != 0) {
        fprintf(stderr, "weft-convert: cannot write %s: %s\n", output, strerror(errno));
        remove(tmp);
        goto done;
    }
    size_t params = 0;
    for (int i = 0; i < m->n_tensors; i++)
        params += m->tensors[i].count;
    printf("weft-convert: %s: %d nodes, %d tensors, %zu weights, %zu bytes\n", output, m->n_nodes,
           m->n_tensors, params, out_size);
    status = 0;
done:
    nn_model_free(&m);
    free(param);
    free(bin);
    free(out);
    return status;
}
