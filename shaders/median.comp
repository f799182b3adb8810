#version 450
// median: per-channel median of a (2 radius + 1)^2 window, edges clamped; contract in
// lib/ops/median.h. A selection, no arithmetic: equal to the C result bit for bit.
// The C code insertion-sorts the window; here the median is found by rank (the value with
// fewer than n/2 + 1 smaller values and more than n/2 smaller-or-equal ones) over loops of
// constant length, which compilers unroll into registers, instead of sorting an array
// with data-dependent indices (slow on GPUs and on lavapipe).
layout(local_size_x = 16, local_size_y = 16, local_size_z = 1) in;
layout(std430, set = 0, binding = 0) readonly buffer Src { float src[]; };
layout(std430, set = 0, binding = 1) writeonly buffer Dst { float dst[]; };
layout(push_constant) uniform Params { int c, h, w, radius; } p;

float median9(int base, int x, int y)
{
    float v[9];
    for (int dy = 0; dy < 3; dy++) {
        int row = base + clamp(y + dy - 1, 0, p.h - 1) * p.w;
        for (int dx = 0; dx < 3; dx++)
            v[dy * 3 + dx] = src[row + clamp(x + dx - 1, 0, p.w - 1)];
    }
    float result = v[0];
    for (int i = 0; i < 9; i++) {
        int less = 0, less_equal = 0;
        for (int j = 0; j < 9; j++) {
            less += v[j] < v[i] ? 1 : 0;
            less_equal += v[j] <= v[i] ? 1 : 0;
        }
        if (less <= 4 && less_equal > 4)
            result = v[i];
    }
    return result;
}

float median25(int base, int x, int y)
{
    float v[25];
    for (int dy = 0; dy < 5; dy++) {
        int row = base + clamp(y + dy - 2, 0, p.h - 1) * p.w;
        for (int dx = 0; dx < 5; dx++)
            v[dy * 5 + dx] = src[row + clamp(x + dx - 2, 0, p.w - 1)];
    }
    float result = v[0];
    for (int i = 0; i < 25; i++) {
        int less = 0, less_equal = 0;
        for (int j = 0; j < 25; j++) {
            less += v[j] < v[i] ? 1 : 0;
            less_equal += v[j] <= v[i] ? 1 : 0;
        }
        if (less <= 12 && less_equal > 12)
            result = v[i];
    }
    return result;
}

void main()
{
    int x = int(gl_GlobalInvocationID.x), y = int(gl_GlobalInvocationID.y);
    int c = int(gl_GlobalInvocationID.z);
    if (x >= p.w || y >= p.h || c >= p.c)
        return;
    int base = c * p.h * p.w;
    dst[base + y * p.w + x] = p.radius <= 1 ? median9(base, x, y) : median25(base, x, y);
}
