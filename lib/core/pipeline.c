/*
 * The stream pipeline behind weft_send_picture() / weft_get_picture().
 *
 * It keeps a window of two source pictures, `prev` and `next`, and produces every output
 * whose time lies in [prev, next) before it accepts the next source picture. Which
 * outputs exist and where they sit is decided by the planner (lib/plan), in exact rational
 * time; this file only moves pictures. Each source picture is uploaded at most once: when
 * the window moves on, the device slot of `next` becomes the slot of `prev`, and the flow
 * of a pair is computed once for all the in-betweens made from it.
 */
#include <stdlib.h>
#include <string.h>

#include "core/context.h"
#include "core/picture.h"
#include "core/pipeline.h"
#include "ops/block_diff.h"
#include "ops/scene_stats.h"
#include "plan/curve.h"
#include "plan/time_map.h"
#include "synth/shutter.h"

typedef struct Pipeline {
    TimeMap map;
    PlanCurve *curve; /* from settings.curve, loaded at weft_open() */
    int started;
    int64_t first_pts; /* of the stream's first picture */
    WeftPicture prev, next;
    int have_prev, have_next;
    int eof;
    int64_t last_interval; /* pts units between the last two pictures sent; 0 unknown */
    int64_t last_in_pts;   /* of the last picture sent (repeats included) */
    /* dup smooth/drop: repeats of prev's drawing are merged into prev (never stored); its
     * run ends at run_last_pts, a picture of run_last_duration (0 unknown) */
    int run_length;        /* pictures in prev's run, 1 when it has no repeats */
    int64_t run_last_pts, run_last_duration;
    /* shutter: the parts of output out_index's exposure that lay in pairs the window has
     * left (carry_length pts units of source time, over one or more pairs) are averaged in
     * the shutter's carry tensor; those of output out_index + 1 (next_carry_length) in its
     * next carry */
    double carry_length, next_carry_length;
    WeftTensor repeat_blocks; /* block_diff output, made at the first repeat test */
    float *repeat_means;      /* its host copy */
    int64_t out_index;     /* PLAN_FPS: index k of the next output */
    int step;              /* PLAN_FACTOR: step j of the next output in [prev, next) */
    int slot_loaded[2];    /* pair slots hold prev (0) and next (1) on the device */
    int pair_scored;       /* the cut score of prev -> next is known */
    int pair_cut;          /* prev -> next is a scene cut: show source pictures only */
} Pipeline;

int pipeline_open(WeftContext *c)
{
    if (!c->pipeline && !(c->pipeline = calloc(1, sizeof(Pipeline))))
        return -ENOMEM;
    if (c->settings.curve[0]) {
        char message[256];
        int err = plan_curve_load(&c->pipeline->curve, c->settings.curve, message,
                                  sizeof(message));
        if (err < 0) {
            /* parse errors name the line; file errors already name the file */
            if (!strncmp(message, "curve line", 10))
                log_error(&c->log, "'%s': %s", c->settings.curve, message);
            else
                log_error(&c->log, "%s", message[0] ? message : weft_strerror(err));
            return err;
        }
        log_verbose(&c->log, "retiming curve from '%s'", c->settings.curve);
    }
    return 0;
}

void pipeline_destroy(Pipeline **pp)
{
    if (!pp || !*pp)
        return;
    plan_curve_free(&(*pp)->curve);
    device_tensor_free(&(*pp)->repeat_blocks);
    free((*pp)->repeat_means);
    weft_picture_unref(&(*pp)->prev);
    weft_picture_unref(&(*pp)->next);
    free(*pp);
    *pp = NULL;
}

static int pipeline_start(WeftContext *c, const WeftPicture *first)
{
    Pipeline *p = c->pipeline;
    const WeftSettings *s = &c->settings;
    PlanMode mode = s->fps.num > 0 ? PLAN_FPS : PLAN_FACTOR;
    int err = plan_time_map_init(&p->map, mode, s->fps, s->factor, first->time_base,
                                 first->pts);
    if (err >= 0 && mode == PLAN_FPS && s->speed.num > 0)
        err = plan_time_map_set_speed(&p->map, s->speed);
    if (err >= 0 && mode == PLAN_FPS && p->curve)
        err = plan_time_map_set_curve(&p->map, p->curve);
    if (err < 0) {
        log_error(&c->log, "cannot plan output times for time base %lld/%lld: %s",
                  (long long)first->time_base.num, (long long)first->time_base.den,
                  weft_strerror(err));
        return err;
    }
    p->started = 1;
    p->first_pts = first->pts;
    return 0;
}

