#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/context.h"
#include "core/convert.h"
#include "core/picture.h"
#include "core/pipeline.h"
#include "core/stabilize.h"
#include "stab/stab_analyse.h"
#include "stab/stab_path.h"
#include "stab/stab_render.h"
#include "stab/stab_shape.h"
#include "stab/stab_zoom.h"

/* Neighbours that fill the borders, nearest first; the stage keeps LOOKAHEAD pictures
 * ahead of the one it renders and as many behind. */
static const int neighbour_offsets[] = {1, -1, 2, -2, 4, -4, 8, -8, 16, -16, 24, -24, 32, -32};
#define NUM_NEIGHBOURS (int)(sizeof(neighbour_offsets) / sizeof(neighbour_offsets[0]))
#define LOOKAHEAD 32
#define QUEUE (2 * LOOKAHEAD + 8)
#define SLOTS (NUM_NEIGHBOURS + 1)

typedef struct StabStage {
    int width, height, channels;
    WeftPixelFormat format;
    float *host_planes, *host_luma;
    /* pass 1 */
    StabAnalyser *analyser;
    WeftTensor luma;
    StabMat *motion;      /* frame i-1 -> i by the chosen model */
    StabMat *motion_full; /* the same as a homography */
    int count, capacity, found;
    int planned;
    int online; /* one pass (no analysis pass was made, as in the FFmpeg filter): each picture
                   is analysed as it arrives and planned over the pictures around it */
    /* the plan */
    StabMat *camera, *correction;
    StabMat *camera_full; /* motion_full accumulated: registers neighbours for the fill */
    double *zoom;
    /* pass 2 */
    WeftPicture queue[QUEUE]; /* source picture i at i % QUEUE */
    int64_t received, rendered;
    int eof, inner_eof;
    WeftPicture pending; /* rendered, not yet taken by the pipeline */
    int have_pending;
    WeftTensor slot[SLOTS];
    int64_t slot_frame[SLOTS], slot_used[SLOTS], clock;
    WeftTensor out, coverage;
} StabStage;

void stab_stage_destroy(StabStage **ps)
{
    if (!ps || !*ps)
        return;
    StabStage *s = *ps;
    stab_analyser_destroy(&s->analyser);
    device_tensor_free(&s->luma);
    for (int i = 0; i < QUEUE; i++)
        weft_picture_unref(&s->queue[i]);
    weft_picture_unref(&s->pending);
    for (int i = 0; i < SLOTS; i++)
        device_tensor_free(&s->slot[i]);
    device_tensor_free(&s->out);
    device_tensor_free(&s->coverage);
    free(s->host_planes);
    free(s->host_luma);
    free(s->motion);
    free(s->motion_full);
    free(s->camera_full);
    free(s->camera);
    free(s->correction);
    free(s->zoom);
    free(s);
    *ps = NULL;
}

static int stage_configure(WeftContext *c, const WeftPicture *pic)
{
    StabStage *s = c->stab;
    if (s->width) {
        if (pic->width != s->width || pic->height != s->height || pic->format != s->format) {
            log_error(&c->log, "stabilize: picture size or format changed (%dx%d -> %dx%d)",
                      s->width, s->height, pic->width, pic->height);
            return -EINVAL;
        }
        return 0;
    }
    s->width = pic->width;
    s->height = pic->height;
    s->format = pic->format;
    s->channels = convert_components(pic->format);
    size_t n = (size_t)pic->width * pic->height;
    s->host_planes = malloc(n * s->channels * sizeof(float));
    s->host_luma = malloc(n * sizeof(float));
    if (!s->host_planes || !s->host_luma)
        return -ENOMEM;
    for (int i = 0; i < SLOTS; i++)
        s->slot_frame[i] = -1;
    return 0;
}

static int stage_get(WeftContext *c, StabStage **out)
{
    if (!c->stab && !(c->stab = calloc(1, sizeof(StabStage))))
        return -ENOMEM;
    *out = c->stab;
    return 0;
}

/* The stage runs for stabilisation and for smoothing stepped camera moves. */
static int stage_wanted(const WeftSettings *set)
{
    return set->stabilize || set->camera == WEFT_CAMERA_SMOOTH;
}

