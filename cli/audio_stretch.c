#include <math.h>
#include <stdio.h>
#include <string.h>

#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>

#include "audio_stretch.h"

static int fail(Cli *cli, const char *what, int err)
{
    char buf[128];
    cli_error(cli, "--audio stretch: cannot %s: %s", what, cli_av_error(err, buf, sizeof(buf)));
    return err < 0 ? err : AVERROR(EINVAL);
}

int audio_stretch_chain(double speed, char *out, size_t size)
{
    size_t used = 0;
    out[0] = 0;
    if (!(speed >= 0.01 && speed <= 100.0))
        return -1;
    /* stages of 2 (or 0.5), then the rest, which lies within 0.5..2; dividing by a power of
     * two is exact and the last stage divides the rest by itself, so this ends at 1 */
    for (int i = 0; i < 16; i++) {
        double stage = speed > 2.0 ? 2.0 : speed < 0.5 ? 0.5 : speed;
        int n = snprintf(out + used, size - used, "%satempo=%.17g", used ? "," : "", stage);
        if (n < 0 || (size_t)n >= size - used)
            return -1;
        used += (size_t)n;
        speed /= stage;
        if (!(speed < 1.0 || speed > 1.0))
            return 0;
    }
    return -1;
}

static const AVCodec *choose_encoder(const AVCodecParameters *par, const AVOutputFormat *format)
{
    const AVCodec *codec = avcodec_find_encoder(par->codec_id);
    if (codec && avformat_query_codec(format, par->codec_id, FF_COMPLIANCE_NORMAL) == 1)
        return codec;
    return format->audio_codec != AV_CODEC_ID_NONE ? avcodec_find_encoder(format->audio_codec)
                                                   : NULL;
}

static int open_encoder(Cli *cli, AudioStretch *a, const AVCodec *codec, VideoOutput *out)
{
    const AVCodecContext *dec = a->decoder;
    AVCodecContext *enc = a->encoder = avcodec_alloc_context3(codec);
    if (!enc)
        return fail(cli, "set up the audio encoder", AVERROR(ENOMEM));
    enc->sample_fmt = codec->sample_fmts ? codec->sample_fmts[0] : dec->sample_fmt;
    for (int i = 0; codec->sample_fmts && codec->sample_fmts[i] != AV_SAMPLE_FMT_NONE; i++)
        if (codec->sample_fmts[i] == dec->sample_fmt)
            enc->sample_fmt = dec->sample_fmt;
    enc->sample_rate = dec->sample_rate;
    if (codec->supported_samplerates) {
        int best = codec->supported_samplerates[0];
        for (int i = 0; codec->supported_samplerates[i]; i++)
            if (codec->supported_samplerates[i] == dec->sample_rate)
                best = dec->sample_rate;
        enc->sample_rate = best;
    }
    int err = av_channel_layout_copy(&enc->ch_layout, &dec->ch_layout);
    if (err < 0)
        return fail(cli, "set up the audio encoder", err);
    if (enc->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC)
        av_channel_layout_default(&enc->ch_layout, dec->ch_layout.nb_channels);
    enc->time_base = (AVRational){1, enc->sample_rate};
    if (out->mux->oformat->flags & AVFMT_GLOBALHEADER)
        enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    if ((err = avcodec_open2(enc, codec, NULL)) < 0)
        return fail(cli, "open the audio encoder", err);
    return 0;
}

/* abuffer (rate, format, layout) -> `description` -> abuffersink, configured. */
static int make_graph(AVFilterGraph **graph, AVFilterContext **source, AVFilterContext **sink,
                      int rate, enum AVSampleFormat format, const char *layout,
                      const char *description)
{
    char args[256];
    if (!(*graph = avfilter_graph_alloc()))
        return AVERROR(ENOMEM);
    snprintf(args, sizeof(args), "time_base=1/%d:sample_rate=%d:sample_fmt=%s:channel_layout=%s",
             rate, rate, av_get_sample_fmt_name(format), layout);
    int err = avfilter_graph_create_filter(source, avfilter_get_by_name("abuffer"), "in", args,
                                           NULL, *graph);
    if (err >= 0)
        err = avfilter_graph_create_filter(sink, avfilter_get_by_name("abuffersink"), "out", NULL,
                                           NULL, *graph);
    if (err < 0)
        return err;
    AVFilterInOut *outputs = avfilter_inout_alloc(), *inputs = avfilter_inout_alloc();
    if (outputs && inputs) {
        outputs->name = av_strdup("in");
        outputs->filter_ctx = *source;
        inputs->name = av_strdup("out");
        inputs->filter_ctx = *sink;
        err = avfilter_graph_parse_ptr(*graph, description, &inputs, &outputs, NULL);
    } else {
        err = AVERROR(ENOMEM);
    }
    avfilter_inout_free(&outputs);
    avfilter_inout_free(&inputs);
    return err < 0 ? err : avfilter_graph_config(*graph, NULL);
}

