#version 450
// scene_stats: per-row |a - b| sum and 16-bin histograms of a and b; contract in
// lib/ops/scene_stats.h. One invocation per row, summing in x order like the C path.
layout(local_size_x = 64, local_size_y = 1, local_size_z = 1) in;
layout(std430, set = 0, binding = 0) readonly buffer A { float a[]; };
layout(std430, set = 0, binding = 1) readonly buffer B { float b[]; };
layout(std430, set = 0, binding = 2) writeonly buffer Out { float result[]; };
layout(push_constant) uniform Params { int h, w; } p;

const int BINS = 16;

int bin_of(float v)
{
    return min(int(clamp(v, 0.0, 1.0) * float(BINS)), BINS - 1);
}

void main()
{
    int y = int(gl_GlobalInvocationID.x);
    if (y >= p.h)
        return;
    float hist_a[BINS], hist_b[BINS];
    for (int i = 0; i < BINS; i++) {
        hist_a[i] = 0.0;
        hist_b[i] = 0.0;
    }
    precise float diff = 0.0;
    for (int x = 0; x < p.w; x++) {
        float va = a[y * p.w + x], vb = b[y * p.w + x];
        diff += abs(va - vb);
        hist_a[bin_of(va)] += 1.0;
        hist_b[bin_of(vb)] += 1.0;
    }
    int base = y * (1 + 2 * BINS);
    result[base] = diff;
    for (int i = 0; i < BINS; i++) {
        result[base + 1 + i] = hist_a[i];
        result[base + 1 + BINS + i] = hist_b[i];
    }
}
