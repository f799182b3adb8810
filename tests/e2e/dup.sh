#!/usr/bin/env bash
# Repeated pictures (--dup) on clips made here. A moving testsrc2 at 12 fps written on twos
# at 24 fps and coded lossy (x264 crf 28, so the repeats carry coding noise), retimed at 24:
#  - smooth: every drawing appears at its own time (the output there is the source picture
#    of its first appearance, bit-exact) and every output where a repeat was differs from
#    both neighbouring drawings by more than a quarter of their own difference;
#  - keep: the repeats stay (each output is its source picture, bit-exact);
#  - a fully static clip (one picture looped, lossless) retimed to 60 fps comes out
#    identical to its input in all three modes (also at quality fast).
# With `anime` the clip on twos is instead made of the first 6 drawings of
# ../shared/data/anime_color/AoT_S4E4_shot1 (1280x720, each PNG written twice; exit 77 when
# ../shared is absent), and the static clip is its first drawing.
# Usage: dup.sh cpu|vulkan [synthetic|anime]
. "$(dirname "$0")/common.sh"
DEVICE=${1:-cpu}
SOURCE=${2:-synthetic}
need_tools
need_numpy
SHOT=$(cd "$(dirname "$0")/../../.." && pwd)/shared/data/anime_color/AoT_S4E4_shot1
[ "$SOURCE" = anime ] && { [ -d "$SHOT" ] || skip "no $SHOT (../shared is absent)"; }
make_workdir

if [ "$SOURCE" = anime ]; then
    SIZE=1280x720
    mkdir twos
    i=0
    for f in $(ls "$SHOT"/frame_*.png | head -n 6); do
        cp "$f" "twos/$(printf %04d $i).png"
        cp "$f" "twos/$(printf %04d $((i + 1))).png"
        i=$((i + 2))
    done
    INPUT=(twos/%04d.png --input-rate 24)
    DESC="AoT_S4E4_shot1 on twos"
    STILL=(-i twos/0000.png)
    STILL_FRAMES=6
else
    SIZE=160x120
    gen -f lavfi -i "testsrc2=size=$SIZE:rate=12" -t 1 -vf fps=24 -c:v libx264 -crf 28 \
        -pix_fmt yuv420p twos.mp4
    INPUT=(twos.mp4)
    DESC="testsrc2 on twos (x264 crf 28)"
    STILL=(-f lavfi -i "testsrc2=size=96x64:rate=24" -frames:v 1)
    STILL_FRAMES=12
fi
gen -i "${INPUT[0]}" -frames:v 1 a.png
gen -i "${INPUT[0]}" -vf "select=eq(n\,2)" -frames:v 1 b.png
check_device "$DEVICE" a.png b.png
to_raw "${INPUT[0]}" source.gray gray

retime() { # OUT ARGS...
    local out=$1
    shift
    "$WEFT" retime "${INPUT[@]}" -o "$out" --fps 24 --device "$DEVICE" --quality fast "$@" ||
        { fail "weft retime $*"; return 1; }
}

# Prints a line per failed check (and "checked N") for the output in out.gray.
check() { # smooth|keep
    "$PYTHON" - "$SIZE" "$1" <<'PY'
import sys
import numpy as np
w, h = map(int, sys.argv[1].split("x"))
mode = sys.argv[2]
src = np.fromfile("source.gray", np.uint8).reshape(-1, h, w).astype(np.float64)
out = np.fromfile("out.gray", np.uint8).reshape(-1, h, w).astype(np.float64)
if len(out) != len(src):
    print(f"{len(out)} outputs for {len(src)} source pictures")
    sys.exit()
d = lambda a, b: np.abs(a - b).mean()
checked, ratio = 0, float("inf")
for k in range(0, len(src) - 2, 2):  # drawing k (first picture of its pair), next at k + 2
    if d(out[k], src[k]) != 0:
        print(f"output {k} is not drawing {k} (distance {d(out[k], src[k]):.3f})")
    between = d(src[k], src[k + 2])
    if mode == "keep":
        if d(out[k + 1], src[k + 1]) != 0:
            print(f"keep: output {k + 1} is not the repeat {k + 1}")
    else:
        near = min(d(out[k + 1], src[k]), d(out[k + 1], src[k + 2]))
        ratio = min(ratio, near / between)
        if near <= 0.25 * between:
            print(f"smooth: output {k + 1} is {near:.3f} from a neighbour (they differ by {between:.3f})")
    checked += 1
print(f"checked {checked}" + (f" (nearest in-between/drawings distance ratio {ratio:.2f})" if mode != "keep" else ""))
PY
}

for mode in smooth keep; do
    if retime "out_$mode.mkv" -c:v ffv1 --dup "$mode"; then
        to_raw "out_$mode.mkv" out.gray gray
        result=$(check "$mode")
        case "$result" in
        "checked "*) pass "$mode, $DESC: drawings checked ${result#checked }" ;;
        *) fail "$mode, $DESC: $result" ;;
        esac
    fi
done

# A static clip never wobbles: one picture looped (lossless), any mode, any rate
gen "${STILL[@]}" still.png
gen -loop 1 -framerate 24 -i still.png -frames:v $STILL_FRAMES -pix_fmt yuv444p still.y4m
want=$(gen -i still.y4m -frames:v 1 -f framemd5 - | grep -v '^#' | awk '{print $6}')
for mode in keep smooth drop; do
    if "$WEFT" retime still.y4m -o "still_$mode.y4m" --fps 60 --dup "$mode" --device "$DEVICE" \
        --quality fast; then
        hashes=$(gen -i "still_$mode.y4m" -f framemd5 - | grep -v '^#' | awk '{print $6}' | sort -u)
        n=$(count_frames "still_$mode.y4m")
        [ "$hashes" = "$want" ] && [ "$n" -eq $((STILL_FRAMES * 5 / 2)) ] &&
            pass "static clip, dup $mode at 60 fps: $n outputs identical to the input" ||
            fail "static clip, dup $mode: $n outputs, hashes $hashes, want $want"
    else
        fail "static clip, dup $mode: weft failed"
    fi
done
finish