/* prev (just set) starts a run of one picture. */
static void start_run(Pipeline *p)
{
    p->run_length = 1;
    p->run_last_pts = p->prev.pts;
    p->run_last_duration = p->prev.duration;
}

/* Block size of the repeat test: large enough to average coding noise down, small enough
 * that a change in a small area (an eye, a mouth) fills most of a block. */
#define REPEAT_BLOCK 16

/* dup smooth/drop: is `in` a repeat of prev's drawing? Both lumas go to the device (slot 0
 * prev, slot 1 in: a new drawing is then already in place as next) and block_diff scores
 * them there; only the block means come back. */
static int check_repeat(WeftContext *c, const WeftPicture *in, int *repeat)
{
    Pipeline *p = c->pipeline;
    PairState *pair = &c->pair;
    int err;
    if ((err = pair_configure(c, in->width, in->height, in->format)) < 0)
        return err;
    if (!p->slot_loaded[0]) {
        if ((err = pair_load(c, 0, &p->prev)) < 0)
            return err;
        p->slot_loaded[0] = 1;
    }
    if ((err = pair_load(c, 1, in)) < 0)
        return err;
    const int bh = (in->height + REPEAT_BLOCK - 1) / REPEAT_BLOCK;
    const int bw = (in->width + REPEAT_BLOCK - 1) / REPEAT_BLOCK;
    /* the picture size is fixed for the stream: one tensor serves every test */
    if (!p->repeat_means) {
        p->repeat_means = malloc((size_t)bh * bw * sizeof(float));
        err = p->repeat_means ? device_tensor(c->dev, &p->repeat_blocks, 1, bh, bw) : -ENOMEM;
        if (err < 0) {
            free(p->repeat_means);
            p->repeat_means = NULL;
        }
    }
    if (err >= 0 && (err = op_block_diff(c->dev, &pair->luma[0], &pair->luma[1], REPEAT_BLOCK,
                                         &p->repeat_blocks)) >= 0)
        err = device_download(c->dev, &p->repeat_blocks, p->repeat_means);
    if (err >= 0) {
        float diff = block_diff_max(p->repeat_means, bh * bw);
        *repeat = diff <= c->settings.dup_threshold;
        /* slot 1 holds `in`: valid as next only when it becomes next */
        p->slot_loaded[1] = !*repeat;
        log_debug(&c->log, "pts %lld: largest block difference %.4f from pts %lld: %s",
                  (long long)in->pts, diff, (long long)p->prev.pts,
                  *repeat ? "a repeat" : "a new drawing");
    } else {
        log_error(&c->log, "cannot compare pictures for repeats: %s", weft_strerror(err));
    }
    return err;
}

int pipeline_send_picture(WeftContext *c, const WeftPicture *in)
{
    if (!c)
        return -EINVAL;
    if (!c->pipeline && !(c->pipeline = calloc(1, sizeof(Pipeline))))
        return -ENOMEM;
    Pipeline *p = c->pipeline;
    if (!in) {
        p->eof = 1;
        return 0;
    }
    CHECK_ARG(&c->log, !p->eof);
    int err = picture_check(&c->log, in);
    if (err < 0)
        return err;
    CHECK_ARG(&c->log, in->time_base.num > 0 && in->time_base.den > 0);
    CHECK_ARG(&c->log, in->duration >= 0);
    if (p->have_next)
        return -EAGAIN; /* outputs of the current window are still waiting */
    int repeat = 0;
    if (!p->started) {
        if ((err = pipeline_start(c, in)) < 0)
            return err;
    } else {
        const WeftPicture *ref = &p->prev;
        if (in->width != ref->width || in->height != ref->height || in->format != ref->format) {
            log_error(&c->log, "picture size or format changed mid-stream (%dx%d -> %dx%d)",
                      ref->width, ref->height, in->width, in->height);
            return -EINVAL;
        }
        if (in->time_base.num != p->map.in_tb.num || in->time_base.den != p->map.in_tb.den) {
            log_error(&c->log, "time base changed mid-stream");
            return -EINVAL;
        }
        if (in->pts <= p->last_in_pts) {
            log_error(&c->log, "pts %lld does not increase (previous %lld)",
                      (long long)in->pts, (long long)p->last_in_pts);
            return -EINVAL;
        }
        if (c->settings.dup != WEFT_DUP_KEEP && (err = check_repeat(c, in, &repeat)) < 0)
            return err;
        p->last_interval = in->pts - p->last_in_pts;
    }
    p->last_in_pts = in->pts;
    if (repeat) {
        p->run_length++;
        p->run_last_pts = in->pts;
        p->run_last_duration = in->duration;
        return 0;
    }
    WeftPicture *dst = p->have_prev ? &p->next : &p->prev;
    if ((err = picture_clone(dst, in)) < 0)
        return err;
    if (p->have_prev) {
        p->have_next = 1;
    } else {
        p->have_prev = 1;
        start_run(p);
    }
    return 0;
}