/* Sigma 2 pictures: steps of up to 3 pictures vanish, a constant pace (the fit is locally
 * linear) stays exactly */
#define STEP_SMOOTH 4

/* The path and shape smoothing that the settings ask for; `online`: over a window of
 * LOOKAHEAD pictures on each side (Gaussian, sigma capped to fit it). */
static void path_options(const StabStage *s, const WeftSettings *set, int online,
                         StabPathOptions *o, StabShapeOptions *so)
{
    const int steps = set->camera == WEFT_CAMERA_SMOOTH;
    int smooth = steps ? STEP_SMOOTH : set->smooth > 0 ? set->smooth : 30;
    if (online && smooth > 2 * LOOKAHEAD / 3)
        smooth = 2 * LOOKAHEAD / 3;
    *o = (StabPathOptions){
        .model = (StabModel)set->motion_model,
        .mode = online || steps ? STAB_PATH_GAUSS : (StabPathMode)set->stab_path,
        .smooth = smooth,
        .max_shift = steps ? 0 : set->max_shift,
        .max_angle = steps ? 0 : set->max_angle * M_PI / 180.0,
        .width = s->width,
        .height = s->height,
    };
    /* the shape of the motion, when the model leaves it out (a drawn pan has none) */
    *so = (StabShapeOptions){
        .mode = o->mode,
        .smooth = smooth,
        .max_shear =
            steps || o->model == STAB_MODEL_HOMOGRAPHY ? 0 : set->max_shear / 100.0,
        .width = s->width,
        .height = s->height,
    };
}

/* After the last picture of pass 1: the path, its smoothing, the zoom. */
static int plan(WeftContext *c)
{
    StabStage *s = c->stab;
    const WeftSettings *set = &c->settings;
    int n = s->count;
    if (n < 1) {
        log_error(&c->log, "stabilize: the analysis pass saw no picture");
        return -EINVAL;
    }
    s->camera = malloc((size_t)n * sizeof(StabMat));
    s->correction = malloc((size_t)n * sizeof(StabMat));
    s->camera_full = malloc((size_t)n * sizeof(StabMat));
    s->zoom = malloc((size_t)n * sizeof(double));
    StabMat *shape = malloc((size_t)n * sizeof(StabMat));
    if (!s->camera || !s->correction || !s->camera_full || !s->zoom || !shape) {
        free(shape);
        return -ENOMEM;
    }
    stab_path_accumulate(s->motion, n, s->camera);
    stab_path_accumulate(s->motion_full, n, s->camera_full);
    StabPathOptions o;
    StabShapeOptions so;
    path_options(s, set, 0, &o, &so);
    int err = stab_path_smooth(s->camera, n, &o, s->correction);
    if (err >= 0)
        err = stab_shape_correct(s->motion, s->motion_full, n, &so, shape);
    for (int i = 0; err >= 0 && i < n; i++) {
        s->correction[i] = stab_mat_mul(&s->correction[i], &shape[i]);
        stab_mat_normalize(&s->correction[i]);
    }
    free(shape);
    if (err >= 0)
        err = stab_zoom_plan(s->correction, n, s->width, s->height, (StabBorder)set->stab_border,
                             o.smooth, s->zoom);
    if (err < 0)
        return err;
    double most = 1;
    for (int i = 0; i < n; i++) {
        most = fmax(most, s->zoom[i]);
        const double *m = s->camera[i].m, *b = s->correction[i].m;
        log_debug(&c->log,
                  "stabilize: picture %d camera %.6g %.6g %.6g %.6g %.6g %.6g %.6g %.6g %.6g "
                  "correction %.6g %.6g %.6g %.6g %.6g %.6g %.6g %.6g %.6g zoom %.4f",
                  i, m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8], b[0], b[1], b[2], b[3],
                  b[4], b[5], b[6], b[7], b[8], s->zoom[i]);
    }
    log_verbose(&c->log, "stabilize: %d pictures, motion found for %d pairs, largest zoom %.3f", n,
                s->found, most);
    s->planned = 1;
    return 0;
}

int stab_stage_plan(const WeftContext *c, int *n, const StabMat **camera,
                    const StabMat **correction)
{
    if (!c || !c->stab || !c->stab->planned || !n || !camera || !correction)
        return -EINVAL;
    *n = c->stab->count;
    *camera = c->stab->camera;
    *correction = c->stab->correction;
    return 0;
}

