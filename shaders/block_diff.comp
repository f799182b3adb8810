#version 450
// block_diff: mean |a - b| per square block; contract in lib/ops/block_diff.h. One
// invocation per block, summing row by row in x order like the C path.
layout(local_size_x = 8, local_size_y = 8, local_size_z = 1) in;
layout(std430, set = 0, binding = 0) readonly buffer A { float a[]; };
layout(std430, set = 0, binding = 1) readonly buffer B { float b[]; };
layout(std430, set = 0, binding = 2) writeonly buffer Out { float result[]; };
layout(push_constant) uniform Params { int h, w, block; } p;

void main()
{
    int bw = (p.w + p.block - 1) / p.block, bh = (p.h + p.block - 1) / p.block;
    int bx = int(gl_GlobalInvocationID.x), by = int(gl_GlobalInvocationID.y);
    if (bx >= bw || by >= bh)
        return;
    int x0 = bx * p.block, x1 = min(x0 + p.block, p.w);
    int y0 = by * p.block, y1 = min(y0 + p.block, p.h);
    precise float sum = 0.0;
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++)
            sum += abs(a[y * p.w + x] - b[y * p.w + x]);
    result[by * bw + bx] = sum / float((y1 - y0) * (x1 - x0));
}
