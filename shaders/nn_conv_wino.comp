#version 450
// nn_conv_wino: 3x3 stride-1 convolution by Winograd F(2x2, 3x3); contract and packed
// weight layout in lib/ops/nn_conv_wino.h. One invocation makes one 2x2 output tile for the
// 8 output channels of one packed block. (The executor uses nn_conv on Vulkan; this shader
// keeps the op's contract on every device and is checked against the C path.)
layout(local_size_x = 8, local_size_y = 8, local_size_z = 1) in;
layout(std430, set = 0, binding = 0) readonly buffer In { float src[]; };
layout(std430, set = 0, binding = 1) readonly buffer W { vec4 wt[]; };
layout(std430, set = 0, binding = 2) readonly buffer Bias { float bias[]; };
layout(std430, set = 0, binding = 3) readonly buffer Res { float res[]; };
layout(std430, set = 0, binding = 4) writeonly buffer Out { float dst[]; };
layout(push_constant) uniform Params {
    int cin, h, w, cout, act;
    float slope;
    int has_res, res_act;
    float res_slope;
} p;

void main()
{
    int tx = int(gl_GlobalInvocationID.x), ty = int(gl_GlobalInvocationID.y);
    int b = int(gl_GlobalInvocationID.z);
    if (2 * tx >= p.w || 2 * ty >= p.h || b * 8 >= p.cout)
        return;
    int blocks = (p.cout + 7) / 8;
    vec4 m0[16], m1[16]; // M for outputs 0-3 and 4-7 of the block
    for (int xi = 0; xi < 16; xi++) {
        m0[xi] = vec4(0.0);
        m1[xi] = vec4(0.0);
    }
    int plane = p.h * p.w;
    for (int ic = 0; ic < p.cin; ic++) {
        float d[16];
        for (int r = 0; r < 4; r++)
            for (int c = 0; c < 4; c++) {
                int y = 2 * ty - 1 + r, x = 2 * tx - 1 + c;
                d[4 * r + c] = y >= 0 && y < p.h && x >= 0 && x < p.w
                                   ? src[ic * plane + y * p.w + x] : 0.0;
            }
        float e[16], v[16];
        for (int c = 0; c < 4; c++) {
            e[c] = d[c] - d[8 + c];
            e[4 + c] = d[4 + c] + d[8 + c];
            e[8 + c] = d[8 + c] - d[4 + c];
            e[12 + c] = d[4 + c] - d[12 + c];
        }
        for (int r = 0; r < 4; r++) {
            v[4 * r] = e[4 * r] - e[4 * r + 2];
            v[4 * r + 1] = e[4 * r + 1] + e[4 * r + 2];
            v[4 * r + 2] = e[4 * r + 2] - e[4 * r + 1];
            v[4 * r + 3] = e[4 * r + 1] - e[4 * r + 3];
        }
        for (int xi = 0; xi < 16; xi++) {
            int wi = ((xi * blocks + b) * p.cin + ic) * 2;
            m0[xi] += v[xi] * wt[wi];
            m1[xi] += v[xi] * wt[wi + 1];
        }
    }
    for (int o = 0; o < 8; o++) {
        int oc = b * 8 + o;
        if (oc >= p.cout)
            break;
        float mm[16];
        for (int xi = 0; xi < 16; xi++)
            mm[xi] = o < 4 ? m0[xi][o] : m1[xi][o - 4];
        for (int r = 0; r < 2; r++) {
            int y = 2 * ty + r;
            if (y >= p.h)
                break;
            float s0, s1, s2, s3;
            if (r == 0) {
                s0 = mm[0] + mm[4] + mm[8];
                s1 = mm[1] + mm[5] + mm[9];
                s2 = mm[2] + mm[6] + mm[10];
                s3 = mm[3] + mm[7] + mm[11];
            } else {
                s0 = mm[4] - mm[8] - mm[12];
                s1 = mm[5] - mm[9] - mm[13];
                s2 = mm[6] - mm[10] - mm[14];
                s3 = mm[7] - mm[11] - mm[15];
            }
            float yv[2] = float[2](s0 + s1 + s2, s1 - s2 - s3);
            for (int c = 0; c < 2; c++) {
                int x = 2 * tx + c;
                if (x >= p.w)
                    break;
                int at = oc * plane + y * p.w + x;
                float val = yv[c] + bias[oc];
                if (p.act != 0 && val < 0.0)
                    val = p.act == 1 ? 0.0 : val * p.slope;
                if (p.has_res != 0) {
                    val += res[at];
                    if (p.res_act != 0 && val < 0.0)
                        val = p.res_act == 1 ? 0.0 : val * p.res_slope;
                }
                dst[at] = val;
            }
        }
    }
}
