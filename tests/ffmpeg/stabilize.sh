#!/usr/bin/env bash
# The filter with stabilize=1: one pass (a filter sees each picture once), each picture
# planned over the pictures around it. A shaken still (a textured picture cropped at a
# random offset per frame) comes out with every frame and much steadier.
. "$(dirname "$0")/common.sh"
cd "$tmp"
# the inputs are made with the system's ffmpeg (the build here has few lavfi sources)
gen() { /usr/bin/ffmpeg -nostdin -v error -y "$@" || fail "ffmpeg $*"; }
gen -f lavfi -i "mandelbrot=size=208x160:start_scale=0.4:end_scale=0.4:outer=normalized_iteration_count" \
    -frames:v 1 still.png
gen -loop 1 -framerate 25 -i still.png \
    -vf "crop=176:128:x='16+12*(random(1)-0.5)':y='16+12*(random(2)-0.5)',format=yuv420p" \
    -frames:v 40 -c:v libx264 -preset ultrafast -qp 0 shaky.mp4
ff -i shaky.mp4 -vf "weft=stabilize=1:factor=1:device=cpu" -c:v libx264 -preset ultrafast -qp 0 \
    steady.mp4 || fail "stabilize=1 failed: $(cat "$tmp/stderr")"
n=$("$ffprobe" -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames \
    -of default=nw=1:nk=1 steady.mp4)
[ "$n" = 40 ] || fail "$n frames, want 40"
for f in shaky steady; do
    gen -i $f.mp4 -f rawvideo -pix_fmt gray $f.gray
done
/usr/bin/python3 - <<'PY' || fail "not steadier"
import sys, numpy as np
d = {}
for f in ("shaky", "steady"):
    a = np.fromfile(f + ".gray", np.uint8).reshape(-1, 128, 176).astype(float)[:, 32:96, 44:132]
    d[f] = np.abs(np.diff(a, axis=0)).mean()
print(f"frame-to-frame difference {d['shaky']:.2f} -> {d['steady']:.2f}")
sys.exit(0 if d["steady"] < 0.25 * d["shaky"] else 1)
PY
echo "ok: stabilize=1 in one pass"