/* Measures the motion from the previous picture to `in` and appends it (and, online, the
 * camera path). */
static int analyse_picture(WeftContext *c, const WeftPicture *in)
{
    StabStage *s = c->stab;
    int err;
    if (!s->analyser &&
        ((err = device_tensor(c->dev, &s->luma, 1, s->height, s->width)) < 0 ||
         (err = stab_analyser_create(&s->analyser, c->dev, &c->log, s->width, s->height,
                                     (StabModel)c->settings.motion_model)) < 0))
        return err;
    if (s->count == s->capacity) {
        int capacity = s->capacity ? 2 * s->capacity : 256;
        StabMat *motion = realloc(s->motion, (size_t)capacity * sizeof(StabMat));
        if (motion)
            s->motion = motion;
        StabMat *full = realloc(s->motion_full, (size_t)capacity * sizeof(StabMat));
        if (full)
            s->motion_full = full;
        if (s->online) {
            StabMat *camera = realloc(s->camera, (size_t)capacity * sizeof(StabMat));
            if (camera)
                s->camera = camera;
            StabMat *camera_full = realloc(s->camera_full, (size_t)capacity * sizeof(StabMat));
            if (camera_full)
                s->camera_full = camera_full;
            StabMat *correction = realloc(s->correction, (size_t)capacity * sizeof(StabMat));
            if (correction)
                s->correction = correction;
            double *zoom = realloc(s->zoom, (size_t)capacity * sizeof(double));
            if (zoom)
                s->zoom = zoom;
            if (!camera || !camera_full || !correction || !zoom)
                return -ENOMEM;
        }
        if (!motion || !full)
            return -ENOMEM;
        s->capacity = capacity;
    }
    convert_to_float(in, s->host_planes);
    convert_luma(in->format, s->host_planes, s->width, s->height, s->host_luma);
    int found = 0;
    if ((err = device_upload(c->dev, &s->luma, s->host_luma)) < 0 ||
        (err = stab_analyser_push(s->analyser, &s->luma, &s->motion[s->count],
                                   &s->motion_full[s->count], &found)) < 0) {
        log_error(&c->log, "stabilize: cannot analyse picture %d: %s", s->count,
                  weft_strerror(err));
        return err;
    }
    if (s->online) {
        int i = s->count;
        s->camera[i] = s->camera_full[i] = stab_mat_identity();
        if (i > 0) {
            s->camera[i] = stab_mat_mul(&s->motion[i], &s->camera[i - 1]);
            stab_mat_normalize(&s->camera[i]);
            s->camera_full[i] = stab_mat_mul(&s->motion_full[i], &s->camera_full[i - 1]);
            stab_mat_normalize(&s->camera_full[i]);
        }
    }
    s->found += found;
    s->count++;
    return 0;
}

int weft_stabilize_analyse(WeftContext *c, const WeftPicture *in)
{
    if (!c)
        return -EINVAL;
    CHECK_ARG(&c->log, stage_wanted(&c->settings));
    StabStage *s;
    int err = stage_get(c, &s);
    if (err < 0)
        return err;
    CHECK_ARG(&c->log, !s->planned);
    if (!in)
        return plan(c);
    if ((err = picture_check(&c->log, in)) < 0 || (err = stage_configure(c, in)) < 0)
        return err;
    return analyse_picture(c, in);
}

/* Online: the correction and zoom of picture i from the path of the pictures around it
 * (LOOKAHEAD on each side). The Gaussian path is used whatever the setting (an L1 or
 * tripod path needs the whole shot), with sigma capped so its window fits the lookahead;
 * crop and adaptive zoom follow the need within the window. */
