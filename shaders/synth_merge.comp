#version 450
// synth_merge: the in-between at time t from two frames, their flows and occlusions, by
// inverting the flow at t with a fixed-point iteration from one or two starts per side
// ("candidates"; with one, its score is not needed and its value does not matter); contract
// in lib/ops/synth_merge.h. Same arithmetic order as the C code, so the choices between
// starts (a comparison of scores) come out the same. The blend of bilinear samples is made
// sharper with bicubic ones (Keys, a = -0.5) where both sides agree, when cubic_sigma > 0;
// with photo_sigma > 0 each side's weight falls with the brightness-constancy error of its
// point against that point's match in the other frame.
layout(local_size_x = 16, local_size_y = 16, local_size_z = 1) in;
layout(std430, set = 0, binding = 0) readonly buffer A { float a[]; };
layout(std430, set = 0, binding = 1) readonly buffer B { float b[]; };
layout(std430, set = 0, binding = 2) readonly buffer Fwd { float fwd[]; };
layout(std430, set = 0, binding = 3) readonly buffer Bwd { float bwd[]; };
layout(std430, set = 0, binding = 4) readonly buffer OccA { float occ_a[]; };
layout(std430, set = 0, binding = 5) readonly buffer OccB { float occ_b[]; };
layout(std430, set = 0, binding = 6) writeonly buffer Out { float dst[]; };
layout(push_constant) uniform Params {
    int c, h, w, iterations, candidates;
    float t, occ_weight, res_scale, floor, cubic_sigma, photo_sigma;
} p;

// Bilinear tap set of a clamped position: indices 00, 01, 10, 11 and their weights.
struct Tap {
    ivec4 index;
    vec4 weight;
};

Tap tap_at(float x, float y)
{
    int w = p.w, h = p.h;
    precise float cx = min(max(x, 0.0), float(w - 1));
    precise float cy = min(max(y, 0.0), float(h - 1));
    int x0 = int(cx), y0 = int(cy);
    int x1 = min(x0 + 1, w - 1), y1 = min(y0 + 1, h - 1);
    precise float fx = cx - float(x0), fy = cy - float(y0);
    Tap k;
    k.index = ivec4(y0 * w + x0, y0 * w + x1, y1 * w + x0, y1 * w + x1);
    precise vec4 wt = vec4((1.0 - fx) * (1.0 - fy), fx * (1.0 - fy), (1.0 - fx) * fy, fx * fy);
    k.weight = wt;
    return k;
}

// The tensors are separate buffers, so reads are spelled out per buffer (GLSL cannot pass
// a buffer array by reference).
float read_fwd(Tap k, int off)
{
    precise float r = k.weight.x * fwd[off + k.index.x] + k.weight.y * fwd[off + k.index.y] +
                      k.weight.z * fwd[off + k.index.z] + k.weight.w * fwd[off + k.index.w];
    return r;
}

float read_bwd(Tap k, int off)
{
    precise float r = k.weight.x * bwd[off + k.index.x] + k.weight.y * bwd[off + k.index.y] +
                      k.weight.z * bwd[off + k.index.z] + k.weight.w * bwd[off + k.index.w];
    return r;
}

float read_occ_a(Tap k)
{
    precise float r = k.weight.x * occ_a[k.index.x] + k.weight.y * occ_a[k.index.y] +
                      k.weight.z * occ_a[k.index.z] + k.weight.w * occ_a[k.index.w];
    return r;
}

float read_occ_b(Tap k)
{
    precise float r = k.weight.x * occ_b[k.index.x] + k.weight.y * occ_b[k.index.y] +
                      k.weight.z * occ_b[k.index.z] + k.weight.w * occ_b[k.index.w];
    return r;
}

float read_a(Tap k, int off)
{
    precise float r = k.weight.x * a[off + k.index.x] + k.weight.y * a[off + k.index.y] +
                      k.weight.z * a[off + k.index.z] + k.weight.w * a[off + k.index.w];
    return r;
}

