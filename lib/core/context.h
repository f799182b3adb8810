#ifndef WEFT_CORE_CONTEXT_H
#define WEFT_CORE_CONTEXT_H

#include "core/device.h"
#include "core/log.h"
#include "flow/flow.h"
#include "synth/synth.h"
#include "weft/weft.h"

/* What the context keeps for the current pair of source frames: both frames and their
 * luma on the device, both flows, and the synthesiser prepared for the pair. Kept between
 * calls so that every in-between of one pair reuses the same flow. */
typedef struct PairState {
    int width, height, channels;
    WeftPixelFormat format;
    WeftTensor frame[2], luma[2], flow_fwd, flow_bwd, out;
    float *host_planes;      /* channels * h * w scratch for conversion */
    float *host_luma;        /* h * w */
    FlowEstimator *flow;
    Synth *synth;
    struct Shutter *shutter; /* settings.shutter > 0: motion blur of the outputs */
    int prepared;            /* synth_prepare done for frame[0], frame[1] */
    float max_motion;        /* largest flow length of the prepared pair (pixels), < 0 unknown */
    WeftColor color;         /* of the last picture loaded (for the network's RGB) */
} PairState;

struct Pipeline;
struct StabStage;

struct WeftContext {
    WeftSettings settings;
    Log log;
    Device *dev;
    PairState pair;
    struct Pipeline *pipeline;
    struct NnRife *rife;     /* method rife: the network, loaded by weft_open() */
    struct StabStage *stab;  /* stabilize: analysis, path and the stage before the pipeline */
    struct PlaceboConvert *placebo; /* Vulkan path: picture conversions by libplacebo; NULL:
                                     * the C conversions (lib/core/convert.c) */
};

/* Makes (or reuses) device storage for pictures of this size and format. */
int pair_configure(WeftContext *c, int width, int height, WeftPixelFormat format);
/* Uploads picture `pic` into slot 0 or 1 (invalidates the prepared pair). */
int pair_load(WeftContext *c, int slot, const WeftPicture *pic);
/* Computes both flows for the loaded pair and prepares synthesis (once per pair). */
int pair_prepare(WeftContext *c);
/* Makes the in-between at t into a newly allocated picture (format of the pair). */
int pair_render(WeftContext *c, double t, WeftPicture *out);
/* The same, exposed by a shutter open over [t0, t1] of the pair (0 <= t0 < t1 <= 1): the
 * mean of in-betweens spread over it (synth/shutter.h). carry_share > 0: the rest of the
 * exposure was kept by pair_expose_carry() from the previous pair and makes up that share
 * of the whole. */
int pair_render_exposed(WeftContext *c, float t0, float t1, float carry_share,
                        WeftPicture *out);
/* Renders the exposure over [t0, t1] of the prepared pair into the shutter's carry (next:
 * the next output's carry); with carry_share > 0, mixes it into what that carry holds
 * (that share of the whole) instead. */
int pair_expose_carry(WeftContext *c, int next, float t0, float t1, float carry_share);
/* The next output's carry becomes the carry. */
void pair_promote_carry(WeftContext *c);
/* The shutter's carry alone as a newly allocated picture: an exposure that a cut or the
 * end of the stream stops. */
int pair_render_carry(WeftContext *c, WeftPicture *out);
void pair_release(PairState *p);
/* Swaps slots 0 and 1 (the next frame becomes the previous one without re-uploading). */
void pair_swap(PairState *p);
/* Argument checks of a picture given to the library (logs the failed condition). */
int picture_check(const Log *log, const WeftPicture *pic);

#endif