static int plan_online(WeftContext *c, int64_t i)
{
    StabStage *s = c->stab;
    const WeftSettings *set = &c->settings;
    int64_t lo = i - LOOKAHEAD > 0 ? i - LOOKAHEAD : 0;
    int64_t hi = i + LOOKAHEAD < s->count - 1 ? i + LOOKAHEAD : s->count - 1;
    int n = (int)(hi - lo + 1);
    StabMat correction[2 * LOOKAHEAD + 1];
    double zoom[2 * LOOKAHEAD + 1];
    StabPathOptions o;
    StabShapeOptions so;
    path_options(s, set, 1, &o, &so);
    StabMat shape[2 * LOOKAHEAD + 1];
    int err = stab_path_smooth(s->camera + lo, n, &o, correction);
    /* the window's first motion (from the picture before it) is not used */
    if (err >= 0)
        err = stab_shape_correct(s->motion + lo, s->motion_full + lo, n, &so, shape);
    for (int j = 0; err >= 0 && j < n; j++) {
        correction[j] = stab_mat_mul(&correction[j], &shape[j]);
        stab_mat_normalize(&correction[j]);
    }
    if (err >= 0)
        err = stab_zoom_plan(correction, n, s->width, s->height,
                             set->stab_border == WEFT_STAB_BORDER_FILL ? STAB_BORDER_FILL
                                                                       : STAB_BORDER_ADAPTIVE,
                             o.smooth, zoom);
    if (err < 0)
        return err;
    s->correction[i] = correction[i - lo];
    s->zoom[i] = zoom[i - lo];
    return 0;
}

/* The device copy of source picture `frame` (kept in a few slots, least recently used
 * replaced). */
static int source_tensor(WeftContext *c, int64_t frame, WeftTensor **out)
{
    StabStage *s = c->stab;
    int pick = 0;
    for (int i = 0; i < SLOTS; i++) {
        if (s->slot_frame[i] == frame) {
            s->slot_used[i] = ++s->clock;
            *out = &s->slot[i];
            return 0;
        }
        if (s->slot_used[i] < s->slot_used[pick])
            pick = i;
    }
    int err;
    if (!s->slot[pick].dev &&
        (err = device_tensor(c->dev, &s->slot[pick], s->channels, s->height, s->width)) < 0)
        return err;
    convert_to_float(&s->queue[frame % QUEUE], s->host_planes);
    if ((err = device_upload(c->dev, &s->slot[pick], s->host_planes)) < 0)
        return err;
    s->slot_frame[pick] = frame;
    s->slot_used[pick] = ++s->clock;
    *out = &s->slot[pick];
    return 0;
}

/* Renders source picture i stabilised into s->pending. */
static int render(WeftContext *c, int64_t i)
{
    StabStage *s = c->stab;
    const int64_t last = s->count - 1;
    const int64_t k = i < last ? i : last; /* past the analysed pictures: the last plan */
    int err;
    if (s->online && (err = plan_online(c, i)) < 0)
        return err;
    if (!s->out.dev &&
        ((err = device_tensor(c->dev, &s->out, s->channels, s->height, s->width)) < 0 ||
         (err = device_tensor(c->dev, &s->coverage, 1, s->height, s->width)) < 0))
        return err;
    /* output -> frame i: undo the zoom, then the correction */
    StabMat unzoom = stab_mat_scale(1.0 / s->zoom[k]), inverse, camera_inverse;
    if (stab_mat_invert(&s->correction[k], &inverse) < 0 ||
        stab_mat_invert(&s->camera_full[k], &camera_inverse) < 0)
        inverse = camera_inverse = stab_mat_identity();
    StabMat maps[SLOTS];
    WeftTensor *sources[SLOTS];
    maps[0] = stab_mat_mul(&inverse, &unzoom);
    int count = 1;
    if ((err = source_tensor(c, i, &sources[0])) < 0)
        return err;
    if (!stab_render_covers(&maps[0], s->width, s->height)) {
        /* output -> world (camera i^-1) -> frame j (camera j), through the homographies
         * (the chain's shape registers the neighbours better than the model's) */
        StabMat to_world = stab_mat_mul(&camera_inverse, &maps[0]);
        for (int n = 0; n < NUM_NEIGHBOURS; n++) {
            int64_t j = i + neighbour_offsets[n];
            if (j < 0 || j >= s->received || j > last || j < i - LOOKAHEAD)
                continue;
            maps[count] = stab_mat_mul(&s->camera_full[j], &to_world);
            if ((err = source_tensor(c, j, &sources[count])) < 0)
                return err;
            count++;
        }
        /* the first slot may have been reused for a neighbour: look it up again */
        if ((err = source_tensor(c, i, &sources[0])) < 0)
            return err;
    }
    const WeftPicture *src = &s->queue[i % QUEUE];
    if ((err = stab_render(c->dev, &s->out, &s->coverage, sources, maps, count)) < 0 ||
        (err = device_download(c->dev, &s->out, s->host_planes)) < 0 ||
        (err = weft_picture_alloc(&s->pending, s->width, s->height, s->format)) < 0)
        return err;
    convert_from_float(s->host_planes, &s->pending);
    s->pending.pts = src->pts;
    s->pending.duration = src->duration;
    s->pending.time_base = src->time_base;
    s->pending.color = src->color;
    s->have_pending = 1;
    return 0;
}

