/* RIFE v4.x front end (see nn_rife.h). */
#include <stdlib.h>
#include <string.h>

#include "nn/nn_graph.h"
#include "nn/nn_model.h"
#include "nn/nn_rife.h"
#include "ops/nn_copy.h"
#include "ops/nn_pad.h"

struct NnRife {
    Device *dev;
    Log *log;
    NnModel *model;
    NnGraph *graph;
    int pad_multiple;
    int h, w;       /* planned frame size */
    float t;        /* timestep currently in in2 */
    float *t_plane; /* host plane of t */
    WeftTensor *in0, *in1, *in2, *out0;
};

int nn_rife_create(NnRife **out, Device *d, Log *log, const char *path)
{
    if (!out || !d || !path || !path[0])
        return -EINVAL;
    *out = NULL;
    NnRife *r = calloc(1, sizeof(*r));
    if (!r)
        return -ENOMEM;
    r->dev = d;
    r->log = log;
    char why[512];
    int err = nn_model_load(&r->model, path, why, sizeof(why));
    if (err < 0) {
        log_error(log, "cannot load the model: %s", why);
        goto fail;
    }
    const char *arch = nn_model_meta(r->model, "architecture");
    if (!arch || strcmp(arch, "rife-v4")) {
        log_error(log,
                  "%s: not a RIFE v4 model (architecture '%s'); convert a rife-v4.x "
                  "model folder with weft-convert",
                  path, arch ? arch : "none");
        err = -EINVAL;
        goto fail;
    }
    const char *pad = nn_model_meta(r->model, "pad_multiple");
    r->pad_multiple = pad ? atoi(pad) : 32;
    if (r->pad_multiple < 1 || r->pad_multiple > 256) {
        log_error(log, "%s: bad pad_multiple %s", path, pad);
        err = -EINVAL;
        goto fail;
    }
    if ((err = nn_graph_create(&r->graph, d, r->model, log)) < 0) {
        log_error(log, "%s: the model cannot run here", path);
        goto fail;
    }
    *out = r;
    return 0;
fail:
    nn_rife_destroy(&r);
    return err;
}

void nn_rife_destroy(NnRife **pr)
{
    if (!pr || !*pr)
        return;
    NnRife *r = *pr;
    nn_graph_destroy(&r->graph);
    nn_model_free(&r->model);
    free(r->t_plane);
    free(r);
    *pr = NULL;
}

static int plan(NnRife *r, int h, int w)
{
    int m = r->pad_multiple;
    int ph = (h + m - 1) / m * m, pw = (w + m - 1) / m * m;
    static const char *const names[3] = {"in0", "in1", "in2"};
    int channels[NN_MAX_IO];
    const NnModel *model = r->model;
    for (int i = 0; i < model->n_inputs; i++) {
        const char *n = model->blob_name[model->inputs[i]];
        channels[i] = !strcmp(n, "in2") ? 1 : 3;
    }
    free(r->t_plane);
    r->t_plane = NULL;
    r->h = r->w = 0;
    int err = nn_graph_plan(r->graph, channels, ph, pw);
    if (err < 0)
        return err;
    r->in0 = nn_graph_input(r->graph, names[0]);
    r->in1 = nn_graph_input(r->graph, names[1]);
    r->in2 = nn_graph_input(r->graph, names[2]);
    r->out0 = nn_graph_output(r->graph, "out0");
    if (!r->in0 || !r->in1 || !r->in2 || !r->out0 || r->out0->c != 3) {
        log_error(r->log, "the model lacks inputs in0, in1, in2 or the 3-channel output out0");
        return -EINVAL;
    }
    if (!(r->t_plane = malloc((size_t)ph * pw * sizeof(float))))
        return -ENOMEM;
    r->t = -1.0f;
    r->h = h;
    r->w = w;
    return 0;
}