/* Calibration signal: silence, then a tone burst from CAL_ONSET seconds, 2.5 s in all. */
#define CAL_ONSET 1.0
#define CAL_LENGTH 2.5

/* Output samples by which `chain` runs ahead of time at `rate` (negative: behind). atempo
 * (WSOLA) places its output up to a few windows early, more so with chained stages; a tone
 * burst through the same chain shows by how much. */
static int measure_lead(const char *chain, int rate, double speed, int64_t *lead)
{
    AVFilterGraph *graph = NULL;
    AVFilterContext *source, *sink;
    AVFrame *frame = av_frame_alloc();
    char description[320];
    snprintf(description, sizeof(description), "%s,aformat=sample_fmts=flt", chain);
    int err = frame
                  ? make_graph(&graph, &source, &sink, rate, AV_SAMPLE_FMT_FLT, "mono", description)
                  : AVERROR(ENOMEM);
    const int64_t onset = llrint(CAL_ONSET * rate), total = llrint(CAL_LENGTH * rate);
    for (int64_t done = 0; err >= 0 && done < total; done += 1024) {
        frame->format = AV_SAMPLE_FMT_FLT;
        frame->sample_rate = rate;
        frame->nb_samples = 1024;
        frame->pts = done;
        if ((err = av_channel_layout_copy(&frame->ch_layout,
                                          &(AVChannelLayout)AV_CHANNEL_LAYOUT_MONO)) < 0 ||
            (err = av_frame_get_buffer(frame, 0)) < 0)
            break;
        float *x = (float *)frame->data[0];
        for (int i = 0; i < 1024; i++) {
            int64_t n = done + i;
            x[i] = n >= onset ? 0.5f * (float)sin(2 * M_PI * 440.0 * (double)n / rate) : 0.0f;
        }
        err = av_buffersrc_add_frame(source, frame);
        av_frame_unref(frame);
    }
    if (err >= 0)
        err = av_buffersrc_add_frame(source, NULL);
    int64_t position = 0, found = -1;
    while (err >= 0 && found < 0) {
        int got = av_buffersink_get_frame(sink, frame);
        if (got == AVERROR_EOF || got == AVERROR(EAGAIN))
            break;
        if ((err = got) < 0)
            break;
        const float *x = (const float *)frame->data[0];
        for (int i = 0; i < frame->nb_samples && found < 0; i++)
            if (fabsf(x[i]) > 0.25f)
                found = position + i;
        position += frame->nb_samples;
        av_frame_unref(frame);
    }
    *lead = found >= 0 ? llrint((double)onset / speed) - found : 0;
    av_frame_free(&frame);
    avfilter_graph_free(&graph);
    return err;
}

static int open_filters(Cli *cli, AudioStretch *a)
{
    const AVCodecContext *dec = a->decoder, *enc = a->encoder;
    char chain[256], layout[128], enc_layout[128], timing[64], description[512];
    if (audio_stretch_chain(a->speed, chain, sizeof(chain)) < 0)
        return fail(cli, "follow this speed", AVERROR(ERANGE));
    AVChannelLayout in_layout = {0};
    int err = av_channel_layout_copy(&in_layout, &dec->ch_layout);
    if (err >= 0 && in_layout.order == AV_CHANNEL_ORDER_UNSPEC)
        av_channel_layout_default(&in_layout, dec->ch_layout.nb_channels);
    if (err >= 0)
        err = av_channel_layout_describe(&in_layout, layout, sizeof(layout));
    av_channel_layout_uninit(&in_layout);
    if (err >= 0)
        err = av_channel_layout_describe(&enc->ch_layout, enc_layout, sizeof(enc_layout));
    if (err < 0)
        return fail(cli, "read the audio layout", err);
    int64_t lead;
    if ((err = measure_lead(chain, dec->sample_rate, a->speed, &lead)) < 0)
        return fail(cli, "measure atempo's delay", err);
    /* an early output is delayed by its lead (silence first), a late one trimmed */
    timing[0] = 0;
    if (lead > 0)
        snprintf(timing, sizeof(timing), ",adelay=delays=%lldS:all=1", (long long)lead);
    else if (lead < 0)
        snprintf(timing, sizeof(timing), ",atrim=start_sample=%lld", (long long)-lead);
    /* then the encoder's sample format, rate and layout */
    snprintf(description, sizeof(description),
             "%s%s,aformat=sample_fmts=%s:sample_rates=%d:channel_layouts=%s", chain, timing,
             av_get_sample_fmt_name(enc->sample_fmt), enc->sample_rate, enc_layout);
    if ((err = make_graph(&a->graph, &a->source, &a->sink, dec->sample_rate, dec->sample_fmt,
                          layout, description)) < 0)
        return fail(cli, "set up atempo", err);
    /* encoders with a fixed frame size (AAC: 1024) take exactly that many samples */
    if (enc->frame_size > 0 && !(enc->codec->capabilities & AV_CODEC_CAP_VARIABLE_FRAME_SIZE))
        av_buffersink_set_frame_size(a->sink, enc->frame_size);
    cli_verbose(cli, 1, "audio: %s at %d Hz through %s (atempo's lead %lld samples corrected)",
                enc->codec->name, enc->sample_rate, chain, (long long)lead);
    return 0;
}