/* Moves stabilised pictures into the pipeline as far as it takes them. Returns 1 if
 * something moved, 0 if not, or a negative error. */
static int pump(WeftContext *c)
{
    StabStage *s = c->stab;
    int moved = 0, err;
    for (;;) {
        if (s->have_pending) {
            err = pipeline_send_picture(c, &s->pending);
            if (err == -EAGAIN)
                return moved;
            if (err < 0)
                return err;
            weft_picture_unref(&s->pending);
            s->have_pending = 0;
            moved = 1;
        }
        if (s->rendered < s->received && (s->received > s->rendered + LOOKAHEAD || s->eof)) {
            if ((err = render(c, s->rendered)) < 0)
                return err;
            s->rendered++;
            continue;
        }
        if (s->eof && s->rendered == s->received && !s->inner_eof) {
            if ((err = pipeline_send_picture(c, NULL)) < 0)
                return err;
            s->inner_eof = 1;
            moved = 1;
        }
        return moved;
    }
}

int weft_send_picture(WeftContext *c, const WeftPicture *in)
{
    if (!c)
        return -EINVAL;
    if (!stage_wanted(&c->settings))
        return pipeline_send_picture(c, in);
    StabStage *s;
    int err = stage_get(c, &s);
    if (err < 0)
        return err;
    if (!s->planned) {
        if (s->count > 0) {
            log_error(&c->log, "stabilize: end the analysis pass first: "
                               "weft_stabilize_analyse(c, NULL)");
            return -EINVAL;
        }
        /* no analysis pass: one pass, planned over the pictures around each */
        s->online = 1;
        s->planned = 1;
        if (c->settings.stab_path != WEFT_STAB_PATH_GAUSS ||
            c->settings.stab_border == WEFT_STAB_BORDER_CROP)
            log_verbose(&c->log,
                        "stabilize in one pass (no analysis pass): Gaussian path over "
                        "%d pictures each side, zoom follows the need",
                        LOOKAHEAD);
    }
    if (!in) {
        s->eof = 1;
        err = pump(c);
        return err < 0 ? err : 0;
    }
    CHECK_ARG(&c->log, !s->eof);
    if ((err = picture_check(&c->log, in)) < 0 || (err = stage_configure(c, in)) < 0)
        return err;
    if ((err = pump(c)) < 0)
        return err;
    if (s->received > s->rendered + LOOKAHEAD)
        return -EAGAIN; /* the pipeline holds output: take it first */
    if (s->received > 0) {
        const WeftPicture *prev = &s->queue[(s->received - 1) % QUEUE];
        if (in->pts <= prev->pts) {
            log_error(&c->log, "pts %lld does not increase (previous %lld)", (long long)in->pts,
                      (long long)prev->pts);
            return -EINVAL;
        }
    }
    if (s->online && (err = analyse_picture(c, in)) < 0)
        return err;
    WeftPicture *slot = &s->queue[s->received % QUEUE];
    weft_picture_unref(slot);
    if ((err = picture_clone(slot, in)) < 0)
        return err;
    s->received++;
    err = pump(c);
    return err < 0 ? err : 0;
}

int weft_get_picture(WeftContext *c, WeftPicture *out)
{
    if (!c)
        return -EINVAL;
    if (!stage_wanted(&c->settings) || !c->stab)
        return pipeline_get_picture(c, out);
    for (;;) {
        int err = pipeline_get_picture(c, out);
        if (err != -EAGAIN)
            return err;
        if ((err = pump(c)) <= 0)
            return err < 0 ? err : -EAGAIN;
    }
}
