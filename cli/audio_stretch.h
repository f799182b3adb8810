/* retime --audio stretch: the input's first audio stream decoded, played at the constant
 * --speed by FFmpeg's atempo (pitch kept) and encoded again into the output, so the sound
 * stays in sync with the retimed pictures. */
#ifndef WEFT_CLI_AUDIO_STRETCH_H
#define WEFT_CLI_AUDIO_STRETCH_H

#include <libavcodec/avcodec.h>
#include <libavfilter/avfilter.h>
#include <libavformat/avformat.h>

#include "video_out.h"

typedef struct AudioStretch {
    int in_index; /* the input's audio stream; -1 = none (nothing to do) */
    AVRational in_time_base;
    double speed;
    double video_start; /* seconds: the time the output starts from (the video's first) */
    AVCodecContext *decoder, *encoder;
    AVFilterGraph *graph;
    AVFilterContext *source, *sink;
    AVFrame *frame;
    AVPacket *packet;
    int64_t next_pts;    /* of the next sample out of the filter, in 1 / sample rate */
    int timed;           /* next_pts is set (from the first decoded sample) */
    int64_t samples_in;  /* decoded */
    int64_t samples_out; /* given to the encoder */
    int64_t limit;       /* at the end: samples_in / speed at the output rate; -1 before */
} AudioStretch;

/* Chooses the first audio stream of `input`, opens its decoder, an encoder the output's
 * container takes (the input's codec if it can, else the container's), the atempo chain
 * for `speed` (stages within 0.5..2), and adds the output stream. Call after
 * video_output_create() and before video_output_start(). No audio stream: a->in_index = -1
 * and 0. */
int audio_stretch_open(Cli *cli, AudioStretch *a, const AVFormatContext *input, double video_start,
                       WeftRational speed, VideoOutput *out);
/* A packet of the input: its audio stream's are stretched into the output, others ignored. */
int audio_stretch_packet(Cli *cli, AudioStretch *a, VideoOutput *out, const AVPacket *packet);
/* Flushes decoder, filter and encoder into the output (before video_output_finish()). */
int audio_stretch_finish(Cli *cli, AudioStretch *a, VideoOutput *out);
void audio_stretch_close(AudioStretch *a);

/* Writes into `out` the atempo chain for `speed` ("atempo=2,atempo=1.5"): each stage within
 * 0.5..2, the range atempo keeps its quality in. Returns 0, or -1 when it does not fit. */
int audio_stretch_chain(double speed, char *out, size_t size);

#endif
