/* Placeholder until the flow estimator lands: reports ENOSYS. */
#include <stdlib.h>

#include "flow/flow.h"

int flow_create(FlowEstimator **out, Device *d, int quality, int width, int height)
{
    (void)out; (void)d; (void)quality; (void)width; (void)height;
    return -ENOSYS;
}

void flow_destroy(FlowEstimator **fe)
{
    (void)fe;
}

int flow_compute(FlowEstimator *fe, WeftTensor *a, WeftTensor *b, WeftTensor *fwd, WeftTensor *bwd)
{
    (void)fe; (void)a; (void)b; (void)fwd; (void)bwd;
    return -ENOSYS;
}
