/* Output files appear whole or not at all: everything is written under a temporary name in
 * the output's folder and renamed on success; on failure or interruption the temporary file
 * is removed. For an image sequence pattern ("frames/%05d.png") the temporary name is a
 * pattern as well and every written file is renamed (or removed) in turn. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libavformat/avformat.h>

#include "cli.h"

/* The one piece of global state in the tool: a signal handler can only set a flag. */
static volatile sig_atomic_t interrupted_flag;

static void on_signal(int sig)
{
    (void)sig;
    interrupted_flag = 1;
}

void cli_install_signal_handlers(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    /* a closed pipe on stderr must be an error return, not a death by signal */
    signal(SIGPIPE, SIG_IGN);
}

int cli_interrupted(void)
{
    return interrupted_flag != 0;
}

int cli_interrupt_callback(void *opaque)
{
    (void)opaque;
    return interrupted_flag != 0;
}

/* Splits path into folder (with its trailing '/', possibly empty) and file name. */
static size_t folder_length(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? (size_t)(slash - path + 1) : 0;
}

int output_file_begin(Cli *cli, OutputFile *of, const char *path)
{
    memset(of, 0, sizeof(*of));
    if (!path || !*path) {
        cli_error(cli, "no output file given (use -o FILE)");
        return -EINVAL;
    }
    if (!strcmp(path, "-")) {
        /* standard output: a pipe cannot be renamed or removed; what was written is gone */
        of->is_stdout = 1;
        of->final_path = strdup(path);
        of->temp_path = strdup("pipe:1");
        if (!of->final_path || !of->temp_path) {
            output_file_abort(of);
            cli_error(cli, "out of memory");
            return -ENOMEM;
        }
        return 0;
    }
    of->is_sequence = strchr(path, '%') != NULL;
    size_t folder = folder_length(path);
    const char *name = path + folder;
    if (!*name) {
        cli_error(cli, "output '%s' names a folder, not a file", path);
        return -EINVAL;
    }
    /* The temporary name keeps the extension (libav picks formats by it) and starts with a
     * dot so it stays out of the way. A hidden per-process, per-call tag avoids clashes
     * with other runs writing into the same folder. */
    const char *ext = strrchr(name, '.');
    if (!ext || of->is_sequence)
        ext = "";
    size_t size = strlen(path) + 64;
    of->final_path = strdup(path);
    of->temp_path = malloc(size);
    if (!of->final_path || !of->temp_path) {
        output_file_abort(of);
        cli_error(cli, "out of memory");
        return -ENOMEM;
    }
    for (int attempt = 0; attempt < 100; attempt++) {
        unsigned tag = (unsigned)getpid() * 31u + (unsigned)attempt * 7919u;
        if (of->is_sequence) {
            /* ".weft-TAG-" prefix on the pattern's file part: frames/.weft-1234-%05d.png */
            snprintf(of->temp_path, size, "%.*s.weft-%x-%s", (int)folder, path, tag, name);
        } else {
            snprintf(of->temp_path, size, "%.*s.%.*s.weft-%x%s", (int)folder, path,
                     (int)(strlen(name) - strlen(ext)), name, tag, ext);
        }
        if (of->is_sequence)
            return 0;
        /* claim the name now so a concurrent run cannot pick it too */
        int fd = open(of->temp_path, O_WRONLY | O_CREAT | O_EXCL, 0644);
        if (fd >= 0) {
            close(fd);
            return 0;
        }
        if (errno != EEXIST) {
            int err = -errno;
            char buf[128];
            cli_error(cli, "cannot write '%s': %s", path, cli_av_error(err, buf, sizeof(buf)));
            output_file_abort(of);
            return err;
        }
    }
    cli_error(cli, "cannot find a temporary name beside '%s'", path);
    output_file_abort(of);
    return -EEXIST;
}

/* Calls fn(temp, final) for each file of a written sequence, in order, from start number 0
 * or 1 (the image2 muxer's default is 1) until a file is missing. */
static int for_each_sequence_file(OutputFile *of, int (*fn)(const char *temp, const char *final))
{
    size_t size = strlen(of->temp_path) + strlen(of->final_path) + 64;
    char *temp = malloc(size), *final = malloc(size);
    int err = 0;
    if (!temp || !final) {
        err = -ENOMEM;
        goto done;
    }
    for (int start = 0; start <= 1; start++) {
        for (int i = start;; i++) {
            if (av_get_frame_filename(temp, (int)size, of->temp_path, i) < 0 ||
                av_get_frame_filename(final, (int)size, of->final_path, i) < 0 ||
                access(temp, F_OK) != 0)
                break;
            int e = fn(temp, final);
            if (e < 0 && !err)
                err = e;
        }
    }
done:
    free(temp);
    free(final);
    return err;
}

static int rename_one(const char *temp, const char *final)
{
    return rename(temp, final) == 0 ? 0 : -errno;
}

static int remove_one(const char *temp, const char *final)
{
    (void) final;
    unlink(temp);
    return 0;
}

int output_file_commit(Cli *cli, OutputFile *of)
{
    int err;
    if (cli_interrupted()) {
        cli_error(cli, "interrupted");
        return -EINTR;
    }
    if (of->is_stdout)
        err = 0;
    else if (of->is_sequence)
        err = for_each_sequence_file(of, rename_one);
    else
        err = rename_one(of->temp_path, of->final_path);
    if (err < 0) {
        char buf[128];
        cli_error(cli, "cannot write '%s': %s", of->final_path,
                  cli_av_error(err, buf, sizeof(buf)));
        return err;
    }
    of->committed = 1;
    return 0;
}

void output_file_abort(OutputFile *of)
{
    if (!of)
        return;
    if (!of->committed && !of->is_stdout && of->temp_path && of->final_path) {
        if (of->is_sequence)
            for_each_sequence_file(of, remove_one);
        else
            unlink(of->temp_path);
    }
    free(of->final_path);
    free(of->temp_path);
    memset(of, 0, sizeof(*of));
}
