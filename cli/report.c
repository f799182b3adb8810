/* Messages: the one error line per failure, verbose notes, and where library and libav
 * log messages go (nowhere by default, stderr with -v). */
#include <stdio.h>
#include <string.h>

#include <libavutil/error.h>
#include <libavutil/log.h>

#include "cli.h"

static void print_line(const char *prefix, const char *fmt, va_list ap)
{
    char line[1024];
    vsnprintf(line, sizeof(line), fmt, ap);
    /* keep the one-line promise even if a message (a file name) carries a newline */
    for (char *p = line; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    fprintf(stderr, "%s%s\n", prefix, line);
}

int cli_error(Cli *cli, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (cli->progress_active) {
        fputs("\r\033[K", stderr); /* the error line replaces the progress line */
        cli->progress_active = 0;
    }
    if (!cli->error_printed)
        print_line("weft: ", fmt, ap);
    else if (cli->verbose)
        print_line("weft: (then) ", fmt, ap);
    va_end(ap);
    cli->error_printed = 1;
    return 1;
}

int cli_library_error(Cli *cli, int err, const char *fmt, ...)
{
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    if (cli->library_error[0])
        cli_error(cli, "%s: %s (%s)", what, weft_strerror(err), cli->library_error);
    else
        cli_error(cli, "%s: %s", what, weft_strerror(err));
    cli->library_error[0] = 0;
    return 1;
}

void cli_note(const Cli *cli, const char *fmt, ...)
{
    (void)cli;
    va_list ap;
    va_start(ap, fmt);
    print_line("weft: note: ", fmt, ap);
    va_end(ap);
}

void cli_verbose(const Cli *cli, int level, const char *fmt, ...)
{
    if (cli->verbose < level)
        return;
    va_list ap;
    va_start(ap, fmt);
    print_line("weft: ", fmt, ap);
    va_end(ap);
}

const char *cli_av_error(int err, char *buf, size_t size)
{
    if (av_strerror(err, buf, size) < 0)
        snprintf(buf, size, "error %d", err);
    return buf;
}

static void library_log(void *opaque, int level, const char *msg)
{
    Cli *cli = opaque;
    if (level == WEFT_LOG_ERROR && !cli->library_error[0])
        snprintf(cli->library_error, sizeof(cli->library_error), "%s", msg);
    if (cli->verbose)
        fprintf(stderr, "weft: [library] %s\n", msg);
}

void cli_setup_logging(Cli *cli)
{
    cli->settings.log = library_log;
    cli->settings.log_opaque = cli;
    cli->settings.log_level = cli->verbose >= 2   ? WEFT_LOG_DEBUG
                              : cli->verbose == 1 ? WEFT_LOG_VERBOSE
                                                  : WEFT_LOG_ERROR;
    /* libav's messages would break the one-line rule; every libav failure is reported
     * through its return code instead. -v shows them. */
    av_log_set_level(cli->verbose >= 2 ? AV_LOG_VERBOSE
                     : cli->verbose    ? AV_LOG_INFO
                                       : AV_LOG_QUIET);
}

int cli_open_context(Cli *cli, WeftContext **ctx)
{
    int err = weft_open(ctx, &cli->settings);
    if (err < 0)
        return cli_library_error(cli, err, "cannot start the library");
    return 0;
}
