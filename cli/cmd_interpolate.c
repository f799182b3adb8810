/* weft interpolate A B -t T -o OUT: one in-between of two images. */
#include <libavutil/error.h>

#include "cli.h"

/* Loads A, and B in A's layout (so a PNG pair with and without alpha still pairs up); then
 * checks that both have the same size. */
int cli_load_pair(Cli *cli, WeftPicture *a, WeftPicture *b)
{
    int err = image_load(cli, cli->inputs[0], WEFT_PIX_NONE, a);
    if (err < 0)
        return err;
    if ((err = image_load(cli, cli->inputs[1], a->format, b)) < 0) {
        weft_picture_unref(a);
        return err;
    }
    if (a->width != b->width || a->height != b->height) {
        cli_error(cli, "'%s' is %dx%d but '%s' is %dx%d: the frames must have the same size",
                  cli->inputs[0], a->width, a->height, cli->inputs[1], b->width, b->height);
        weft_picture_unref(a);
        weft_picture_unref(b);
        return AVERROR(EINVAL);
    }
    return 0;
}

int cmd_interpolate(Cli *cli)
{
    WeftPicture a = {0}, b = {0}, out = {0};
    WeftContext *ctx = NULL;
    int status = 1;
    if (image_check_output(cli, cli->output) < 0 || cli_load_pair(cli, &a, &b) < 0)
        goto done;
    if (cli_open_context(cli, &ctx))
        goto done;
    int err = weft_interpolate(ctx, &a, &b, cli->t, &out);
    if (err < 0) {
        cli_library_error(cli, err, "cannot make the in-between");
        goto done;
    }
    if (cli_interrupted()) {
        cli_error(cli, "interrupted");
        goto done;
    }
    if (image_save(cli, cli->output, &out) < 0)
        goto done;
    status = 0;
done:
    weft_picture_unref(&out);
    weft_picture_unref(&a);
    weft_picture_unref(&b);
    weft_close(&ctx);
    return status;
}