int audio_stretch_open(Cli *cli, AudioStretch *a, const AVFormatContext *input, double video_start,
                       WeftRational speed, VideoOutput *out)
{
    memset(a, 0, sizeof(*a));
    a->in_index = -1;
    a->limit = -1;
    a->speed = (double)speed.num / (double)speed.den;
    a->video_start = video_start;
    int index = av_find_best_stream((AVFormatContext *)input, AVMEDIA_TYPE_AUDIO, -1, -1, NULL, 0);
    if (index < 0)
        return 0;
    const AVStream *stream = input->streams[index];
    if (out->mux->oformat->audio_codec == AV_CODEC_ID_NONE) {
        cli_note(cli, "'%s' cannot hold audio; --audio stretch has nothing to do", out->path);
        return 0;
    }
    const AVCodec *decoder = avcodec_find_decoder(stream->codecpar->codec_id);
    const AVCodec *encoder = choose_encoder(stream->codecpar, out->mux->oformat);
    if (!decoder || !encoder) {
        cli_error(cli, "--audio stretch: no %s for the %s audio of '%s'",
                  decoder ? "encoder the output takes" : "decoder",
                  avcodec_get_name(stream->codecpar->codec_id), cli->inputs[0]);
        return AVERROR(EINVAL);
    }
    int err;
    if (!(a->decoder = avcodec_alloc_context3(decoder)) || !(a->frame = av_frame_alloc()) ||
        !(a->packet = av_packet_alloc()))
        return fail(cli, "set up the audio decoder", AVERROR(ENOMEM));
    if ((err = avcodec_parameters_to_context(a->decoder, stream->codecpar)) < 0 ||
        (err = avcodec_open2(a->decoder, decoder, NULL)) < 0)
        return fail(cli, "open the audio decoder", err);
    a->decoder->pkt_timebase = stream->time_base;
    if ((err = open_encoder(cli, a, encoder, out)) < 0 || (err = open_filters(cli, a)) < 0)
        return err;
    if ((err = video_output_add_encoded(cli, out, index, a->encoder, stream)) < 0)
        return err;
    a->in_index = index;
    a->in_time_base = stream->time_base;
    return 0;
}

/* Encodes a frame (NULL flushes) and hands the packets to the output as packets of the
 * input's audio stream (the output maps them to its encoded stream). */
static int encode(Cli *cli, AudioStretch *a, VideoOutput *out, AVFrame *frame)
{
    int err = avcodec_send_frame(a->encoder, frame);
    if (err < 0)
        return fail(cli, "encode audio", err);
    for (;;) {
        err = avcodec_receive_packet(a->encoder, a->packet);
        if (err == AVERROR(EAGAIN) || err == AVERROR_EOF)
            return 0;
        if (err < 0)
            return fail(cli, "encode audio", err);
        a->packet->stream_index = a->in_index;
        err = video_output_copy_packet(cli, out, a->packet);
        av_packet_unref(a->packet);
        if (err < 0)
            return err;
    }
}

