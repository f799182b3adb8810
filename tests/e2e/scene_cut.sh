#!/usr/bin/env bash
# Scene cuts: a clip joined from two different shots (testsrc2, then mandelbrot) retimed to
# twice its rate. With the default --scene-threshold no output frame mixes the shots (each
# is closer to a picture of one shot than to the 50/50 mix of the pictures at the cut); with
# --scene-threshold 0 the in-between at the cut is such a mix. The cut is logged with -v.
# With `shared` the two shots are real ones from two sets of ../shared/data (8 pictures of
# sintel/videoflow-demo, then 8 of anime_color/AoT_S4E4_shot1, both scaled to 256x144; exit 77
# when ../shared is absent).
# Usage: scene_cut.sh cpu|vulkan [synthetic|shared]
. "$(dirname "$0")/common.sh"
DEVICE=${1:-cpu}
SOURCE=${2:-synthetic}
need_tools
need_numpy
DATA=$(cd "$(dirname "$0")/../../.." && pwd)/shared/data
[ "$SOURCE" = shared ] && { [ -d "$DATA/sintel/videoflow-demo" ] && [ -d "$DATA/anime_color/AoT_S4E4_shot1" ] ||
    skip "no sintel/videoflow-demo or anime_color/AoT_S4E4_shot1 in $DATA (../shared is absent)"; }
make_workdir

if [ "$SOURCE" = shared ]; then
    SIZE=256x144
    CUT=8
    mkdir shots
    i=0
    for f in $(ls "$DATA"/sintel/videoflow-demo/frame_*.png | head -n $CUT) \
        $(ls "$DATA"/anime_color/AoT_S4E4_shot1/frame_*.png | head -n $CUT); do
        gen -i "$f" -vf "scale=$SIZE" "shots/$(printf %04d $i).png"
        i=$((i + 1))
    done
    gen -framerate 25 -i shots/%04d.png -c:v ffv1 -pix_fmt yuv420p joined.mkv
else
    SIZE=160x120
    CUT=15
    gen -f lavfi -i "testsrc2=size=$SIZE:rate=25:duration=0.6" -f lavfi -i "mandelbrot=size=$SIZE:rate=25" \
        -filter_complex "[1]trim=duration=0.6,setpts=PTS-STARTPTS[b];[0][b]concat=n=2:v=1[v]" \
        -map "[v]" -c:v ffv1 -pix_fmt yuv420p joined.mkv
fi
gen -i joined.mkv -frames:v 1 a.png
gen -i joined.mkv -ss 0.04 -frames:v 1 b.png
check_device "$DEVICE" a.png b.png
to_raw joined.mkv source.gray gray

# Counts output frames that mix the two shots; the first CUT source pictures are shot A.
mixed_frames() { # OUT.mkv
    to_raw "$1" out.gray gray
    "$PYTHON" - "$SIZE" "$CUT" <<'PY'
import sys
import numpy as np
w, h = map(int, sys.argv[1].split("x"))
src = np.fromfile("source.gray", np.uint8).reshape(-1, h, w).astype(np.float64)
out = np.fromfile("out.gray", np.uint8).reshape(-1, h, w).astype(np.float64)
cut = int(sys.argv[2])
mix = (src[cut - 1] + src[cut]) / 2
mixed = 0
for frame in out:
    d_a = min(np.abs(frame - s).mean() for s in src[:cut])
    d_b = min(np.abs(frame - s).mean() for s in src[cut:])
    if np.abs(frame - mix).mean() < min(d_a, d_b):
        mixed += 1
print(mixed)
PY
}

if "$WEFT" retime joined.mkv -o default.mkv --fps 50 --device "$DEVICE" -v 2>err.txt; then
    cuts=$(grep -c "scene cut between" err.txt)
    [ "$cuts" = 1 ] && pass "the cut is logged, once: $(grep -o 'scene cut between.*' err.txt)" ||
        fail "$cuts cuts logged: $(grep -i cut err.txt)"
    n=$(mixed_frames default.mkv)
    [ "$n" = 0 ] && pass "default threshold: no frame mixes the shots" ||
        fail "default threshold: $n frames mix the shots"
else
    fail "retime (default threshold): $(cat err.txt)"
fi

if "$WEFT" retime joined.mkv -o off.mkv --fps 50 --scene-threshold 0 --device "$DEVICE" \
    -v 2>err.txt; then
    grep -q "scene cut between" err.txt && fail "a cut logged with --scene-threshold 0"
    n=$(mixed_frames off.mkv)
    [ "$n" -ge 1 ] 2>/dev/null && pass "--scene-threshold 0: $n frame(s) mix the shots" ||
        fail "--scene-threshold 0: no frame mixes the shots ($n)"
else
    fail "retime --scene-threshold 0: $(cat err.txt)"
fi
finish
