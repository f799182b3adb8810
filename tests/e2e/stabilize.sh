#!/usr/bin/env bash
# weft stabilize and retime --stabilize on a shaken still: a textured picture cropped at a
# random offset in every frame (a camera shaking over a static scene, +-6 px).
# Checks: the output is steadier than the input (consecutive frames differ much less in the
# middle of the picture); every path and border policy runs and keeps the frame count and
# size; 10-bit input stays 10-bit; retime --stabilize --speed 0.5 works in one command;
# --camera smooth turns a pan on twos into a steady pan at the same pace; bad
# option values and a pipe input are one-line errors with no output file left behind.
# Usage: stabilize.sh [cpu|vulkan]
. "$(dirname "$0")/common.sh"
DEVICE=${1:-cpu}
need_tools
need_numpy
make_workdir

gen -f lavfi -i "mandelbrot=size=208x160:start_scale=0.4:end_scale=0.4:outer=normalized_iteration_count" \
    -frames:v 1 still.png
check_device "$DEVICE" still.png still.png
# a crop window that jumps by a random offset each frame (random() of the crop filter)
shake="crop=176:128:x='16+12*(random(1)-0.5)':y='16+12*(random(2)-0.5)'"
gen -loop 1 -framerate 25 -i still.png -vf "$shake,format=yuv420p" -frames:v 24 \
    -c:v libx264 -preset ultrafast -qp 0 shaky.mp4

stab() { # OUT OPTIONS...
    local out=$1
    shift
    "$WEFT" stabilize shaky.mp4 -o "$out" --device "$DEVICE" "$@" 2>err.txt
}

# Mean absolute difference of consecutive frames in the middle half of the picture.
steadiness() { # FILE
    gen -i "$1" -f rawvideo -pix_fmt gray "$1.gray"
    "$PYTHON" - "$1.gray" <<'PY'
import sys, numpy as np
f = np.fromfile(sys.argv[1], np.uint8).reshape(-1, 128, 176).astype(np.float64)
mid = f[:, 32:96, 44:132]
print(f"{np.abs(np.diff(mid, axis=0)).mean():.3f}")
PY
}

# 1. default settings (path l1, border fill): steadier, same count and size
if stab steady.mp4; then
    n=$(count_frames steady.mp4)
    [ "$n" = 24 ] && pass "24 frames" || fail "$n frames, want 24"
    size=$(probe_stream steady.mp4 v:0 width)x$(probe_stream steady.mp4 v:0 height)
    [ "$size" = 176x128 ] && pass "size kept" || fail "size $size, want 176x128"
    before=$(steadiness shaky.mp4)
    after=$(steadiness steady.mp4)
    if "$PYTHON" -c "import sys; sys.exit(0 if $after < 0.35 * $before else 1)"; then
        pass "steadier: frame-to-frame difference $before -> $after"
    else
        fail "not steadier: frame-to-frame difference $before -> $after"
    fi
else
    fail "stabilize: $(cat err.txt)"
fi

