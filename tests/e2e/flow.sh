#!/usr/bin/env bash
# flow: B is A's texture shifted by (+3, +2) px, so the flow A->B must be (3, 2) everywhere
# away from the borders, and B->A (-3, -2); the .flo files must be well formed.
# Usage: flow.sh cpu|vulkan
. "$(dirname "$0")/common.sh"
DEVICE=${1:-cpu}
need_tools
need_numpy
make_workdir

# a smooth random texture (blurred noise: detail at every scale of the pyramid)
texture="nullsrc=s=320x240:d=1,geq=lum='random(1)*255':cb=128:cr=128,gblur=sigma=2.5"
texture="$texture,lutyuv=y='clip((val-128)*4+128,0,255)'" # contrast x4
gen -f lavfi -i "$texture" -frames:v 1 -pix_fmt gray texture.png
# A = texture at offset (32, 24); B = texture at (29, 22): content moves by (+3, +2)
gen -i texture.png -vf crop=256:192:32:24 a.png
gen -i texture.png -vf crop=256:192:29:22 b.png
check_device "$DEVICE" a.png b.png

"$WEFT" flow a.png b.png -o fwd.flo --backward bwd.flo --device "$DEVICE" 2>err.txt
status=$?
if [ $status -ne 0 ]; then
    skip_if_not_implemented "$(cat err.txt)"
    fail "flow: status $status: $(cat err.txt)"
    finish
fi
[ -s err.txt ] && fail "flow wrote to stderr on success: $(cat err.txt)"

check_flo() { # FILE WANT_U WANT_V
    "$PYTHON" - "$@" <<'PY'
import sys
import numpy as np
path, want_u, want_v = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
raw = open(path, "rb").read()
tag = np.frombuffer(raw[:4], "<f4")[0]
w, h = (int(x) for x in np.frombuffer(raw[4:12], "<i4"))
problems = []
if tag != 202021.25:
    problems.append(f"tag {tag}")
if (w, h) != (256, 192):
    problems.append(f"size {w}x{h}, want 256x192")
if len(raw) != 12 + 8 * w * h:
    problems.append(f"{len(raw)} bytes, want {12 + 8 * w * h}")
if problems:
    print(f"{path}: " + ", ".join(problems))
    sys.exit(1)
flow = np.frombuffer(raw[12:], "<f4").reshape(h, w, 2)
inner = flow[16:-16, 16:-16]
if not np.isfinite(inner).all():
    print(f"{path}: flow has NaN/inf")
    sys.exit(1)
mean_u, mean_v = float(inner[..., 0].mean()), float(inner[..., 1].mean())
epe = np.hypot(inner[..., 0] - want_u, inner[..., 1] - want_v)
good = float((epe < 1.0).mean())
print(f"{path}: mean flow ({mean_u:.3f}, {mean_v:.3f}), want ({want_u}, {want_v}); "
      f"mean EPE {epe.mean():.3f}; {100 * good:.1f}% within 1 px")
ok = abs(mean_u - want_u) < 0.25 and abs(mean_v - want_v) < 0.25 and good > 0.9
sys.exit(0 if ok else 1)
PY
}

check_flo fwd.flo 3 2 && pass "forward flow is (3, 2)" || fail "forward flow is wrong"
check_flo bwd.flo -3 -2 && pass "backward flow is (-3, -2)" || fail "backward flow is wrong"

# without --backward, only the forward file is written
"$WEFT" flow a.png b.png -o only.flo --device "$DEVICE" 2>err.txt && [ -s only.flo ] &&
    [ -z "$(leftovers . texture.png a.png b.png fwd.flo bwd.flo only.flo err.txt)" ] &&
    pass "flow without --backward writes one file" ||
    fail "flow without --backward: $(cat err.txt) $(leftovers . texture.png a.png b.png fwd.flo \
        bwd.flo only.flo err.txt)"

finish
