#version 450
// dis_search: DIS patch inverse search, one invocation per patch; contract in
// lib/ops/dis_search.h. Same values and the same summation order as the C code, so the
// accept/reject decisions and the early stop come out the same. Like the C code it keeps
// the patch's mean-free gradients and the residuals of one pass in per-invocation arrays
// (patch_size <= 16); recomputing them instead was 2x slower on lavapipe, where every
// buffer read is a bounds-checked gather.
layout(local_size_x = 8, local_size_y = 8, local_size_z = 1) in;
layout(std430, set = 0, binding = 0) readonly buffer I0 { float i0[]; };
layout(std430, set = 0, binding = 1) readonly buffer I1 { float i1[]; };
layout(std430, set = 0, binding = 2) readonly buffer Prior { float prior[]; };
layout(std430, set = 0, binding = 3) readonly buffer Candidates { float cand[]; };
layout(std430, set = 0, binding = 4) writeonly buffer Out { float dst[]; };
layout(push_constant) uniform Params {
    int h, w, patch_size, stride, ph, pw, iterations, use_candidates;
} p;

int px, py, n;
float mgx, mgy; // patch means of the gradient
float patch_gx[256], patch_gy[256]; // mean-free gradient at patch pixel y * n + x
float patch_diff[256];              // i1(x + u) - i0(x) of the current residual

// Central-difference gradient of i0 at patch pixel (x, y), one-sided at the image border.
vec2 gradient(int x, int y)
{
    int w = p.w, h = p.h;
    int yy = py + y, xx = px + x;
    int row = yy * w;
    int up = (yy > 0 ? yy - 1 : yy) * w, dn = (yy < h - 1 ? yy + 1 : yy) * w;
    int xl = xx > 0 ? xx - 1 : xx, xr = xx < w - 1 ? xx + 1 : xx;
    float sy = (yy > 0 && yy < h - 1) ? 0.5 : 1.0;
    float sx = (xx > 0 && xx < w - 1) ? 0.5 : 1.0;
    precise float gx = sx * (i0[row + xr] - i0[row + xl]);
    precise float gy = sy * (i0[dn + xx] - i0[up + xx]);
    return vec2(gx, gy);
}

float sample_clamped(float x, float y)
{
    int w = p.w, h = p.h;
    precise float cx = min(max(x, 0.0), float(w - 1));
    precise float cy = min(max(y, 0.0), float(h - 1));
    int x0 = int(cx), y0 = int(cy);
    int x1 = min(x0 + 1, w - 1), y1 = min(y0 + 1, h - 1);
    precise float fx = cx - float(x0), fy = cy - float(y0);
    int r0 = y0 * w, r1 = y1 * w;
    precise float top = i1[r0 + x0] + fx * (i1[r0 + x1] - i1[r0 + x0]);
    precise float bot = i1[r1 + x0] + fx * (i1[r1 + x1] - i1[r1 + x0]);
    precise float s = top + fy * (bot - top);
    return s;
}

// i1(x + u) - i0(x) for patch pixel (x, y), by the C code's fast path (one bilinear weight
// set for the whole patch) or its clamped path.
float difference(bool fast, int x, int y, float u, float v, int ix, int iy, vec4 wt)
{
    precise float s;
    if (fast) {
        int r0 = (iy + y) * p.w + ix + x, r1 = r0 + p.w;
        s = wt.x * i1[r0] + wt.y * i1[r0 + 1] + wt.z * i1[r1] + wt.w * i1[r1 + 1];
    } else {
        precise float sx = float(px + x) + u, sy = float(py + y) + v;
        s = sample_clamped(sx, sy);
    }
    precise float d = s - i0[(py + y) * p.w + px + x];
    return d;
}

