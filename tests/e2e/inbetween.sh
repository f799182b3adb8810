#!/usr/bin/env bash
# inbetween: key drawings of a 3-px black ring on a transparent background (the transparent
# pixels store black, as exported line art often does), the ring 24 px further right in
# KEY2. For each spacing mode, `weft inbetween -n 3` must give 3 pictures with
#  - the ring where the timing chart puts it: its measured position gives t back (formulas
#    of the chart written out here, not taken from the tool),
#  - alpha kept: an RGBA picture, transparent away from the ring,
#  - lines crisp: no pixel of the ring drawn at t lighter than half its ink where our line
#    is matched (and most of it matched), and no ghost of a key's ring where the ring is not.
# Then a greyscale pair (grey out), and bad spacings: one-line errors, nothing written.
# Usage: inbetween.sh cpu|vulkan
. "$(dirname "$0")/common.sh"
DEVICE=${1:-cpu}
need_tools
need_numpy
make_workdir

W=160
H=96
X0=56
SHIFT=24

# ring_at X FORMAT OUT: the ring centred at (X, 48), radius 18, as rgba (ink in alpha) or
# gray (black on white)
ring_at() {
    "$PYTHON" - "$1" "$2" "$W" "$H" <<'PY' || exit 1
import sys
import numpy as np
x, fmt, w, h = float(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
r = np.hypot(xx - x, yy - 48.0)
# antialiased 3-px stroke: coverage of |r - 18| <= 1.5
ink = np.clip(2.0 - np.abs(r - 18.0), 0.0, 1.0)
if fmt == "rgba":
    px = np.zeros((h, w, 4), np.uint8)
    px[..., 3] = np.round(255 * ink)
else:
    px = np.round(255 * (1 - ink)).astype(np.uint8)
px.tofile("ring.raw")
PY
    gen -f rawvideo -pix_fmt "$2" -s "${W}x${H}" -i ring.raw -frames:v 1 "$3"
}
ring_at $X0 rgba key1.png
ring_at $((X0 + SHIFT)) rgba key2.png
check_device "$DEVICE" key1.png key2.png

# check SPEC TIMES...: runs inbetween with SPEC and measures its outputs against TIMES
check() {
    local spec=$1
    shift
    rm -f out_*.png
    if ! "$WEFT" inbetween key1.png key2.png -n $# -o out_%02d.png --spacing "$spec" \
        --device "$DEVICE" 2>err.txt; then
        fail "inbetween --spacing $spec: $(cat err.txt)"
        return
    fi
    [ -s err.txt ] && fail "inbetween --spacing $spec wrote to stderr: $(cat err.txt)"
    local k=1
    for t in "$@"; do
        local name
        name=$(printf 'out_%02d.png' $k)
        if [ ! -s "$name" ]; then
            fail "--spacing $spec: $name missing"
            return
        fi
        local fmt
        fmt=$(probe_stream "$name" v:0 pix_fmt)
        [ "$fmt" = rgba ] || fail "--spacing $spec: $name is $fmt, alpha lost"
        to_raw "$name" out.rgba rgba
        "$PYTHON" - "$spec" "$k" "$t" "$W" "$H" "$X0" "$SHIFT" <<'PY' || fail "--spacing $spec: in-between $k"
import sys
import numpy as np
spec, k, t = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
w, h, x0, shift = (int(v) for v in sys.argv[4:8])
px = np.fromfile("out.rgba", np.uint8).reshape(h, w, 4).astype(np.float64)
# ink of the picture flattened onto white paper (0 paper .. 1 black)
ink = px[..., 3] / 255 * (1 - px[..., :3].min(axis=2) / 255)
yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
want_x = x0 + shift * t
truth = np.clip(2.0 - np.abs(np.hypot(xx - want_x, yy - 48.0) - 18.0), 0.0, 1.0)
# position: the ring's centre is the ink-weighted mean x of a closed ring
got_x = (ink * xx).sum() / max(ink.sum(), 1e-9)
got_t = (got_x - x0) / shift
line = truth >= 0.5
ours = ink >= 0.5
# matched: one of our line pixels within one pixel (3x3 neighbourhood)
near = np.zeros_like(ours)
near_ink = np.zeros_like(ink)
for dy in (-1, 0, 1):
    for dx in (-1, 0, 1):
        near |= np.roll(np.roll(ours, dy, 0), dx, 1)
        near_ink = np.maximum(near_ink, np.roll(np.roll(ink, dy, 0), dx, 1))
matched = line & near
light = matched & (near_ink < 0.5 * truth)
# ghosts: ink where neither the ring at t nor its 2-px surroundings are
far = np.hypot(xx - want_x, yy - 48.0)
ghost = float(ink[np.abs(far - 18.0) > 4.0].max())
transparent = float(px[..., 3][np.abs(far - 18.0) > 4.0].mean())
print(f"{spec} #{k}: t {got_t:.3f} (chart {t:.3f}), matched {matched.sum()}/{line.sum()}, "
      f"lighter than half {light.sum()}, strongest ghost {ghost:.2f}, "
      f"mean alpha away from the ring {transparent:.1f}")
ok = abs(got_t - t) <= 0.04 and matched.sum() >= 0.9 * line.sum() and light.sum() == 0 \
    and ghost < 0.25 and transparent < 3.0
sys.exit(0 if ok else 1)
PY
        k=$((k + 1))
    done
    pass "--spacing $spec: $# in-betweens at the chart's times, alpha kept, lines crisp"
}

check even 0.25 0.5 0.75
check ease-out 0.0625 0.25 0.5625         # u^2
check ease-in 0.4375 0.75 0.9375          # 1 - (1 - u)^2
check ease 0.15625 0.5 0.84375            # u^2 (3 - 2u)
check favor:0.3 0.09 0.3 0.6067              # u^(log 0.3 / log 0.5)
check t:0.2,0.5,0.7 0.2 0.5 0.7

# greyscale keys give greyscale in-betweens
ring_at $X0 gray grey1.png
ring_at $((X0 + SHIFT)) gray grey2.png
rm -f out_*.png
if "$WEFT" inbetween grey1.png grey2.png -n 1 -o out_%02d.png --device "$DEVICE" 2>err.txt; then
    fmt=$(probe_stream out_01.png v:0 pix_fmt)
    case "$fmt" in
    gray*) pass "greyscale keys: $fmt in-between" ;;
    *) fail "greyscale keys gave $fmt" ;;
    esac
else
    fail "inbetween on greyscale keys: $(cat err.txt)"
fi

# bad spacings and patterns: one line, non-zero status, nothing written
rm -f out_*.png
for args in "--spacing bogus -n 2" "--spacing favor:1.5 -n 2" "--spacing t:0.5,0.2" \
    "--spacing t:0.2,0.5 -n 3" "--spacing even" "--spacing t:0,0.5" "-n 0"; do
    # shellcheck disable=SC2086
    if "$WEFT" inbetween key1.png key2.png -o out_%02d.png $args --device "$DEVICE" 2>err.txt; then
        fail "inbetween $args succeeded"
    elif [ "$(wc -l <err.txt)" -ne 1 ]; then
        fail "inbetween $args: not one line: $(cat err.txt)"
    fi
done
"$WEFT" inbetween key1.png key2.png -n 2 -o out.png --device "$DEVICE" 2>err.txt &&
    fail "an output name without a frame number was accepted"
left=$(leftovers . key1.png key2.png grey1.png grey2.png ring.raw out.rgba err.txt)
[ -z "$left" ] || fail "left behind: $left"
[ $FAILURES -eq 0 ] && pass "bad spacings: one-line errors, nothing written"
finish
