#version 450
// var_sor: one red-black SOR half-sweep; contract in lib/ops/var_sor.h. Pixels of the other
// colour are copied; updated pixels read only those, so the result does not depend on the
// order invocations run in. Neighbours are visited in the C code's order (left, right, up,
// down) so the sums round the same way.
// The op's grid has one invocation per pixel; here invocation x of a row handles the pair
// of pixels 2x and 2x + 1 (one of each colour: one updated, one copied) and the right
// half of the invocations has nothing to do, so that no invocation idles beside a busy
// neighbour (a checkerboard of busy and idle lanes halves the speed of SIMD hardware).
layout(local_size_x = 16, local_size_y = 16, local_size_z = 1) in;
layout(std430, set = 0, binding = 0) readonly buffer System { float sys[]; };
layout(std430, set = 0, binding = 1) readonly buffer Flow { float flow[]; };
layout(std430, set = 0, binding = 2) readonly buffer DFlowIn { float dflow[]; };
layout(std430, set = 0, binding = 3) writeonly buffer DFlowOut { float dst[]; };
layout(push_constant) uniform Params { int h, w, colour; float omega; } p;

void main()
{
    int pair = int(gl_GlobalInvocationID.x), y = int(gl_GlobalInvocationID.y);
    int w = p.w, h = p.h;
    if (2 * pair >= w || y >= h)
        return;
    int plane = w * h;
    int x = 2 * pair + ((y + p.colour) & 1); // the pixel to update
    int copied = 2 * pair + 1 - ((y + p.colour) & 1);
    if (copied < w) {
        dst[y * w + copied] = dflow[y * w + copied];
        dst[plane + y * w + copied] = dflow[plane + y * w + copied];
    }
    if (x >= w)
        return;
    int i = y * w + x;
    precise float ndu = dflow[i], ndv = dflow[plane + i];
    float si = sys[5 * plane + i], ui = flow[i], vi = flow[plane + i];
    precise float sum = 0.0, nu = 0.0, nv = 0.0;
    ivec4 offset = ivec4(-1, 1, -w, w);
    bvec4 inside = bvec4(x > 0, x + 1 < w, y > 0, y + 1 < h);
    for (int k = 0; k < 4; k++) {
        if (!inside[k])
            continue;
        int j = i + offset[k];
        precise float sij = 0.5 * (si + sys[5 * plane + j]);
        sum += sij;
        nu += sij * (flow[j] + dflow[j] - ui);
        nv += sij * (flow[plane + j] + dflow[plane + j] - vi);
    }
    float a11 = sys[i], a12 = sys[plane + i], a22 = sys[2 * plane + i];
    float b1 = sys[3 * plane + i], b2 = sys[4 * plane + i];
    if (a11 + sum > 0.0)
        ndu = (1.0 - p.omega) * ndu + p.omega * (b1 + nu - a12 * ndv) / (a11 + sum);
    if (a22 + sum > 0.0)
        ndv = (1.0 - p.omega) * ndv + p.omega * (b2 + nv - a12 * ndu) / (a22 + sum);
    dst[i] = ndu;
    dst[plane + i] = ndv;
}
