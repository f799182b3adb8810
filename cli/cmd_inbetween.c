/* weft inbetween KEY1 KEY2 -n N -o OUT_%02d.png [--spacing SPEC]: N in-betweens of two key
 * drawings at the times of an animator's timing chart (spacing.h), numbered from 1. The
 * flow of the pair is computed once for all of them. Alpha (line art on a transparent
 * background) and greyscale pass through in the keys' own layout. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <libavformat/avformat.h>

#include "cli.h"
#include "spacing.h"

/* The file name of in-between k (from 1); -1 if the pattern has no frame number. */
static int frame_name(const char *pattern, int k, char *name, size_t size)
{
    return av_get_frame_filename2(name, (int)size, pattern, k, 0);
}

int cmd_inbetween(Cli *cli)
{
    WeftPicture a = {0}, b = {0};
    WeftPicture *out = NULL;
    WeftContext *ctx = NULL;
    double *times = NULL;
    char name[4096], why[160];
    int status = 1, count = cli->count, written = 0;
    if (frame_name(cli->output, 1, name, sizeof(name)) < 0)
        return cli_error(cli, "-o '%s' has no frame number: use a pattern such as OUT_%%02d.png",
                         cli->output);
    if (image_check_output(cli, name) < 0)
        return 1;
    if (!(times = calloc(SPACING_MAX, sizeof(*times))))
        return cli_error(cli, "out of memory");
    if (spacing_parse(cli->spacing ? cli->spacing : "even", &count, times, why, sizeof(why)) < 0) {
        cli_error(cli, "invalid --spacing '%s': %s", cli->spacing ? cli->spacing : "even", why);
        goto done;
    }
    if (!(out = calloc((size_t)count, sizeof(*out)))) {
        cli_error(cli, "out of memory");
        goto done;
    }
    if (cli_load_pair(cli, &a, &b) < 0 || cli_open_context(cli, &ctx))
        goto done;
    for (int k = 0; k < count; k++)
        cli_verbose(cli, 1, "in-between %d at t = %.4f", k + 1, times[k]);
    int err = weft_interpolate_times(ctx, &a, &b, times, count, out);
    if (err < 0) {
        cli_library_error(cli, err, "cannot make the in-betweens");
        goto done;
    }
    for (; written < count; written++) {
        if (cli_interrupted()) {
            cli_error(cli, "interrupted");
            goto done;
        }
        frame_name(cli->output, written + 1, name, sizeof(name));
        if (image_save(cli, name, &out[written]) < 0)
            goto done;
    }
    status = 0;
done:
    /* all or nothing: a failed run leaves none of its numbered pictures behind */
    for (int k = 0; status && k < written; k++)
        if (frame_name(cli->output, k + 1, name, sizeof(name)) >= 0)
            unlink(name);
    for (int k = 0; out && k < count; k++)
        weft_picture_unref(&out[k]);
    free(out);
    free(times);
    weft_picture_unref(&a);
    weft_picture_unref(&b);
    weft_close(&ctx);
    return status;
}