# Sections 2-4 run on the C path only: they exercise the planner, the CLI and the
# formats, which are the same for both devices, and on lavapipe each stabilize run costs
# about a minute on 2 cores (the whole script would pass the test's 10-minute limit).
# The device part (analysis flow, warp_homography with border fill) is section 1.
if [ "$DEVICE" = cpu ]; then
    # 2. every path and border policy, and the motion models
    for options in "--path gauss --smooth 8" "--path tripod --border crop" "--border adaptive" \
        "--border crop --max-shift 4 --max-angle 1" "--motion-model homography --path gauss" \
        "--max-shear 0" "--max-shear 3 --path gauss"; do
        # shellcheck disable=SC2086
        if stab opt.mp4 $options; then
            n=$(count_frames opt.mp4)
            [ "$n" = 24 ] && pass "$options: 24 frames" || fail "$options: $n frames"
        else
            fail "$options: $(cat err.txt)"
        fi
    done

    # 3. 10-bit in, 10-bit out
    gen -i shaky.mp4 -c:v ffv1 -pix_fmt yuv420p10le shaky10.mkv
    if "$WEFT" stabilize shaky10.mkv -o steady10.mkv -c:v ffv1 --device "$DEVICE" 2>err.txt; then
        fmt=$(probe_stream steady10.mkv v:0 pix_fmt)
        [ "$fmt" = yuv420p10le ] && pass "10-bit kept ($fmt)" || fail "pix_fmt $fmt, want yuv420p10le"
    else
        fail "stabilize 10-bit: $(cat err.txt)"
    fi

    # 4. stabilised and retimed in one command: twice the frames at the same rate
    if "$WEFT" retime shaky.mp4 --stabilize --speed 0.5 -o slow.mp4 --device "$DEVICE" 2>err.txt; then
        n=$(count_frames slow.mp4)
        [ "$n" = 48 ] && pass "retime --stabilize --speed 0.5: 48 frames" ||
            fail "retime --stabilize --speed 0.5: $n frames, want 48"
    else
        fail "retime --stabilize --speed 0.5: $(cat err.txt)"
    fi

    # 5. --camera smooth: a pan drawn on twos (a window over a large picture, moved 6 px
    # every second frame) becomes a steady 3 px a frame; pace measured by phase correlation
    gen -f lavfi -i "mandelbrot=size=480x128:start_scale=0.5:end_scale=0.5:outer=normalized_iteration_count" \
        -frames:v 1 wide.png
    gen -loop 1 -framerate 24 -i wide.png -vf "crop=176:128:x='24+6*floor(n/2)':y=0,format=yuv420p" \
        -frames:v 32 -c:v libx264 -preset ultrafast -qp 0 stepped.mp4
    if "$WEFT" stabilize stepped.mp4 -o pan.mp4 --camera smooth --device "$DEVICE" 2>err.txt; then
        gen -i stepped.mp4 -f rawvideo -pix_fmt gray stepped.gray
        gen -i pan.mp4 -f rawvideo -pix_fmt gray pan.gray
        if verdict=$("$PYTHON" - stepped.gray pan.gray <<'PY'
import sys, numpy as np
def shifts(path):
    f = np.fromfile(path, np.uint8).reshape(-1, 128, 176).astype(np.float64)[:, 32:96, 44:132]
    win = np.outer(np.hanning(64), np.hanning(88))
    out = []
    for a, b in zip(f, f[1:]):
        r = np.fft.fft2((a - a.mean()) * win) * np.conj(np.fft.fft2((b - b.mean()) * win))
        c = np.fft.ifft2(r / (np.abs(r) + 1e-9)).real
        y, x = np.unravel_index(np.argmax(c), c.shape)
        l, m, n = c[y, x - 1], c[y, x], c[y, (x + 1) % c.shape[1]]
        dx = x + 0.5 * (l - n) / (l - 2 * m + n)  # parabola through the peak
        out.append(dx if dx < c.shape[1] / 2 else dx - c.shape[1])
    return np.abs(np.array(out))
before, after = shifts(sys.argv[1]), shifts(sys.argv[2])[2:-2]  # the ends follow the trend
ok = before.std() > 2.5 and abs(after.mean() - 3) < 0.3 and after.std() < 0.3
print(f"{'ok' if ok else 'bad'}: steps {before.min():.1f}..{before.max():.1f} px -> "
      f"{after.mean():.2f} px a frame (std {after.std():.2f})")
sys.exit(0 if ok else 1)
PY
        ); then
            pass "--camera smooth: $verdict"
        else
            fail "--camera smooth: $verdict"
        fi
    else
        fail "--camera smooth: $(cat err.txt)"
    fi
fi

# 6. bad values: one line, non-zero exit, no output left
for options in "--path wobbly" "--border none" "--smooth 0" "--smooth x" "--max-angle -1" \
    "--max-shift abc" "--motion-model perspective" "--max-shear 11" "--camera jumpy"; do
    rm -f bad.mp4
    # shellcheck disable=SC2086
    if "$WEFT" stabilize shaky.mp4 -o bad.mp4 $options 2>err.txt; then
        fail "$options accepted"
    else
        lines=$(wc -l < err.txt)
        [ "$lines" = 1 ] && pass "$options: $(cat err.txt)" || fail "$options: $lines lines: $(cat err.txt)"
        [ -e bad.mp4 ] && fail "$options left bad.mp4"
    fi
done
if "$WEFT" stabilize - -o bad.mp4 < shaky.mp4 2>err.txt; then
    fail "a pipe input was accepted"
else
    grep -q "standard input" err.txt && pass "pipe input: $(cat err.txt)" ||
        fail "pipe input: $(cat err.txt)"
fi
left=$(leftovers . still.png shaky.mp4 shaky.mp4.gray shaky10.mkv steady.mp4 steady.mp4.gray \
    opt.mp4 steady10.mkv slow.mp4 err.txt wide.png stepped.mp4 stepped.gray pan.mp4 pan.gray)
[ -z "$left" ] && pass "no leftovers" || fail "leftovers: $left"
finish
