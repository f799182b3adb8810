#version 450
// var_weights: the linear system of one lagged-nonlinearity step of variational flow
// refinement; contract in lib/ops/var_weights.h. Same arithmetic order as the C code.
layout(local_size_x = 16, local_size_y = 16, local_size_z = 1) in;
layout(std430, set = 0, binding = 0) readonly buffer Derivs { float dv8[]; };
layout(std430, set = 0, binding = 1) readonly buffer Flow { float fl[]; };
layout(std430, set = 0, binding = 2) readonly buffer DFlow { float df[]; };
layout(std430, set = 0, binding = 3) writeonly buffer Out { float dst[]; };
layout(push_constant) uniform Params {
    int h, w;
    float alpha, delta, gamma, zeta_sq, eps_data_sq, eps_smooth_sq;
} p;

void main()
{
    int x = int(gl_GlobalInvocationID.x), y = int(gl_GlobalInvocationID.y);
    int w = p.w, h = p.h;
    if (x >= w || y >= h)
        return;
    int plane = w * h;
    int i = y * w + x;
    float ix = dv8[i], iy = dv8[plane + i], iz = dv8[2 * plane + i];
    float ixx = dv8[3 * plane + i], ixy = dv8[4 * plane + i];
    float iyy = dv8[5 * plane + i], ixz = dv8[6 * plane + i];
    float iyz = dv8[7 * plane + i];
    float du = df[i], dv = df[plane + i];
    precise float r0v = iz + ix * du + iy * dv;
    precise float rx = ixz + ixx * du + ixy * dv;
    precise float ry = iyz + ixy * du + iyy * dv;
    precise float n0 = 1.0 / (ix * ix + iy * iy + p.zeta_sq);
    precise float nx = 1.0 / (ixx * ixx + ixy * ixy + p.zeta_sq);
    precise float ny = 1.0 / (ixy * ixy + iyy * iyy + p.zeta_sq);
    precise float pd = p.delta * n0 / sqrt(n0 * r0v * r0v + p.eps_data_sq);
    precise float pg = p.gamma / sqrt(nx * rx * rx + ny * ry * ry + p.eps_data_sq);
    precise float gx = pg * nx, gy = pg * ny;
    precise float o0 = pd * ix * ix + gx * ixx * ixx + gy * ixy * ixy;
    precise float o1 = pd * ix * iy + gx * ixx * ixy + gy * ixy * iyy;
    precise float o2 = pd * iy * iy + gx * ixy * ixy + gy * iyy * iyy;
    precise float o3 = -(pd * ix * iz + gx * ixx * ixz + gy * ixy * iyz);
    precise float o4 = -(pd * iy * iz + gx * ixy * ixz + gy * iyy * iyz);
    // smoothness of the updated flow, forward differences (0 across right/bottom border)
    int ir = x + 1 < w ? i + 1 : i, id = y + 1 < h ? i + w : i;
    precise float uc = fl[i] + du, vc = fl[plane + i] + dv;
    precise float ux = fl[ir] + df[ir] - uc, uy = fl[id] + df[id] - uc;
    precise float vx = fl[plane + ir] + df[plane + ir] - vc;
    precise float vy = fl[plane + id] + df[plane + id] - vc;
    precise float o5 = p.alpha / sqrt(ux * ux + uy * uy + vx * vx + vy * vy + p.eps_smooth_sq);
    dst[i] = o0;
    dst[plane + i] = o1;
    dst[2 * plane + i] = o2;
    dst[3 * plane + i] = o3;
    dst[4 * plane + i] = o4;
    dst[5 * plane + i] = o5;
}
