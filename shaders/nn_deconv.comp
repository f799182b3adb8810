#version 450
// nn_deconv: 4x4 transposed convolution, stride 2, pad 1, as four 2x2 convolutions by
// output parity; contract and packed weight layout in lib/ops/nn_deconv.h.
layout(local_size_x = 8, local_size_y = 8, local_size_z = 1) in;
layout(std430, set = 0, binding = 0) readonly buffer In { float src[]; };
layout(std430, set = 0, binding = 1) readonly buffer W { vec4 wt[]; };
layout(std430, set = 0, binding = 2) readonly buffer Bias { float bias[]; };
layout(std430, set = 0, binding = 3) writeonly buffer Out { float dst[]; };
layout(push_constant) uniform Params { int cin, h, w, cout, act; float slope; } p;

int tap_d(int par, int a)
{
    // py = 0: taps ky = 1 (offset 0), ky = 3 (offset -1); py = 1: ky = 0 (+1), ky = 2 (0)
    return par == 0 ? -a : 1 - a;
}

void main()
{
    int ox = int(gl_GlobalInvocationID.x), oy = int(gl_GlobalInvocationID.y);
    int b = int(gl_GlobalInvocationID.z);
    int ow = 2 * p.w, oh = 2 * p.h;
    if (ox >= ow || oy >= oh || b * 8 >= p.cout)
        return;
    int py = oy & 1, px = ox & 1, i = oy >> 1, j = ox >> 1;
    int blocks = (p.cout + 7) / 8;
    int wi = (((py * 2 + px) * blocks + b) * p.cin) * 4 * 2;
    int iy0 = i + tap_d(py, 0), iy1 = i + tap_d(py, 1);
    int ix0 = j + tap_d(px, 0), ix1 = j + tap_d(px, 1);
    bool r0 = iy0 >= 0 && iy0 < p.h, r1 = iy1 >= 0 && iy1 < p.h;
    bool c0 = ix0 >= 0 && ix0 < p.w, c1 = ix1 >= 0 && ix1 < p.w;
    vec4 acc0 = vec4(0.0), acc1 = vec4(0.0);
    int plane = p.h * p.w;
    for (int ic = 0; ic < p.cin; ic++) {
        int base = ic * plane;
        float v00 = r0 && c0 ? src[base + iy0 * p.w + ix0] : 0.0;
        float v01 = r0 && c1 ? src[base + iy0 * p.w + ix1] : 0.0;
        float v10 = r1 && c0 ? src[base + iy1 * p.w + ix0] : 0.0;
        float v11 = r1 && c1 ? src[base + iy1 * p.w + ix1] : 0.0;
        acc0 += v00 * wt[wi] + v01 * wt[wi + 2] + v10 * wt[wi + 4] + v11 * wt[wi + 6];
        acc1 += v00 * wt[wi + 1] + v01 * wt[wi + 3] + v10 * wt[wi + 5] + v11 * wt[wi + 7];
        wi += 8;
    }
    float r[8] = float[8](acc0.x, acc0.y, acc0.z, acc0.w, acc1.x, acc1.y, acc1.z, acc1.w);
    for (int o = 0; o < 8; o++) {
        int oc = b * 8 + o;
        if (oc >= p.cout)
            break;
        float v = r[o] + bias[oc];
        if (p.act != 0 && v < 0.0)
            v = p.act == 1 ? 0.0 : v * p.slope;
        dst[(oc * oh + oy) * ow + ox] = v;
    }
}
