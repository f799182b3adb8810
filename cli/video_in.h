/* Reading pictures from a file (a video, an image, or an image sequence pattern) with
 * libavformat/libavcodec, in a pixel layout the library accepts. */
#ifndef WEFT_CLI_VIDEO_IN_H
#define WEFT_CLI_VIDEO_IN_H

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libswscale/swscale.h>

#include "cli.h"

typedef struct VideoInput {
    const char *path;
    AVFormatContext *format;
    AVCodecContext *decoder;
    AVStream *stream;
    AVPacket *packet;
    AVFrame *decoded;
    AVFrame *converted; /* the decoded picture in `weft_format`, when it differs */
    struct SwsContext *sws;
    WeftPixelFormat weft_format;
    int draining;
    int strict;       /* damaged data is an error (else damaged pictures are skipped) */
    int skipped;      /* damaged pictures left out */
    int64_t next_pts; /* expected pts of the next frame (for frames without one) */
    /* Called with every packet of other streams (audio to copy); the callee must not keep
     * the packet (it is unreferenced afterwards). A negative return stops reading. */
    int (*other_packet)(void *opaque, AVPacket *packet);
    void *other_opaque;
} VideoInput;

/* Opens the file and the decoder of its best video stream. `want` forces the layout of the
 * pictures read (WEFT_PIX_NONE: the decoder's, or the nearest one weft has); `input_rate`
 * (or NULL) sets the rate of an image sequence or raw stream; `strict`: damaged data is an
 * error (images), else damaged pictures are left out with a note (videos). */
int video_input_open(Cli *cli, VideoInput *in, const char *path, WeftPixelFormat want,
                     const char *input_rate, int strict);
/* Reads the next picture: 0 and *frame (owned by `in`, valid until the next call), in
 * in->weft_format with best-effort pts and duration in the stream's time base;
 * AVERROR_EOF at the end; another negative value after reporting the error. */
int video_input_read(Cli *cli, VideoInput *in, AVFrame **frame);
void video_input_close(VideoInput *in);

#endif
