#version 450
// anime_merge: warp where the region is trusted, else a cross-fade or a per-pixel hold; contract in
// lib/ops/anime_merge.h. Same arithmetic order as the C code.
layout(local_size_x = 16, local_size_y = 16, local_size_z = 1) in;
layout(std430, set = 0, binding = 0) readonly buffer A { float a[]; };
layout(std430, set = 0, binding = 1) readonly buffer B { float b[]; };
layout(std430, set = 0, binding = 2) readonly buffer Warped { float warped[]; };
layout(std430, set = 0, binding = 3) readonly buffer Tiles { float tiles[]; };
layout(std430, set = 0, binding = 4) writeonly buffer Out { float dst[]; };
layout(push_constant) uniform Params {
    int c, h, w, tile, tw, th;
    float t, sharp, ink;
} p;

// 1 - the darkest colour channel of source `which` (0 a, 1 b) at i, times alpha with 4
// channels.
float source_ink(int which, int plane, int i)
{
    int colours = p.c == 4 ? 3 : p.c;
    float lowest = which == 0 ? a[i] : b[i];
    for (int ch = 1; ch < colours; ch++)
        lowest = min(lowest, which == 0 ? a[ch * plane + i] : b[ch * plane + i]);
    float alpha = p.c == 4 ? (which == 0 ? a[3 * plane + i] : b[3 * plane + i]) : 1.0;
    precise float ink = (1.0 - lowest) * alpha;
    return ink;
}

void main()
{
    int x = int(gl_GlobalInvocationID.x), y = int(gl_GlobalInvocationID.y);
    int w = p.w, h = p.h, c = p.c, tw = p.tw, th = p.th;
    if (x >= w || y >= h)
        return;
    int plane = w * h, tplane = tw * th, i = y * w + x;
    precise float inv_tile = 1.0 / float(p.tile);
    precise float gy = min(max((float(y) + 0.5) * inv_tile - 0.5, 0.0), float(th - 1));
    precise float gx = min(max((float(x) + 0.5) * inv_tile - 0.5, 0.0), float(tw - 1));
    int ty0 = int(gy), ty1 = min(ty0 + 1, th - 1);
    int tx0 = int(gx), tx1 = min(tx0 + 1, tw - 1);
    precise float fy = gy - float(ty0), fx = gx - float(tx0);
    float g[2];
    for (int k = 0; k < 2; k++) {
        int r0 = k * tplane + ty0 * tw, r1 = k * tplane + ty1 * tw;
        precise float top = tiles[r0 + tx0] + fx * (tiles[r0 + tx1] - tiles[r0 + tx0]);
        precise float bot = tiles[r1 + tx0] + fx * (tiles[r1 + tx1] - tiles[r1 + tx0]);
        g[k] = top + fy * (bot - top);
    }
    float trust = g[0], fade = g[1], keep_a = warped[2 * c * plane + i];
    float da = 0.0, db = 0.0;
    for (int ch = 0; ch < c; ch++) {
        int j = ch * plane + i;
        precise float warp = keep_a * warped[j] + (1.0 - keep_a) * warped[c * plane + j];
        da = max(da, abs(a[j] - warp));
        db = max(db, abs(b[j] - warp));
    }
    db -= p.ink * source_ink(1, plane, i);
    da -= p.ink * source_ink(0, plane, i);
    precise float margin = (1.0 - p.t) * db - p.t * da;
    float hold_a = 1.0 / (1.0 + exp(-p.sharp * margin));
    for (int ch = 0; ch < c; ch++) {
        int j = ch * plane + i;
        precise float warp = keep_a * warped[j] + (1.0 - keep_a) * warped[c * plane + j];
        precise float cross = (1.0 - p.t) * a[j] + p.t * b[j];
        precise float hold = hold_a * a[j] + (1.0 - hold_a) * b[j];
        precise float fallback = fade * cross + (1.0 - fade) * hold;
        dst[j] = trust * warp + (1.0 - trust) * fallback;
    }
}
