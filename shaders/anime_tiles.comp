#version 450
// anime_tiles: per tile, trust in the warp and the fade share of the fallback; contract in
// lib/ops/anime_tiles.h. One invocation per tile, sums in the C code's order.
layout(local_size_x = 8, local_size_y = 8, local_size_z = 1) in;
layout(std430, set = 0, binding = 0) readonly buffer A { float a[]; };
layout(std430, set = 0, binding = 1) readonly buffer B { float b[]; };
layout(std430, set = 0, binding = 2) readonly buffer Warped { float warped[]; };
layout(std430, set = 0, binding = 3) writeonly buffer Out { float dst[]; };
layout(push_constant) uniform Params {
    int c, h, w, tile, tw, th;
    float slope, agree;
} p;

void main()
{
    int tx = int(gl_GlobalInvocationID.x), ty = int(gl_GlobalInvocationID.y);
    if (tx >= p.tw || ty >= p.th)
        return;
    int w = p.w, h = p.h, c = p.c, n = p.tile;
    int plane = w * h, tplane = p.tw * p.th;
    int ye = min((ty + 1) * n, h), xe = min((tx + 1) * n, w);
    precise float inv_c = 1.0 / float(c);
    precise float ew = 0.0, eb = 0.0, sa = 0.0, sb = 0.0, saa = 0.0, sbb = 0.0, sab = 0.0;
    for (int y = ty * n; y < ye; y++) {
        for (int x = tx * n; x < xe; x++) {
            int i = y * w + x;
            precise float dw = 0.0, db = 0.0, ma = 0.0, mb = 0.0;
            for (int ch = 0; ch < c; ch++) {
                float va = a[ch * plane + i], vb = b[ch * plane + i];
                dw = max(dw, abs(warped[ch * plane + i] - warped[(c + ch) * plane + i]));
                db = max(db, abs(va - vb));
                ma += va;
                mb += vb;
            }
            ma *= inv_c;
            mb *= inv_c;
            ew += dw;
            eb += db;
            sa += ma;
            sb += mb;
            saa += ma * ma;
            sbb += mb * mb;
            sab += ma * mb;
        }
    }
    precise float count = float((ye - ty * n) * (xe - tx * n));
    ew /= count;
    eb /= count;
    precise float mean_a = sa / count, mean_b = sb / count;
    precise float var_a = max(saa / count - mean_a * mean_a, 0.0);
    precise float var_b = max(sbb / count - mean_b * mean_b, 0.0);
    precise float cov = sab / count - mean_a * mean_b;
    precise float ncc = (cov + 1e-4) / sqrt((var_a + 1e-4) * (var_b + 1e-4));
    int o = ty * p.tw + tx;
    dst[o] = max(clamp((eb - ew) / (eb + 1e-3) * p.slope, 0.0, 1.0),
                 clamp(1.0 - ew / p.agree, 0.0, 1.0));
    dst[tplane + o] = clamp((ncc - 0.2) / 0.5, 0.0, 1.0);
}