/* Moves the window: next becomes prev. */
static void advance_window(Pipeline *p, PairState *pair)
{
    weft_picture_unref(&p->prev);
    p->prev = p->next;
    memset(&p->next, 0, sizeof(p->next));
    p->have_next = 0;
    pair_swap(pair);
    p->slot_loaded[0] = p->slot_loaded[1];
    p->slot_loaded[1] = 0;
    p->step = 0;
    p->pair_scored = 0;
    p->pair_cut = 0;
    start_run(p);
}

/* Length of the last source picture's interval (pts units, from its first appearance to
 * the end of its last repeat), 0 if it cannot be known. */
static int64_t final_interval(const Pipeline *p)
{
    int64_t last = p->run_last_duration > 0 ? p->run_last_duration : p->last_interval;
    return last > 0 ? p->run_last_pts - p->prev.pts + last : 0;
}

/* dup smooth: where the in-betweens from prev's drawing start. A drawing held for
 * HOLD_PICTURES or more is an intentional hold: it stays still to its last repeat and moves
 * on from there; a shorter run (twos, threes) is one drawing placed at its first picture. */
#define HOLD_PICTURES 4

static int64_t motion_start(const WeftContext *c)
{
    const Pipeline *p = c->pipeline;
    if (c->settings.dup == WEFT_DUP_SMOOTH && p->run_length >= HOLD_PICTURES)
        return p->run_last_pts;
    return p->prev.pts;
}

/* Scores the loaded pair for a scene cut on the device (scene_stats op, row sums reduced
 * here), once per pair and only when an in-between of it is asked for: a stream of copies
 * never pays for it. */
static int score_pair(WeftContext *c)
{
    Pipeline *p = c->pipeline;
    PairState *pair = &c->pair;
    const int h = pair->height, w = pair->width;
    WeftTensor stats = {0};
    float *rows = malloc((size_t)h * (1 + 2 * SCENE_STATS_BINS) * sizeof(float));
    int err = -ENOMEM;
    if (!rows)
        goto fail;
    if ((err = device_tensor(c->dev, &stats, 1, h, 1 + 2 * SCENE_STATS_BINS)) < 0 ||
        (err = op_scene_stats(c->dev, &pair->luma[0], &pair->luma[1], &stats)) < 0 ||
        (err = device_download(c->dev, &stats, rows)) < 0)
        goto fail;
    float score = scene_score(rows, h, w);
    p->pair_cut = score >= c->settings.scene_threshold;
    p->pair_scored = 1;
    if (p->pair_cut)
        log_verbose(&c->log, "scene cut between pts %lld and %lld (score %.3f >= %.3f)",
                    (long long)p->prev.pts, (long long)p->next.pts, score,
                    c->settings.scene_threshold);
    else
        log_debug(&c->log, "pair pts %lld -> %lld: cut score %.3f", (long long)p->prev.pts,
                  (long long)p->next.pts, score);
fail:
    device_tensor_free(&stats);
    free(rows);
    return err;
}

