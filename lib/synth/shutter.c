#include <math.h>
#include <stdlib.h>

#include "ops/add_scaled.h"
#include "synth/shutter.h"

struct Shutter {
    Device *dev;
    WeftTensor sample, sum[2]; /* running sums ping-pong: ops do not write their input */
    WeftTensor carry, carry_next, mix;
};

int shutter_create(Shutter **out, Device *d, int channels, int width, int height)
{
    if (!out || !d || channels < 1 || width < 1 || height < 1)
        return -EINVAL;
    Shutter *s = calloc(1, sizeof(*s));
    if (!s)
        return -ENOMEM;
    s->dev = d;
    int err = device_tensor(d, &s->sample, channels, height, width);
    for (int i = 0; i < 2 && err >= 0; i++)
        err = device_tensor(d, &s->sum[i], channels, height, width);
    if (err >= 0)
        err = device_tensor(d, &s->carry, channels, height, width);
    if (err >= 0)
        err = device_tensor(d, &s->carry_next, channels, height, width);
    if (err >= 0)
        err = device_tensor(d, &s->mix, channels, height, width);
    if (err < 0) {
        shutter_destroy(&s);
        return err;
    }
    *out = s;
    return 0;
}

void shutter_destroy(Shutter **ps)
{
    if (!ps || !*ps)
        return;
    device_tensor_free(&(*ps)->sample);
    device_tensor_free(&(*ps)->sum[0]);
    device_tensor_free(&(*ps)->sum[1]);
    device_tensor_free(&(*ps)->carry);
    device_tensor_free(&(*ps)->carry_next);
    device_tensor_free(&(*ps)->mix);
    free(*ps);
    *ps = NULL;
}

int shutter_frame(Shutter *s, ShutterRender render, void *opaque, float t0, float t1, int samples,
                  WeftTensor *out)
{
    if (!s || !render || !out || !(t0 >= 0.0f && t0 < t1 && t1 <= 1.0f) || samples < 1 ||
        samples > SHUTTER_MAX_SAMPLES)
        return -EINVAL;
    const float weight = 1.0f / (float)samples;
    int err = 0;
    for (int i = 0; i < samples && err >= 0; i++) {
        float t = t0 + ((float)i + 0.5f) * (t1 - t0) * weight;
        WeftTensor *dst = i == samples - 1 ? out : &s->sum[(i + 1) & 1];
        if ((err = render(opaque, t, &s->sample)) < 0)
            break;
        /* the first sample starts the sum: sample + (w - 1) sample = w sample */
        err = i == 0 ? op_add_scaled(s->dev, &s->sample, &s->sample, weight - 1.0f, dst)
                     : op_add_scaled(s->dev, &s->sum[i & 1], &s->sample, weight, dst);
    }
    return err;
}

WeftTensor *shutter_carry(Shutter *s)
{
    return s ? &s->carry : NULL;
}

WeftTensor *shutter_scratch(Shutter *s)
{
    return s ? &s->mix : NULL;
}

int shutter_mix(Shutter *s, WeftTensor *cur, WeftTensor *carry, float share, WeftTensor *out)
{
    if (!s || !cur || !carry || !out || out == cur || out == carry || !(share >= 0.0f) ||
        share > 1.0f)
        return -EINVAL;
    /* (1 - share) cur first (into sum[0], free between frames), then + share carry */
    int err = op_add_scaled(s->dev, cur, cur, -share, &s->sum[0]);
    return err < 0 ? err : op_add_scaled(s->dev, &s->sum[0], carry, share, out);
}

WeftTensor *shutter_carry_next(Shutter *s)
{
    return s ? &s->carry_next : NULL;
}

void shutter_promote(Shutter *s)
{
    if (!s)
        return;
    WeftTensor keep = s->carry;
    s->carry = s->carry_next;
    s->carry_next = keep;
}

int shutter_accumulate(Shutter *s, WeftTensor *into, WeftTensor *part, float share)
{
    if (!s || (into != &s->carry && into != &s->carry_next) || part == &s->carry ||
        part == &s->carry_next || part == &s->mix)
        return -EINVAL;
    int err = shutter_mix(s, part, into, share, &s->mix);
    if (err < 0)
        return err;
    /* the mix is the new value; the old storage becomes the scratch */
    WeftTensor keep = *into;
    *into = s->mix;
    s->mix = keep;
    return 0;
}

int shutter_samples(float max_motion, float width)
{
    float smear = max_motion * width;
    if (!(smear < (float)SHUTTER_MAX_SAMPLES))
        return SHUTTER_MAX_SAMPLES;
    int n = (int)ceilf(smear);
    return n < 2 ? 2 : n;
}

void shutter_window(double t, double width, float *t0, float *t1)
{
    if (width > 1.0)
        width = 1.0;
    double lo = t - width / 2;
    if (lo < 0.0)
        lo = 0.0;
    if (lo + width > 1.0)
        lo = 1.0 - width;
    *t0 = (float)lo;
    *t1 = (float)(lo + width);
}
