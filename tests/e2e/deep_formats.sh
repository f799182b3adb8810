#!/usr/bin/env bash
# Precision and alpha through retiming (--factor 2, so every other output is synthesised):
#  - a 10-bit ramp (yuv420p10le, one level per pixel, moving 4 px per picture) keeps more
#    than 256 distinct luma levels in the in-betweens (no 8-bit step in the chain), and the
#    in-betweens are real ones (each differs from both neighbours); with --factor 1 (all
#    copies) its samples come back exactly;
#  - an RGBA image sequence with a textured disc moving (5, 3) px per picture on a transparent
#    background: the in-between alpha matches the exact disc at the half-way position (the
#    anti-aliased shape drawn independently here) with PSNR >= 30 dB.
# Usage: deep_formats.sh cpu|vulkan
. "$(dirname "$0")/common.sh"
DEVICE=${1:-cpu}
need_tools
need_numpy
"$PYTHON" -c 'import cv2' 2>/dev/null || skip "python3 with cv2 not found (python3-opencv)"
make_workdir

# 1. 10-bit ramp
W=1024
H=32
"$PYTHON" - $W $H <<'PY'
import sys
import numpy as np
w, h = int(sys.argv[1]), int(sys.argv[2])
with open("ramp.yuv", "wb") as f:
    for k in range(4):
        y = np.tile(np.clip(np.arange(w) - 4 * k, 0, 1023), (h, 1)).astype("<u2")
        c = np.full((h // 2, w // 2), 512, "<u2")
        f.write(y.tobytes() + c.tobytes() + c.tobytes())
PY
gen -f rawvideo -pix_fmt yuv420p10le -s ${W}x$H -framerate 25 -i ramp.yuv -strict -1 ramp.y4m
gen -f lavfi -i "testsrc2=size=64x48" -frames:v 1 a.png
check_device "$DEVICE" a.png a.png
if "$WEFT" retime ramp.y4m -o ramp_out.y4m --factor 2 --device "$DEVICE"; then
    gen -i ramp_out.y4m -f rawvideo -pix_fmt yuv420p10le ramp_out.yuv
    result=$("$PYTHON" - $W $H <<'PY'
import sys
import numpy as np
w, h = int(sys.argv[1]), int(sys.argv[2])
frame = w * h * 3 // 2
data = np.fromfile("ramp_out.yuv", "<u2")
out = [data[i * frame:i * frame + w * h].reshape(h, w).astype(np.int64)
       for i in range(len(data) // frame)]
levels = []
for k in range(1, len(out) - 1, 2):
    if (out[k] == out[k - 1]).all() or (out[k] == out[k + 1]).all():
        print(f"bad: output {k} is a copy of a neighbour, not an in-between")
        sys.exit()
    levels.append(len(np.unique(out[k])))
print(f"{'ok' if min(levels) > 256 else 'bad'}: distinct 10-bit luma levels in the "
      f"in-betweens: {levels} (of {len(out)} outputs)")
PY
)
    case "$result" in
    ok:*) pass "10-bit ramp: ${result#ok: }" ;;
    *) fail "10-bit ramp: $result" ;;
    esac
else
    fail "10-bit ramp: weft failed"
fi

# all copies (--factor 1): the 10-bit samples come back exactly
if "$WEFT" retime ramp.y4m -o ramp_copy.y4m --factor 1 --device "$DEVICE"; then
    want=$(gen -i ramp.y4m -f framemd5 - | grep -v '^#' | awk '{print $6}')
    got=$(gen -i ramp_copy.y4m -f framemd5 - | grep -v '^#' | awk '{print $6}')
    [ -n "$want" ] && [ "$got" = "$want" ] &&
        pass "10-bit --factor 1: $(echo "$got" | wc -l) pictures returned bit-exact" ||
        fail "10-bit --factor 1: the samples changed"
else
    fail "10-bit --factor 1: weft failed"
fi

# 2. RGBA: a textured disc moving on a transparent background
mkdir rgba
"$PYTHON" - <<'PY'
import cv2
import numpy as np
w, h, r = 128, 96, 20.0
yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
def disc(cx, cy):
    # coverage of each pixel by the disc (a 1-pixel linear edge): the anti-aliased shape
    return np.clip(r + 0.5 - np.hypot(xx - cx, yy - cy), 0.0, 1.0)
for k in range(4):
    # 5 px right and 3 px down per picture: the half-way shape is at a sub-pixel position
    cx, cy = 36.0 + 5 * k, 40.0 + 3 * k
    alpha = disc(cx, cy)
    # a texture that moves with the disc; straight (not premultiplied) colour, black where
    # transparent
    u, v = xx - cx, yy - cy
    colour = np.dstack([128 + 100 * np.sin(0.35 * u) * np.cos(0.3 * v),
                        128 + 100 * np.cos(0.25 * u + 0.2 * v),
                        128 + 90 * np.sin(0.2 * v - 0.15 * u)])
    bgra = np.dstack([colour * alpha[..., None], alpha * 255]).round().astype(np.uint8)
    cv2.imwrite(f"rgba/{k:04d}.png", bgra)
    # the exact shape half way to the next picture
    cv2.imwrite(f"rgba/want_{k:04d}.png", (disc(cx + 2.5, cy + 1.5) * 255).round().astype(np.uint8))
PY
mkdir rgba_out
if "$WEFT" retime rgba/%04d.png -o 'rgba_out/%04d.png' --input-rate 25 --factor 2 \
    --device "$DEVICE" 2>err.txt; then
    result=$("$PYTHON" - <<'PY'
import glob
import cv2
import numpy as np
outs = sorted(glob.glob("rgba_out/*.png"))
scores = []
for k in range(3):
    got = cv2.imread(outs[2 * k + 1], cv2.IMREAD_UNCHANGED)
    if got is None or got.ndim != 3 or got.shape[2] != 4:
        print(f"bad: output {2 * k + 1} has no alpha channel")
        raise SystemExit
    want = cv2.imread(f"rgba/want_{k:04d}.png", cv2.IMREAD_UNCHANGED).astype(np.float64)
    mse = np.mean((got[..., 3].astype(np.float64) - want) ** 2)
    scores.append(99.0 if mse == 0 else 10 * np.log10(255.0 ** 2 / mse))
print(f"{'ok' if len(outs) >= 7 and min(scores) >= 30 else 'bad'}: alpha PSNR of the "
      f"in-betweens vs the exact disc: {', '.join(f'{s:.1f}' for s in scores)} dB")
PY
)
    case "$result" in
    ok:*) pass "RGBA: ${result#ok: }" ;;
    *) fail "RGBA: $result" ;;
    esac
else
    fail "RGBA: weft failed: $(cat err.txt)"
fi
finish