/* Puts the window's pair on the device, scores it for a cut and (when it is no cut)
 * prepares flow and synthesis. Device storage, flow and synthesis are set up at the first
 * in-between, so a stream of copies never needs them. */
static int ready_pair(WeftContext *c)
{
    Pipeline *p = c->pipeline;
    int err;
    if ((err = pair_configure(c, p->prev.width, p->prev.height, p->prev.format)) < 0)
        return err;
    for (int slot = 0; slot < 2; slot++) {
        if (!p->slot_loaded[slot]) {
            if ((err = pair_load(c, slot, slot ? &p->next : &p->prev)) < 0)
                return err;
            p->slot_loaded[slot] = 1;
        }
    }
    if (c->settings.scene_threshold > 0.0f && !p->pair_scored && (err = score_pair(c)) < 0)
        return err;
    return p->pair_cut ? 0 : pair_prepare(c);
}

/* Makes the output at pair time t_num / t_den. exposure: how long the shutter is open, in
 * pair time (0 = a sharp frame), centred on t and moved inside the pair where it overhangs
 * (the first output, or one whose earlier part a cut dropped). */
static int emit(WeftContext *c, int64_t t_num, int64_t t_den, double exposure, int64_t pts,
                int64_t duration, WeftPicture *out)
{
    Pipeline *p = c->pipeline;
    int err;
    const int blur = exposure > 0.0 && p->have_next;
    if ((t_num == 0 && !blur) || !p->have_next) {
        /* at a source time, or holding the last picture: a bit-exact copy */
        if ((err = picture_clone(out, &p->prev)) < 0)
            return err;
    } else if ((err = ready_pair(c)) < 0) {
        return err;
    } else if (p->pair_cut) {
        /* never synthesise (or blur) across a cut: the nearest source picture (the earlier
         * one at exactly half way), a bit-exact copy */
        if ((err = picture_clone(out, t_num > t_den - t_num ? &p->next : &p->prev)) < 0)
            return err;
    } else {
        double t = (double)t_num / (double)t_den;
        float t0, t1;
        shutter_window(t, exposure, &t0, &t1);
        err = blur ? pair_render_exposed(c, t0, t1, 0.0f, out) : pair_render(c, t, out);
        if (err < 0)
            return err;
        out->color = p->prev.color;
    }
    out->pts = pts;
    out->duration = duration;
    out->time_base = p->map.out_tb;
    return 0;
}

/* Shutter open time of output k (its frame interval times shutter / 360) in source pts
 * units: the interval is the source time to output k + 1, so speed and curves set it. */
static double fps_exposure(const WeftContext *c, int64_t k, PlanTime at)
{
    const Pipeline *p = c->pipeline;
    PlanTime following;
    if (c->settings.shutter <= 0.0f || !p->have_next ||
        plan_fps_output_time(&p->map, k + 1, &following) < 0)
        return 0.0;
    double interval =
        (double)following.num / (double)following.den - (double)at.num / (double)at.den;
    return c->settings.shutter / 360.0 * interval;
}

/* Output k's exposure [a, b] in source time, centred on its time `at`; nothing exists
 * before the first picture, so an exposure reaching before it is moved (not shortened) to
 * start there. Returns its length, 0 for a sharp output. */
static double exposure_window(const WeftContext *c, int64_t k, PlanTime at, double *a,
                              double *b)
{
    const Pipeline *p = c->pipeline;
    double exposure = fps_exposure(c, k, at);
    double centre = (double)at.num / (double)at.den;
    *a = centre - exposure / 2;
    *b = centre + exposure / 2;
    if (*a < (double)p->first_pts) {
        *b += (double)p->first_pts - *a;
        *a = (double)p->first_pts;
    }
    return exposure;
}

/* The part of an exposure [a, b] (source time) that lies in the current pair, added by
 * length to the average of the current output (next = 0) or of the one after (next = 1)
 * in the shutter's carries. An exposure can span many pairs (a speed-up: several source
 * intervals per output): each adds its part as the window passes. Nothing is carried
 * across a cut. */