// Mean-normalised residual at (u, v): returns its cost; b = sum g * residual.
float residual(float u, float v, out vec2 b)
{
    precise float pu = float(px) + u, pv = float(py) + v;
    precise float eu = float(px + n - 1) + u, ev = float(py + n - 1) + v;
    bool fast = pu >= 0.0 && pv >= 0.0 && eu < float(p.w - 1) && ev < float(p.h - 1);
    float fu = floor(u), fv = floor(v);
    int ix = px + int(fu), iy = py + int(fv);
    precise float fx = u - fu, fy = v - fv;
    precise vec4 wt = vec4((1.0 - fx) * (1.0 - fy), fx * (1.0 - fy), (1.0 - fx) * fy, fx * fy);
    precise float sum = 0.0;
    for (int y = 0; y < n; y++)
        for (int x = 0; x < n; x++) {
            float d = difference(fast, x, y, u, v, ix, iy, wt);
            patch_diff[y * n + x] = d;
            sum += d;
        }
    precise float mean = sum / float(n * n);
    precise float cost = 0.0, bx = 0.0, by = 0.0;
    for (int y = 0; y < n; y++) {
        for (int x = 0; x < n; x++) {
            precise float d = patch_diff[y * n + x] - mean;
            cost += d * d;
            bx += patch_gx[y * n + x] * d;
            by += patch_gy[y * n + x] * d;
        }
    }
    b = vec2(bx, by);
    return cost;
}

void main()
{
    int j = int(gl_GlobalInvocationID.x), i = int(gl_GlobalInvocationID.y);
    int w = p.w, h = p.h, pw = p.pw, ph = p.ph;
    if (j >= pw || i >= ph)
        return;
    n = min(p.patch_size, 16); // the op allows at most 16 (the arrays above)
    int plane = w * h, pplane = pw * ph;
    px = min(j * p.stride, w - n);
    py = min(i * p.stride, h - n);

    // mean gradient, then the Gauss-Newton matrix of the mean-free gradient
    precise float sgx = 0.0, sgy = 0.0;
    for (int y = 0; y < n; y++)
        for (int x = 0; x < n; x++) {
            vec2 g = gradient(x, y);
            sgx += g.x;
            sgy += g.y;
        }
    precise float mx = sgx / float(n * n), my = sgy / float(n * n);
    mgx = mx;
    mgy = my;
    precise float hxx = 1e-6, hxy = 0.0, hyy = 1e-6;
    for (int y = 0; y < n; y++)
        for (int x = 0; x < n; x++) {
            vec2 g = gradient(x, y);
            precise float gx = g.x - mgx, gy = g.y - mgy;
            patch_gx[y * n + x] = gx;
            patch_gy[y * n + x] = gy;
            hxx += gx * gx;
            hxy += gx * gy;
            hyy += gy * gy;
        }
    precise float det = hxx * hyy - hxy * hxy;

    // start: the prior at the centre, then the candidates (this patch and 4 neighbours)
    int centre = (py + n / 2) * w + px + n / 2;
    float u = prior[centre], v = prior[plane + centre];
    vec2 b;
    float best = residual(u, v, b);
    if (p.use_candidates != 0) {
        const ivec2 offsets[5] = ivec2[5](ivec2(0, 0), ivec2(-1, 0), ivec2(1, 0), ivec2(0, -1),
                                          ivec2(0, 1));
        for (int k = 0; k < 5; k++) {
            int ci = i + offsets[k].x, cj = j + offsets[k].y;
            if (ci < 0 || ci >= ph || cj < 0 || cj >= pw)
                continue;
            int q = ci * pw + cj;
            float cu = cand[q], cv = cand[pplane + q];
            float cost = residual(cu, cv, b);
            if (cost < best) {
                best = cost;
                u = cu;
                v = cv;
            }
        }
    }
    float u_start = u, v_start = v, start_cost = best;
    float cost = start_cost;
    if (det > 1e-12) {
        for (int it = 0; it < p.iterations; it++) {
            residual(u, v, b);
            precise float du = (hyy * b.x - hxy * b.y) / det;
            precise float dv = (hxx * b.y - hxy * b.x) / det;
            precise float nu = u - du, nv = v - dv;
            u = nu;
            v = nv;
            precise float step = du * du + dv * dv;
            if (step < 1e-4)
                break;
        }
        cost = residual(u, v, b);
    }
    precise float ddu = u - u_start, ddv = v - v_start;
    precise float moved = ddu * ddu + ddv * ddv;
    if (!(cost <= start_cost) || moved > float(n * n)) {
        u = u_start;
        v = v_start;
    }
    dst[i * pw + j] = u;
    dst[pplane + i * pw + j] = v;
}
