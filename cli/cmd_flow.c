/* weft flow A B -o OUT.flo [--backward OUT2.flo]: dense optical flow as Middlebury .flo
 * (float32 tag 202021.25, int32 width, int32 height, then u,v pairs row by row; all
 * little-endian). */
#include <stdio.h>
#include <string.h>

#include <libavformat/avio.h>
#include <libavutil/error.h>
#include <libavutil/intreadwrite.h>

#include "cli.h"

#define FLO_TAG 202021.25f
#define FLO_ROW_PIXELS 1024 /* pixels per write */

static void put_float(uint8_t *dst, float value)
{
    union {
        float f;
        uint32_t u;
    } bits = {.f = value};
    AV_WL32(dst, bits.u);
}

/* Writes a flow into the temporary file of `of`. */
static int write_flo(Cli *cli, const OutputFile *of, const WeftFlow *flow)
{
    char buf[128];
    AVIOContext *io = NULL;
    AVIOInterruptCB interrupt = {cli_interrupt_callback, NULL};
    int err = avio_open2(&io, of->temp_path, AVIO_FLAG_WRITE, &interrupt, NULL);
    if (err < 0)
        goto fail;
    uint8_t header[12];
    put_float(header, FLO_TAG);
    AV_WL32(header + 4, (uint32_t)flow->width);
    AV_WL32(header + 8, (uint32_t)flow->height);
    avio_write(io, header, sizeof(header));
    uint8_t chunk[FLO_ROW_PIXELS * 8];
    size_t pixels = (size_t)flow->width * flow->height;
    for (size_t start = 0; start < pixels; start += FLO_ROW_PIXELS) {
        size_t count = pixels - start < FLO_ROW_PIXELS ? pixels - start : FLO_ROW_PIXELS;
        for (size_t i = 0; i < count; i++) {
            put_float(chunk + 8 * i, flow->u[start + i]);
            put_float(chunk + 8 * i + 4, flow->v[start + i]);
        }
        avio_write(io, chunk, (int)(8 * count));
    }
    avio_flush(io);
    if ((err = io->error) < 0 || (err = avio_closep(&io)) < 0)
        goto fail;
    return 0;
fail:
    avio_closep(&io);
    cli_error(cli, "cannot write '%s': %s", of->final_path, cli_av_error(err, buf, sizeof(buf)));
    return err;
}

int cmd_flow(Cli *cli)
{
    WeftPicture a = {0}, b = {0};
    WeftFlow forward = {0}, backward = {0};
    WeftContext *ctx = NULL;
    OutputFile forward_file = {0}, backward_file = {0};
    int status = 1;
    if (cli->backward_output && !strcmp(cli->backward_output, cli->output)) {
        cli_error(cli, "-o and --backward name the same file '%s'", cli->output);
        goto done;
    }
    if (cli_load_pair(cli, &a, &b) < 0 || cli_open_context(cli, &ctx))
        goto done;
    int err = weft_compute_flow(ctx, &a, &b, &forward, cli->backward_output ? &backward : NULL);
    if (err < 0) {
        cli_library_error(cli, err, "cannot compute the flow");
        goto done;
    }
    /* both files or neither: commit only once both are written */
    if (output_file_begin(cli, &forward_file, cli->output) < 0 ||
        write_flo(cli, &forward_file, &forward) < 0)
        goto done;
    if (cli->backward_output && (output_file_begin(cli, &backward_file, cli->backward_output) < 0 ||
                                 write_flo(cli, &backward_file, &backward) < 0))
        goto done;
    if (output_file_commit(cli, &forward_file) < 0)
        goto done;
    if (cli->backward_output && output_file_commit(cli, &backward_file) < 0) {
        remove(cli->output);
        goto done;
    }
    status = 0;
done:
    output_file_abort(&forward_file);
    output_file_abort(&backward_file);
    weft_flow_unref(&forward);
    weft_flow_unref(&backward);
    weft_picture_unref(&a);
    weft_picture_unref(&b);
    weft_close(&ctx);
    return status;
}
