/*
 * Synthesis of in-betweens over ops. Per pair (synth_prepare): occlusion masks of both
 * frames from the forward-backward check. Per in-between (synth_frame): one synth_merge
 * pass that inverts each flow at time t by fixed-point iteration with occlusion ordering
 * and merges the two samples with weights from time distance, flow consistency and
 * visibility (see ops/synth_merge.h).
 */
#include <stdlib.h>

#include "ops/occlusion.h"
#include "ops/synth_merge.h"
#include "synth/anime.h"
#include "synth/synth.h"

/* Forward-backward check thresholds (Sundaram et al. ECCV 2010 use 0.01 and 0.5). */
#define OCC_REL 0.01f
#define OCC_ABS_SQ 0.5f

struct Synth {
    Device *dev;
    int channels, w, h;
    WeftTensor occ_a, occ_b;
    WeftTensor *a, *b, *fwd, *bwd;
    OpSynthMergeParams merge;
    int use_occlusion; /* 0: occ_a/occ_b stay zero and synth_prepare computes nothing */
    AnimeSynth *anime; /* content=anime: made by synth_set_content() */
};

int synth_create(Synth **out, Device *d, int channels, int width, int height)
{
    if (!out || !d || channels < 1 || width < 1 || height < 1)
        return -EINVAL;
    *out = NULL;
    Synth *s = calloc(1, sizeof(*s));
    if (!s)
        return -ENOMEM;
    s->dev = d;
    s->channels = channels;
    s->w = width;
    s->h = height;
    int err = device_tensor(d, &s->occ_a, 1, height, width);
    if (err >= 0)
        err = device_tensor(d, &s->occ_b, 1, height, width);
    if (err >= 0)
        err = synth_set_quality(s, WEFT_QUALITY_MEDIUM);
    if (err < 0) {
        synth_destroy(&s);
        return err;
    }
    *out = s;
    return 0;
}

/* Per quality: fixed-point steps and start points of the flow inversion, and the frame
 * sampling (ops/synth_merge.h). FAST keeps one start and no steps (the Super SloMo
 * approximation checked by its residual), bilinear sampling and no photometric weights, for
 * 1080p throughput. With the photometric weights the floor can be lower (0.3: each side's
 * own evidence decides more; DAVIS +0.03 dB, Middlebury +0.01 over floor 1). */
static const int occlusion_presets[] = {
    [WEFT_QUALITY_FAST] = 0,
    [WEFT_QUALITY_MEDIUM] = 1,
    [WEFT_QUALITY_HIGH] = 1,
};

static const OpSynthMergeParams merge_presets[] = {
    [WEFT_QUALITY_FAST] = {.iterations = 0,
                           .candidates = 1,
                           .occ_weight = 1.0f,
                           .res_scale = 1.0f,
                           .floor = 1.0f,
                           .cubic_sigma = 0.0f,
                           .photo_sigma = 0.0f},
    [WEFT_QUALITY_MEDIUM] = {.iterations = 2,
                             .candidates = 2,
                             .occ_weight = 1.0f,
                             .res_scale = 1.0f,
                             .floor = 0.3f,
                             .cubic_sigma = 0.05f,
                             .photo_sigma = 0.4f},
    [WEFT_QUALITY_HIGH] = {.iterations = 3,
                           .candidates = 2,
                           .occ_weight = 1.0f,
                           .res_scale = 1.0f,
                           .floor = 0.3f,
                           .cubic_sigma = 0.05f,
                           .photo_sigma = 0.4f},
};

int synth_set_quality(Synth *s, int quality)
{
    if (!s || quality < 0 || quality > WEFT_QUALITY_HIGH)
        return -EINVAL;
    s->merge = merge_presets[quality];
    s->use_occlusion = occlusion_presets[quality];
    int err = 0;
    if (!s->use_occlusion) {
        /* FAST: the residual of the flow inversion stands in for the occlusion masks, and
         * the two full-resolution consistency passes are saved */
        float *zeros = calloc((size_t)s->w * s->h, sizeof(float));
        if (!zeros)
            return -ENOMEM;
        err = device_upload(s->dev, &s->occ_a, zeros);
        if (err >= 0)
            err = device_upload(s->dev, &s->occ_b, zeros);
        free(zeros);
    }
    return err;
}

int synth_set_content(Synth *s, int content)
{
    if (!s || (content != WEFT_CONTENT_LIVE && content != WEFT_CONTENT_ANIME))
        return -EINVAL;
    if (content == WEFT_CONTENT_LIVE) {
        anime_synth_destroy(&s->anime);
        return 0;
    }
    return s->anime ? 0 : anime_synth_create(&s->anime, s->dev, s->channels, s->w, s->h);
}

void synth_destroy(Synth **ps)
{
    if (!ps || !*ps)
        return;
    anime_synth_destroy(&(*ps)->anime);
    device_tensor_free(&(*ps)->occ_a);
    device_tensor_free(&(*ps)->occ_b);
    free(*ps);
    *ps = NULL;
}

int synth_prepare(Synth *s, WeftTensor *a, WeftTensor *b, WeftTensor *fwd, WeftTensor *bwd)
{
    if (!s || !a || !b || !fwd || !bwd)
        return -EINVAL;
    s->a = a;
    s->b = b;
    s->fwd = fwd;
    s->bwd = bwd;
    if (!s->use_occlusion)
        return 0;
    int err = op_occlusion(s->dev, fwd, bwd, OCC_REL, OCC_ABS_SQ, &s->occ_a);
    if (err >= 0)
        err = op_occlusion(s->dev, bwd, fwd, OCC_REL, OCC_ABS_SQ, &s->occ_b);
    return err;
}

int synth_frame(Synth *s, float t, WeftTensor *out)
{
    if (!s || !out || !s->a || !(t > 0.0f && t < 1.0f))
        return -EINVAL;
    if (s->anime)
        return anime_synth_frame(s->anime, s->a, s->b, s->fwd, s->bwd, &s->occ_a, &s->occ_b, t,
                                 out);
    OpSynthMergeParams p = s->merge;
    p.t = t;
    return op_synth_merge(s->dev, s->a, s->b, s->fwd, s->bwd, &s->occ_a, &s->occ_b, &p, out);
}