/* RGB from the picture's components (m, off) and back (inv, inv_off). */
static void colour_matrices(WeftPixelFormat format, const WeftColor *color, int h, float m[9],
                            float off[3], float inv[9], float inv_off[3])
{
    WeftFormatInfo fi;
    static const float id[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    memcpy(m, id, sizeof(id));
    memcpy(inv, id, sizeof(id));
    memset(off, 0, 3 * sizeof(float));
    memset(inv_off, 0, 3 * sizeof(float));
    if (weft_format_info(format, &fi) < 0 || fi.is_rgb)
        return;
    if (fi.components < 3) { /* grey: Y to all three, back from G */
        m[0] = m[3] = m[6] = 1.0f;
        m[1] = m[2] = m[4] = m[5] = m[7] = m[8] = 0.0f;
        inv[0] = 0.0f;
        inv[1] = 1.0f;
        return;
    }
    /* Y'CbCr (H.273 matrix code points) */
    double kr = 0.2126, kb = 0.0722; /* BT.709 */
    int mat = color ? color->matrix : 2;
    if (mat == 5 || mat == 6 || (mat == 2 && h < 720)) {
        kr = 0.299;
        kb = 0.114;
    } else if (mat == 9 || mat == 10) {
        kr = 0.2627;
        kb = 0.0593;
    }
    double kg = 1.0 - kr - kb;
    int limited = !color || color->range != 2;
    double ys = limited ? 255.0 / 219.0 : 1.0, yo = limited ? 16.0 / 255.0 : 0.0;
    double cs = limited ? 255.0 / 224.0 : 1.0, co = 128.0 / 255.0;
    /* R = ys (Y - yo) + 2 (1 - kr) cs (V - co), etc. */
    double a[3][3] = {{ys, 0.0, 2 * (1 - kr) * cs},
                      {ys, -2 * kb * (1 - kb) / kg * cs, -2 * kr * (1 - kr) / kg * cs},
                      {ys, 2 * (1 - kb) * cs, 0.0}};
    double o[3];
    for (int i = 0; i < 3; i++) {
        o[i] = -(a[i][0] * yo + a[i][1] * co + a[i][2] * co);
        off[i] = (float)o[i];
        for (int k = 0; k < 3; k++)
            m[i * 3 + k] = (float)a[i][k];
    }
    /* inverse: x = A^-1 (rgb - o) */
    double det = a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) -
                 a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0]) +
                 a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
    double b[3][3];
    for (int i = 0; i < 3; i++)
        for (int k = 0; k < 3; k++) {
            int r0 = (k + 1) % 3, r1 = (k + 2) % 3, c0 = (i + 1) % 3, c1 = (i + 2) % 3;
            b[i][k] = (a[r0][c0] * a[r1][c1] - a[r0][c1] * a[r1][c0]) / det;
        }
    for (int i = 0; i < 3; i++) {
        double s = 0;
        for (int k = 0; k < 3; k++) {
            inv[i * 3 + k] = (float)b[i][k];
            s += b[i][k] * o[k];
        }
        inv_off[i] = (float)-s;
    }
}

int nn_rife_frame(NnRife *r, WeftTensor *a, WeftTensor *b, float t, WeftPixelFormat format,
                  const WeftColor *color, WeftTensor *out)
{
    if (!r || !a || !b || !out || a->c != b->c || a->h != b->h || a->w != b->w || out->c != a->c ||
        out->h != a->h || out->w != a->w || !(t > 0.0f && t < 1.0f))
        return -EINVAL;
    if (a->w < NN_RIFE_MIN_SIZE || a->h < NN_RIFE_MIN_SIZE) {
        log_error(r->log, "RIFE needs frames of at least %dx%d pixels (got %dx%d)",
                  NN_RIFE_MIN_SIZE, NN_RIFE_MIN_SIZE, a->w, a->h);
        return -EINVAL;
    }
    int err;
    if ((a->h != r->h || a->w != r->w) && (err = plan(r, a->h, a->w)) < 0)
        return err;
    if (t != r->t) {
        size_t n = tensor_count(r->in2);
        for (size_t i = 0; i < n; i++)
            r->t_plane[i] = t;
        if ((err = device_upload(r->dev, r->in2, r->t_plane)) < 0)
            return err;
        r->t = t;
    }
    float m[9], off[3], inv[9], inv_off[3];
    colour_matrices(format, color, a->h, m, off, inv, inv_off);
    if ((err = op_nn_pad(r->dev, a, m, off, r->in0)) < 0 ||
        (err = op_nn_pad(r->dev, b, m, off, r->in1)) < 0 || (err = nn_graph_run(r->graph)) < 0 ||
        (err = op_nn_pad(r->dev, r->out0, inv, inv_off, out)) < 0)
        return err;
    if (out->c > 3) /* alpha and beyond: from the nearer frame */
        err = op_nn_copy(r->dev, t < 0.5f ? a : b, 3, out->c - 3, out, 3);
    return err;
}

void nn_rife_stats(const NnRife *r, size_t *bytes, double *macs)
{
    nn_graph_stats(r ? r->graph : NULL, bytes, NULL, macs);
}