float read_b(Tap k, int off)
{
    precise float r = k.weight.x * b[off + k.index.x] + k.weight.y * b[off + k.index.y] +
                      k.weight.z * b[off + k.index.z] + k.weight.w * b[off + k.index.w];
    return r;
}

// Keys' cubic convolution weights (a = -0.5) of fraction f for the taps -1, 0, 1, 2.
vec4 cubic_weights(float f)
{
    precise float f2 = f * f, f3 = f2 * f;
    precise float k0 = -0.5 * f3 + f2 - 0.5 * f;
    precise float k1 = 1.5 * f3 - 2.5 * f2 + 1.0;
    precise float k2 = -1.5 * f3 + 2.0 * f2 + 0.5 * f;
    precise float k3 = 0.5 * f3 - 0.5 * f2;
    return vec4(k0, k1, k2, k3);
}

// The 4 x 4 taps of a bicubic sample at (x, y): clamped row offsets and columns, weights.
struct CubicTap {
    ivec4 rows, cols;
    vec4 kx, ky;
};

CubicTap cubic_tap_at(float x, float y)
{
    int w = p.w, h = p.h;
    precise float cx = min(max(x, 0.0), float(w - 1));
    precise float cy = min(max(y, 0.0), float(h - 1));
    int x0 = int(cx), y0 = int(cy);
    CubicTap k;
    precise float fx = cx - float(x0), fy = cy - float(y0);
    k.kx = cubic_weights(fx);
    k.ky = cubic_weights(fy);
    for (int j = 0; j < 4; j++) {
        k.rows[j] = clamp(y0 - 1 + j, 0, h - 1) * w;
        k.cols[j] = clamp(x0 - 1 + j, 0, w - 1);
    }
    return k;
}

float cubic_a(CubicTap k, int off)
{
    precise float sum = 0.0;
    for (int j = 0; j < 4; j++) {
        int r = off + k.rows[j];
        sum += k.ky[j] * (k.kx.x * a[r + k.cols.x] + k.kx.y * a[r + k.cols.y] +
                          k.kx.z * a[r + k.cols.z] + k.kx.w * a[r + k.cols.w]);
    }
    return sum;
}

float cubic_b(CubicTap k, int off)
{
    precise float sum = 0.0;
    for (int j = 0; j < 4; j++) {
        int r = off + k.rows[j];
        sum += k.ky[j] * (k.kx.x * b[r + k.cols.x] + k.kx.y * b[r + k.cols.y] +
                          k.kx.z * b[r + k.cols.z] + k.kx.w * b[r + k.cols.w]);
    }
    return sum;
}

// Solves q + s flow(q) = (x, y) from start q; flow is fwd (side a) or bwd (side b), and
// the score adds the occlusion of that side. Returns the score; point and residual out.
float solve_side(bool side_a, float x, float y, float s, float qx, float qy, out vec2 point,
                 out float res)
{
    int plane = p.w * p.h;
    precise float px = qx, py = qy;
    for (int it = 0; it < p.iterations; it++) {
        Tap k = tap_at(px, py);
        float fu = side_a ? read_fwd(k, 0) : read_bwd(k, 0);
        float fv = side_a ? read_fwd(k, plane) : read_bwd(k, plane);
        px = x - s * fu;
        py = y - s * fv;
    }
    Tap k = tap_at(px, py);
    float fu = side_a ? read_fwd(k, 0) : read_bwd(k, 0);
    float fv = side_a ? read_fwd(k, plane) : read_bwd(k, plane);
    precise float rx = px + s * fu - x, ry = py + s * fv - y;
    precise float r = sqrt(rx * rx + ry * ry);
    point = vec2(px, py);
    res = r;
    float occ = side_a ? read_occ_a(k) : read_occ_b(k);
    precise float score = r + p.occ_weight * occ;
    return score;
}

