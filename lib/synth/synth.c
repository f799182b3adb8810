/* Placeholder until synthesis lands: reports ENOSYS. */
#include "synth/synth.h"

int synth_create(Synth **out, Device *d, int channels, int width, int height)
{
    (void)out; (void)d; (void)channels; (void)width; (void)height;
    return -ENOSYS;
}

void synth_destroy(Synth **s)
{
    (void)s;
}

int synth_prepare(Synth *s, WeftTensor *a, WeftTensor *b, WeftTensor *fwd, WeftTensor *bwd)
{
    (void)s; (void)a; (void)b; (void)fwd; (void)bwd;
    return -ENOSYS;
}

int synth_frame(Synth *s, float t, WeftTensor *out)
{
    (void)s; (void)t; (void)out;
    return -ENOSYS;
}