static int accumulate_exposure(WeftContext *c, int next, double a, double b)
{
    Pipeline *p = c->pipeline;
    double *carried = next ? &p->next_carry_length : &p->carry_length;
    const int64_t start = motion_start(c);
    const double length = (double)(p->next.pts - start);
    double from = a > (double)start ? a : (double)start;
    double to = b < (double)p->next.pts ? b : (double)p->next.pts;
    if (!(to > from) || !(length > 0.0))
        return 0;
    int err = ready_pair(c);
    if (err < 0)
        return err;
    if (p->pair_cut) {
        *carried = 0.0;
        return 0;
    }
    float share = (float)(*carried / (*carried + (to - from)));
    if ((err = pair_expose_carry(c, next, (float)((from - (double)start) / length),
                                 (float)((to - (double)start) / length), share)) < 0)
        return err;
    *carried += to - from;
    return 0;
}

/* Before the window moves on: this pair's parts of the current output's exposure and of
 * the next one's, when that has begun. */
static int accumulate_both(WeftContext *c, double a, double b)
{
    Pipeline *p = c->pipeline;
    int err = accumulate_exposure(c, 0, a, b);
    PlanTime at_next;
    double a_next, b_next;
    if (err >= 0 && plan_fps_output_time(&p->map, p->out_index + 1, &at_next) >= 0 &&
        exposure_window(c, p->out_index + 1, at_next, &a_next, &b_next) > 0.0)
        err = accumulate_exposure(c, 1, a_next, b_next);
    return err;
}

/* The current output is done: the next one's carry becomes the carry. */
static void next_output(WeftContext *c)
{
    Pipeline *p = c->pipeline;
    p->out_index++;
    p->carry_length = p->next_carry_length;
    p->next_carry_length = 0.0;
    if (p->carry_length > 0.0)
        pair_promote_carry(c);
}

/* Output k at source time `at` in (or a hair before) the current pair, with an exposure of
 * `exposure` pair time made in this pair alone. */
static int emit_at(WeftContext *c, PlanTime at, double exposure, int64_t pts, WeftPicture *out)
{
    Pipeline *p = c->pipeline;
    int64_t t_num = 0, t_den = 1, start = motion_start(c);
    /* a curve's float evaluation, rounded to its grid, can land a hair before the window
     * already reached: that is the source picture itself (and so is any time inside a
     * hold) */
    if (plan_time_cmp_pts(at, start) > 0)
        plan_locate(at, start, p->next.pts, &t_num, &t_den);
    int err = emit(c, t_num, t_den, exposure, pts, 1, out);
    if (err < 0)
        return err;
    next_output(c);
    return 0;
}

/* An output made from the carry (and this pair): its pts, and on to the next. */
static void finish_output(WeftContext *c, WeftPicture *out, int64_t pts)
{
    Pipeline *p = c->pipeline;
    out->color = p->prev.color;
    out->pts = pts;
    out->duration = 1;
    out->time_base = p->map.out_tb;
    next_output(c);
}

/* An exposed output whose exposure [a, b] ends in the current pair; `at` (its time) may lie
 * in an earlier pair when its exposure began there. */
static int emit_exposed(WeftContext *c, PlanTime at, double exposure, double a, double b,
                        int64_t pts, WeftPicture *out)
{
    Pipeline *p = c->pipeline;
    const int64_t start = motion_start(c);
    const double length = (double)(p->next.pts - start);
    const double carried = p->carry_length;
    const int own_pair = plan_time_cmp_pts(at, start) >= 0;
    int err;
    if ((err = ready_pair(c)) < 0)
        return err;
    if (!(carried > 0.0) || (own_pair && p->pair_cut)) {
        /* all of it in this pair (its start cut off by a cut), or a cut pair (emit() shows
         * a source picture then) */
        return emit_at(c, at, exposure / length, pts, out);
    }
    double from = a > (double)start ? a : (double)start;
    if (p->pair_cut || !(b > from)) {
        /* the exposure stops at the cut: what lay before it */
        err = pair_render_carry(c, out);
    } else {
        float part = (float)(b - from);
        err = pair_render_exposed(c, (float)((from - (double)start) / length),
                                  (float)((b - (double)start) / length),
                                  (float)(carried / (carried + part)), out);
    }
    if (err < 0)
        return err;
    finish_output(c, out, pts);
    return 0;
}

