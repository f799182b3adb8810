#version 450
// nn_conv: 3x3 convolution, pad 1, stride 1|2, bias, fused (leaky) ReLU; contract and the
// packed weight layout in lib/ops/nn_conv.h. One invocation makes the 8 output channels of
// one packed block at one pixel, so every input value read feeds 8 multiply-adds.
layout(local_size_x = 8, local_size_y = 8, local_size_z = 1) in;
layout(std430, set = 0, binding = 0) readonly buffer In { float src[]; };
layout(std430, set = 0, binding = 1) readonly buffer W { vec4 wt[]; };
layout(std430, set = 0, binding = 2) readonly buffer Bias { float bias[]; };
layout(std430, set = 0, binding = 3) writeonly buffer Out { float dst[]; };
layout(push_constant) uniform Params {
    int cin, h, w, cout, oh, ow, stride, act;
    float slope;
} p;

void main()
{
    int x = int(gl_GlobalInvocationID.x), y = int(gl_GlobalInvocationID.y);
    int b = int(gl_GlobalInvocationID.z);
    if (x >= p.ow || y >= p.oh || b * 8 >= p.cout)
        return;
    vec4 acc0 = vec4(0.0), acc1 = vec4(0.0);
    int wi = b * p.cin * 9 * 2; // in vec4 units: 8 floats per tap
    int plane = p.h * p.w;
    for (int ic = 0; ic < p.cin; ic++) {
        int base = ic * plane;
        for (int ky = 0; ky < 3; ky++) {
            int iy = y * p.stride + ky - 1;
            bool row_ok = iy >= 0 && iy < p.h;
            for (int kx = 0; kx < 3; kx++) {
                int ix = x * p.stride + kx - 1;
                float v = row_ok && ix >= 0 && ix < p.w ? src[base + iy * p.w + ix] : 0.0;
                acc0 += v * wt[wi];
                acc1 += v * wt[wi + 1];
                wi += 2;
            }
        }
    }
    float r[8] = float[8](acc0.x, acc0.y, acc0.z, acc0.w, acc1.x, acc1.y, acc1.z, acc1.w);
    for (int o = 0; o < 8; o++) {
        int oc = b * 8 + o;
        if (oc >= p.cout)
            break;
        float v = r[o] + bias[oc];
        if (p.act != 0 && v < 0.0)
            v = p.act == 1 ? 0.0 : v * p.slope;
        dst[(oc * p.oh + y) * p.ow + x] = v;
    }
}