void main()
{
    int x = int(gl_GlobalInvocationID.x), y = int(gl_GlobalInvocationID.y);
    int w = p.w, h = p.h;
    if (x >= w || y >= h)
        return;
    int plane = w * h;
    int i = y * w + x;
    float fx = float(x), fy = float(y);
    precise float ta = p.t, tb = 1.0 - p.t;
    float fu = fwd[i], fv = fwd[plane + i], bu = bwd[i], bv = bwd[plane + i];
    vec2 ya, yb, cp;
    float res_a, res_b, cres;
    // side a: y + t fwd(y) = x
    precise float sa0x = fx - ta * fu, sa0y = fy - ta * fv;
    precise float sa1x = fx + ta * bu, sa1y = fy + ta * bv;
    bool two = p.candidates > 1;
    float sa = solve_side(true, fx, fy, ta, sa0x, sa0y, ya, res_a);
    if (two && solve_side(true, fx, fy, ta, sa1x, sa1y, cp, cres) < sa) {
        ya = cp;
        res_a = cres;
    }
    // side b: z + (1 - t) bwd(z) = x
    precise float sb0x = fx - tb * bu, sb0y = fy - tb * bv;
    precise float sb1x = fx + tb * fu, sb1y = fy + tb * fv;
    float sb = solve_side(false, fx, fy, tb, sb0x, sb0y, yb, res_b);
    if (two && solve_side(false, fx, fy, tb, sb1x, sb1y, cp, cres) < sb) {
        yb = cp;
        res_b = cres;
    }
    Tap ka = tap_at(ya.x, ya.y), kb = tap_at(yb.x, yb.y);
    // photometric check: a(y) against b(y + fwd(y)), b(z) against a(z + bwd(z))
    bool photo = p.photo_sigma > 0.0;
    Tap kab = ka, kba = kb;
    if (photo) {
        precise float mxa = ya.x + read_fwd(ka, 0), mya = ya.y + read_fwd(ka, plane);
        precise float mxb = yb.x + read_bwd(kb, 0), myb = yb.y + read_bwd(kb, plane);
        kab = tap_at(mxa, mya);
        kba = tap_at(mxb, myb);
    }
    float lin_a[4], lin_b[4]; // the op allows at most 4 channels
    precise float d2 = 0.0, pa = 0.0, pb = 0.0;
    int channels = min(p.c, 4);
    for (int c = 0; c < channels; c++) {
        float sa_c = read_a(ka, c * plane), sb_c = read_b(kb, c * plane);
        lin_a[c] = sa_c;
        lin_b[c] = sb_c;
        d2 += (sa_c - sb_c) * (sa_c - sb_c);
        if (photo) {
            float ma = read_b(kab, c * plane), mb = read_a(kba, c * plane);
            pa += (sa_c - ma) * (sa_c - ma);
            pb += (sb_c - mb) * (sb_c - mb);
        }
    }
    precise float photo_scale = photo ? 1.0 / (float(p.c) * p.photo_sigma * p.photo_sigma) : 0.0;
    precise float qa = res_a / p.res_scale, qb = res_b / p.res_scale;
    precise float conf_a = 1.0 / (1.0 + qa * qa), conf_b = 1.0 / (1.0 + qb * qb);
    precise float wa = tb * (conf_a * (1.0 - read_occ_b(kb)) + p.floor) * exp(-pa * photo_scale);
    precise float wb = ta * (conf_b * (1.0 - read_occ_a(ka)) + p.floor) * exp(-pb * photo_scale);
    precise float norm = 1.0 / (wa + wb);
    precise float na = wa * norm, nb = wb * norm;
    float lin[4];
    for (int c = 0; c < channels; c++) {
        precise float l = na * lin_a[c] + nb * lin_b[c];
        lin[c] = l;
    }
    if (p.cubic_sigma > 0.0) {
        precise float sharp = exp(-d2 / (float(p.c) * p.cubic_sigma * p.cubic_sigma));
        CubicTap ca = cubic_tap_at(ya.x, ya.y), cb = cubic_tap_at(yb.x, yb.y);
        for (int c = 0; c < channels; c++) {
            precise float cub = na * cubic_a(ca, c * plane);
            cub += nb * cubic_b(cb, c * plane);
            precise float value = lin[c] + sharp * (cub - lin[c]);
            dst[c * plane + i] = value;
        }
    } else {
        for (int c = 0; c < channels; c++)
            dst[c * plane + i] = lin[c];
    }
}