static int get_fps(WeftContext *c, WeftPicture *out)
{
    Pipeline *p = c->pipeline;
    for (;;) {
        PlanTime at;
        int err = plan_fps_output_time(&p->map, p->out_index, &at);
        if (err < 0)
            return err;
        int64_t pts = plan_fps_output_pts(&p->map, p->out_index);
        if (p->have_next) {
            const int beyond = plan_time_cmp_pts(at, p->next.pts) >= 0;
            double a, b;
            const double exposure = exposure_window(c, p->out_index, at, &a, &b);
            if (exposure > 0.0) {
                /* the output is made once the window holds its exposure's end, from all
                 * the pairs the exposure spans */
                if (beyond || b > (double)p->next.pts) {
                    if (!beyond && ready_pair(c) >= 0 && p->pair_cut) {
                        /* a cut in its own pair (a source picture then), or after the
                         * exposure began (it stops at the cut) */
                        return emit_exposed(c, at, exposure, a, b, pts, out);
                    }
                    if ((err = accumulate_both(c, a, b)) < 0)
                        return err;
                    advance_window(p, &c->pair);
                    continue;
                }
                return emit_exposed(c, at, exposure, a, b, pts, out);
            }
            if (beyond) {
                advance_window(p, &c->pair);
                continue;
            }
            return emit_at(c, at, 0.0, pts, out);
        }
        if (!p->eof)
            return -EAGAIN;
        /* after the last source picture: hold it until the end of its interval; a lone
         * picture of unknown duration gives one output */
        int64_t length = final_interval(p);
        int inside = length > 0 ? plan_time_cmp_pts(at, p->prev.pts + length) < 0
                                : plan_time_cmp_pts(at, p->prev.pts) <= 0;
        if (!inside)
            return WEFT_EOF;
        if (p->carry_length > 0.0 && plan_time_cmp_pts(at, p->prev.pts) < 0) {
            /* an exposure that ran past the last picture: the part before it */
            if ((err = pair_render_carry(c, out)) < 0)
                return err;
            finish_output(c, out, pts);
            return 0;
        }
        if ((err = emit(c, 0, 1, 0.0, pts, 1, out)) < 0)
            return err;
        next_output(c);
        return 0;
    }
}

static int get_factor(WeftContext *c, WeftPicture *out)
{
    Pipeline *p = c->pipeline;
    const int n = p->map.factor;
    for (;;) {
        int64_t length;
        if (p->have_next)
            length = p->next.pts - p->prev.pts;
        else if (!p->eof)
            return -EAGAIN;
        else
            length = final_interval(p);
        if (p->step >= n || (length <= 0 && p->step >= 1)) {
            if (!p->have_next)
                return WEFT_EOF;
            advance_window(p, &c->pair);
            continue;
        }
        PlanTime at;
        int64_t pts, t_num = 0, t_den = 1;
        plan_factor_output_time(&p->map, p->prev.pts, length > 0 ? length : 1, p->step, &at,
                                &pts);
        if (p->have_next)
            plan_locate(at, p->prev.pts, p->next.pts, &t_num, &t_den);
        PlanTime following;
        int64_t following_pts;
        plan_factor_output_time(&p->map, p->prev.pts, length > 0 ? length : 1, p->step + 1,
                                &following, &following_pts);
        int64_t step_pts_length = following_pts - pts;
        /* factor mode: each output lasts 1 / n of its source interval */
        double exposure = c->settings.shutter / 360.0 / n;
        int err = emit(c, t_num, t_den, exposure, pts,
                       step_pts_length > 0 ? step_pts_length : 1, out);
        if (err < 0)
            return err;
        p->step++;
        return 0;
    }
}

int pipeline_get_picture(WeftContext *c, WeftPicture *out)
{
    if (!c)
        return -EINVAL;
    CHECK_ARG(&c->log, out != NULL);
    memset(out, 0, sizeof(*out));
    Pipeline *p = c->pipeline;
    if (!p || !p->have_prev)
        return p && p->eof ? WEFT_EOF : -EAGAIN;
    int err = p->map.mode == PLAN_FPS ? get_fps(c, out) : get_factor(c, out);
    if (err == WEFT_EOF) {
        weft_picture_unref(&p->prev);
        p->have_prev = 0;
    }
    return err;
}
