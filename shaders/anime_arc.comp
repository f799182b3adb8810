#version 450
// anime_arc: the flow whose chord interpolation follows the arc of the local rotation;
// contract in lib/ops/anime_arc.h. Same arithmetic order as the C code.
layout(local_size_x = 16, local_size_y = 16, local_size_z = 1) in;
layout(std430, set = 0, binding = 0) readonly buffer Flow { float f[]; };
layout(std430, set = 0, binding = 1) readonly buffer Occ { float occ[]; };
layout(std430, set = 0, binding = 2) writeonly buffer Out { float dst[]; };
layout(push_constant) uniform Params {
    int h, w, radius;
    float t, max_angle;
} p;

// Below this angle the arc is the chord to float precision (and 0/0 is avoided): the flow
// is copied.
const float MIN_ANGLE = 1e-6;

void main()
{
    int x = int(gl_GlobalInvocationID.x), y = int(gl_GlobalInvocationID.y);
    int w = p.w, h = p.h, r = p.radius;
    if (x >= w || y >= h)
        return;
    int plane = w * h, i = y * w + x;
    int ya = clamp(y - r, 0, h - 1), yb = clamp(y + r, 0, h - 1);
    int xa = clamp(x - r, 0, w - 1), xb = clamp(x + r, 0, w - 1);
    precise float dy = yb > ya ? 1.0 / float(yb - ya) : 0.0;
    precise float dx = xb > xa ? 1.0 / float(xb - xa) : 0.0;
    int il = y * w + xa, ir = y * w + xb, iu = ya * w + x, id = yb * w + x;
    precise float ux = (f[ir] - f[il]) * dx, vx = (f[plane + ir] - f[plane + il]) * dx;
    precise float uy = (f[id] - f[iu]) * dy, vy = (f[plane + id] - f[plane + iu]) * dy;
    precise float theta =
        clamp(atan(vx - uy, 2.0 + ux + vy), -p.max_angle, p.max_angle) * (1.0 - occ[i]);
    float u = f[i], v = f[plane + i];
    if (abs(theta) < MIN_ANGLE) {
        dst[i] = u;
        dst[plane + i] = v;
        return;
    }
    precise float gain = sin(0.5 * p.t * theta) / (p.t * sin(0.5 * theta));
    precise float phase = 0.5 * (p.t - 1.0) * theta;
    precise float c = gain * cos(phase), s = gain * sin(phase);
    precise float ou = c * u - s * v;
    precise float ov = s * u + c * v;
    dst[i] = ou;
    dst[plane + i] = ov;
}
