/* Writing a video (or an image sequence) with libavcodec/libavformat: one encoded video
 * stream made from weft pictures, plus stream copies of the input's audio. */
#ifndef WEFT_CLI_VIDEO_OUT_H
#define WEFT_CLI_VIDEO_OUT_H

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libswscale/swscale.h>

#include "cli.h"

#define VIDEO_OUT_MAX_COPIES 16

typedef struct VideoOutputParams {
    int width, height;
    WeftPixelFormat format; /* of the pictures given to video_output_write() */
    WeftColor color;
    AVRational time_base;  /* of the pictures' pts */
    AVRational frame_rate; /* nominal output rate */
    AVRational sample_aspect_ratio;
    const AVFrame *first_frame; /* HDR metadata the decoder found in the bitstream */
    const AVStream *source;     /* the input's video stream: metadata and side data (display
                                   rotation, HDR mastering/light levels) are carried over */
    const char *codec_name;     /* NULL: libx264 for mp4/mkv/mov, else the container's */
    int crf;                    /* -1: 18 for x264/x265, else the encoder's default */
} VideoOutputParams;

typedef struct VideoOutput {
    const char *path;
    OutputFile file;
    AVFormatContext *mux;
    AVCodecContext *encoder;
    AVStream *video;
    struct SwsContext *sws;
    AVFrame *frame;
    AVPacket *packet;
    enum AVPixelFormat source_format;
    /* input stream index -> output stream index for copied streams, -1 = dropped */
    int copy_map[VIDEO_OUT_MAX_COPIES];
    AVRational copy_time_base[VIDEO_OUT_MAX_COPIES];
    /* packets of copied streams that arrive before the header is written */
    AVPacket **pending;
    int num_pending, max_pending;
    int header_written;
    int64_t frames_written;
} VideoOutput;

/* Chooses the container by the output name, and (copy_streams) sets up stream copies of the
 * input's audio and subtitle streams the container can hold. Nothing is written yet. */
int video_output_create(Cli *cli, VideoOutput *out, const char *path, const AVFormatContext *input,
                        int copy_streams);
/* Adds a stream encoded by the caller (its parameters from `encoder`, metadata from
 * `source`): packets given to video_output_copy_packet() with stream_index `in_index` and
 * pts in encoder->time_base go to it. Before video_output_start(). */
int video_output_add_encoded(Cli *cli, VideoOutput *out, int in_index,
                             const AVCodecContext *encoder, const AVStream *source);
/* Opens the encoder and writes the header (then the packets queued before it). */
int video_output_start(Cli *cli, VideoOutput *out, const VideoOutputParams *params);
/* A packet of an input stream: copied (or queued before the header) if its stream is kept. */
int video_output_copy_packet(Cli *cli, VideoOutput *out, const AVPacket *packet);
/* Encodes one picture (its pts in params.time_base). */
int video_output_write(Cli *cli, VideoOutput *out, const WeftPicture *pic);
/* Flushes the encoder, writes the trailer and renames the file into place. */
int video_output_finish(Cli *cli, VideoOutput *out);
/* Frees everything; removes the output unless video_output_finish() succeeded. */
void video_output_close(VideoOutput *out);

#endif
