/* main() for the plain (non-libFuzzer) build of a fuzz target: runs the target once on
 * every file named on the command line, or on every file inside a named folder, so a
 * committed corpus is replayed by the test suite under any compiler and sanitizer. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_target.h"

/* Inputs larger than this are not corpus files; refuse them rather than read them whole. */
enum { REPLAY_MAX_INPUT = 1 << 20 };

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    uint8_t *data = malloc(REPLAY_MAX_INPUT);
    if (!data) {
        fclose(f);
        return -1;
    }
    size_t size = fread(data, 1, REPLAY_MAX_INPUT, f);
    int too_big = !feof(f);
    fclose(f);
    if (too_big) {
        fprintf(stderr, "replay: %s is over %d bytes\n", path, REPLAY_MAX_INPUT);
        free(data);
        return -1;
    }
    /* an exact-size copy, so ASan sees a read past the end of the input */
    uint8_t *exact = malloc(size ? size : 1);
    if (!exact) {
        free(data);
        return -1;
    }
    memcpy(exact, data, size);
    free(data);
    LLVMFuzzerTestOneInput(exact, size);
    free(exact);
    return 0;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs every regular file of a folder, in name order (so a failure reproduces). */
static int run_folder(const char *dir_path, int *count)
{
    DIR *dir = opendir(dir_path);
    if (!dir) {
        fprintf(stderr, "replay: cannot open folder %s: %s\n", dir_path, strerror(errno));
        return -1;
    }
    char **names = NULL;
    size_t num = 0, cap = 0;
    int err = 0;
    struct dirent *entry;
    while ((entry = readdir(dir))) {
        if (entry->d_name[0] == '.')
            continue;
        if (num == cap) {
            size_t new_cap = cap ? cap * 2 : 64;
            char **grown = realloc(names, new_cap * sizeof(*names));
            if (!grown) {
                err = -1;
                break;
            }
            names = grown;
            cap = new_cap;
        }
        size_t len = strlen(dir_path) + strlen(entry->d_name) + 2;
        if (!(names[num] = malloc(len))) {
            err = -1;
            break;
        }
        snprintf(names[num++], len, "%s/%s", dir_path, entry->d_name);
    }
    closedir(dir);
    if (num)
        qsort(names, num, sizeof(*names), compare_names);
    for (size_t i = 0; i < num; i++) {
        struct stat st;
        if (err == 0 && stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) {
            if (run_file(names[i]) < 0)
                err = -1;
            else
                (*count)++;
        }
        free(names[i]);
    }
    free(names);
    return err;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr,
                "usage: %s FILE_OR_FOLDER...\n"
                "Runs the fuzz target once on each file (a folder: each file in it).\n",
                argv[0]);
        return 2;
    }
    int count = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) < 0) {
            fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
            return 1;
        }
        int err = S_ISDIR(st.st_mode) ? run_folder(argv[i], &count) : run_file(argv[i]);
        if (err < 0)
            return 1;
        if (!S_ISDIR(st.st_mode))
            count++;
    }
    if (count == 0) {
        fprintf(stderr, "replay: no inputs found\n");
        return 1;
    }
    printf("replayed %d input(s) without a failure\n", count);
    return 0;
}