/* Moves what the filter has ready to the encoder, stamped by sample count from the start. */
static int drain_filter(Cli *cli, AudioStretch *a, VideoOutput *out)
{
    for (;;) {
        int err = av_buffersink_get_frame(a->sink, a->frame);
        if (err == AVERROR(EAGAIN) || err == AVERROR_EOF)
            return 0;
        if (err < 0)
            return fail(cli, "stretch audio", err);
        if (a->limit >= 0) {
            /* the end: the silence pushed after the input is cut at the input's length */
            if (a->samples_out >= a->limit) {
                av_frame_unref(a->frame);
                continue;
            }
            if (a->samples_out + a->frame->nb_samples > a->limit)
                a->frame->nb_samples = (int)(a->limit - a->samples_out);
        }
        a->frame->pts = a->next_pts;
        a->next_pts += a->frame->nb_samples;
        a->samples_out += a->frame->nb_samples;
        err = encode(cli, a, out, a->frame);
        av_frame_unref(a->frame);
        if (err < 0)
            return err;
    }
}

/* Decodes what the decoder has ready into the filter. */
static int drain_decoder(Cli *cli, AudioStretch *a, VideoOutput *out)
{
    for (;;) {
        int err = avcodec_receive_frame(a->decoder, a->frame);
        if (err == AVERROR(EAGAIN) || err == AVERROR_EOF)
            return 0;
        if (err < 0)
            return fail(cli, "decode audio", err);
        if (!a->timed) {
            /* the output plays from the video's start: a sound starting at time A0 starts
             * at start + (A0 - start) / speed */
            int64_t pts = a->frame->best_effort_timestamp;
            double first = pts == AV_NOPTS_VALUE ? a->video_start : pts * av_q2d(a->in_time_base);
            double at = a->video_start + (first - a->video_start) / a->speed;
            a->next_pts = llrint(at * a->encoder->sample_rate);
            a->timed = 1;
        }
        a->frame->pts = a->samples_in;
        a->samples_in += a->frame->nb_samples;
        err = av_buffersrc_add_frame(a->source, a->frame);
        av_frame_unref(a->frame);
        if (err < 0)
            return fail(cli, "stretch audio", err);
        if ((err = drain_filter(cli, a, out)) < 0)
            return err;
    }
}

int audio_stretch_packet(Cli *cli, AudioStretch *a, VideoOutput *out, const AVPacket *packet)
{
    if (a->in_index < 0 || packet->stream_index != a->in_index)
        return 0;
    int err = avcodec_send_packet(a->decoder, packet);
    if (err < 0 && err != AVERROR_INVALIDDATA)
        return fail(cli, "decode audio", err);
    return drain_decoder(cli, a, out);
}

/* Feeds `count` samples of silence in the decoder's format into the filter. */
static int push_silence(AudioStretch *a, int64_t count)
{
    const AVCodecContext *dec = a->decoder;
    int err = 0;
    for (int64_t done = 0; err >= 0 && done < count; done += 1024) {
        a->frame->format = dec->sample_fmt;
        a->frame->sample_rate = dec->sample_rate;
        a->frame->nb_samples = 1024;
        a->frame->pts = a->samples_in + done;
        if ((err = av_channel_layout_copy(&a->frame->ch_layout, &dec->ch_layout)) < 0 ||
            (err = av_frame_get_buffer(a->frame, 0)) < 0)
            break;
        av_samples_set_silence(a->frame->extended_data, 0, 1024, dec->ch_layout.nb_channels,
                               dec->sample_fmt);
        err = av_buffersrc_add_frame(a->source, a->frame);
        av_frame_unref(a->frame);
    }
    return err;
}

int audio_stretch_finish(Cli *cli, AudioStretch *a, VideoOutput *out)
{
    if (a->in_index < 0)
        return 0;
    int err = avcodec_send_packet(a->decoder, NULL);
    if (err < 0 && err != AVERROR_EOF)
        return fail(cli, "decode audio", err);
    if ((err = drain_decoder(cli, a, out)) < 0)
        return err;
    /* atempo keeps back its last window at the end: push silence through so that all of
     * the input comes out, then cut the output at the input's length over the speed */
    a->limit = llrint((double)a->samples_in * a->encoder->sample_rate / a->decoder->sample_rate /
                      a->speed);
    if ((err = push_silence(a, llrint(a->decoder->sample_rate * (0.5 + 0.5 * a->speed)))) < 0 ||
        (err = av_buffersrc_add_frame(a->source, NULL)) < 0)
        return fail(cli, "stretch audio", err);
    if ((err = drain_filter(cli, a, out)) < 0)
        return err;
    return encode(cli, a, out, NULL);
}

void audio_stretch_close(AudioStretch *a)
{
    avfilter_graph_free(&a->graph);
    avcodec_free_context(&a->decoder);
    avcodec_free_context(&a->encoder);
    av_frame_free(&a->frame);
    av_packet_free(&a->packet);
}
