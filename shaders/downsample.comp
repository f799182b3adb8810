#version 450
// downsample: halves a tensor with the [1 3 3 1] / 8 filter; contract in lib/ops/downsample.h.
// Same summation order as the C code: each of the 4 rows is filtered horizontally
// (left to right), then the row sums are accumulated top to bottom.
layout(local_size_x = 16, local_size_y = 16, local_size_z = 1) in;
layout(std430, set = 0, binding = 0) readonly buffer Src { float src[]; };
layout(std430, set = 0, binding = 1) writeonly buffer Dst { float dst[]; };
layout(push_constant) uniform Params { int c, h, w; } p;

const float k[4] = float[4](0.125, 0.375, 0.375, 0.125);

void main()
{
    int x = int(gl_GlobalInvocationID.x), y = int(gl_GlobalInvocationID.y);
    int c = int(gl_GlobalInvocationID.z);
    int ow = (p.w + 1) / 2, oh = (p.h + 1) / 2;
    if (x >= ow || y >= oh || c >= p.c)
        return;
    int base = c * p.h * p.w;
    int xs[4];
    for (int i = 0; i < 4; i++)
        xs[i] = clamp(2 * x - 1 + i, 0, p.w - 1);
    precise float acc = 0.0;
    for (int j = 0; j < 4; j++) {
        int row = base + clamp(2 * y - 1 + j, 0, p.h - 1) * p.w;
        precise float s = k[0] * src[row + xs[0]] + k[1] * src[row + xs[1]] +
                          k[2] * src[row + xs[2]] + k[3] * src[row + xs[3]];
        acc += k[j] * s;
    }
    dst[(c * oh + y) * ow + x] = acc;
}
