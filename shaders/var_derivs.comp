#version 450
// var_derivs: linearised brightness and gradient constancy derivatives; contract in
// lib/ops/var_derivs.h. Same stencils and arithmetic order as the C code.
layout(local_size_x = 16, local_size_y = 16, local_size_z = 1) in;
layout(std430, set = 0, binding = 0) readonly buffer I0 { float a[]; };
layout(std430, set = 0, binding = 1) readonly buffer I1w { float b[]; };
layout(std430, set = 0, binding = 2) readonly buffer Flow { float flow[]; };
layout(std430, set = 0, binding = 3) writeonly buffer Out { float dst[]; };
layout(push_constant) uniform Params { int h, w; } p;

void main()
{
    int x = int(gl_GlobalInvocationID.x), y = int(gl_GlobalInvocationID.y);
    int w = p.w, h = p.h;
    if (x >= w || y >= h)
        return;
    int plane = w * h;
    int i = y * w + x;
    const float k1 = 1.0 / 12.0, k8 = 8.0 / 12.0;
    int r0 = clamp(y - 2, 0, h - 1) * w, r1 = clamp(y - 1, 0, h - 1) * w;
    int c = y * w;
    int r3 = clamp(y + 1, 0, h - 1) * w, r4 = clamp(y + 2, 0, h - 1) * w;
    int xm2 = clamp(x - 2, 0, w - 1), xm1 = clamp(x - 1, 0, w - 1);
    int xp1 = clamp(x + 1, 0, w - 1), xp2 = clamp(x + 2, 0, w - 1);
    precise float ax = k1 * (a[c + xm2] - a[c + xp2]) + k8 * (a[c + xp1] - a[c + xm1]);
    precise float bx = k1 * (b[c + xm2] - b[c + xp2]) + k8 * (b[c + xp1] - b[c + xm1]);
    precise float ay = k1 * (a[r0 + x] - a[r4 + x]) + k8 * (a[r3 + x] - a[r1 + x]);
    precise float by = k1 * (b[r0 + x] - b[r4 + x]) + k8 * (b[r3 + x] - b[r1 + x]);
    precise float mc = a[c + x] + b[c + x];
    precise float mxx = 0.5 * (a[c + xm1] + b[c + xm1] + a[c + xp1] + b[c + xp1]) - mc;
    precise float myy = 0.5 * (a[r1 + x] + b[r1 + x] + a[r3 + x] + b[r3 + x]) - mc;
    precise float mxy = 0.125 * ((a[r3 + xp1] + b[r3 + xp1]) - (a[r3 + xm1] + b[r3 + xm1]) -
                                 (a[r1 + xp1] + b[r1 + xp1]) + (a[r1 + xm1] + b[r1 + xm1]));
    precise float sx = float(x) + flow[i], sy = float(y) + flow[plane + i];
    float valid = (sx >= 0.0 && sx <= float(w - 1) && sy >= 0.0 && sy <= float(h - 1)) ? 1.0
                                                                                        : 0.0;
    precise float o0 = valid * 0.5 * (ax + bx);
    precise float o1 = valid * 0.5 * (ay + by);
    precise float o2 = valid * (b[c + x] - a[c + x]);
    precise float o3 = valid * mxx;
    precise float o4 = valid * mxy;
    precise float o5 = valid * myy;
    precise float o6 = valid * (bx - ax);
    precise float o7 = valid * (by - ay);
    dst[i] = o0;
    dst[plane + i] = o1;
    dst[2 * plane + i] = o2;
    dst[3 * plane + i] = o3;
    dst[4 * plane + i] = o4;
    dst[5 * plane + i] = o5;
    dst[6 * plane + i] = o6;
    dst[7 * plane + i] = o7;
}
