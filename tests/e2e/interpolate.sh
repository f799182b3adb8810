#!/usr/bin/env bash
# interpolate: a textured square on a flat background moves 8 px to the right between A and
# B; the in-between at t must show it moved 8*t px (compared with a picture rendered there,
# and by the square's width: a cross-fade would show a smeared 48-px-wide double square).
# Usage: interpolate.sh cpu|vulkan
. "$(dirname "$0")/common.sh"
DEVICE=${1:-cpu}
need_tools
need_numpy
make_workdir

# square_at X OUT: the 40x40 square (cut from testsrc2) at (X, 28) on a 128x96 grey field
square_at() {
    local graph="color=c=0x404040:s=128x96:d=1[bg];testsrc2=s=320x240:d=1,crop=40:40:100:60[fg]"
    gen -filter_complex "$graph;[bg][fg]overlay=x=$1:y=28" -frames:v 1 -pix_fmt rgb24 "$2"
}
square_at 30 a.png
square_at 38 b.png
square_at 34 mid.png
square_at 32 quarter.png
check_device "$DEVICE" a.png b.png

run() { # T OUT [more options]
    local t=$1 out=$2
    shift 2
    "$WEFT" interpolate a.png b.png -t "$t" -o "$out" --device "$DEVICE" "$@" 2>err.txt
    local status=$?
    if [ $status -ne 0 ]; then
        skip_if_not_implemented "$(cat err.txt)"
        fail "interpolate -t $t $*: status $status: $(cat err.txt)"
        return 1
    fi
    [ -s err.txt ] && fail "interpolate -t $t: wrote to stderr on success: $(cat err.txt)"
    return 0
}

# compare T OUT REFERENCE: the measurements, in python
compare() {
    to_raw a.png a.rgb rgb24
    to_raw b.png b.rgb rgb24
    to_raw "$3" ref.rgb rgb24
    to_raw "$2" out.rgb rgb24
    "$PYTHON" - "$1" <<'PY'
import sys
import numpy as np
t = float(sys.argv[1])
load = lambda n: np.fromfile(n, np.uint8).reshape(96, 128, 3).astype(np.float64)
a, b, ref, out = (load(n) for n in ("a.rgb", "b.rgb", "ref.rgb", "out.rgb"))
mae = lambda x: float(np.abs(x - ref).mean())
err_out, err_blend = mae(out), mae((1 - t) * a + t * b)
err_nearest = min(mae(a), mae(b))
# columns where the square is: more than a few rows differ from the grey background
columns = int(((np.abs(out - 0x40).max(axis=2) > 24).sum(axis=0) > 8).sum())
print(f"t={t}: MAE vs reference {err_out:.2f} (cross-fade {err_blend:.2f}, nearest input "
      f"{err_nearest:.2f}); square spans {columns} columns (want 40)")
ok = err_out < 0.5 * err_blend and err_out < 0.5 * err_nearest and abs(columns - 40) <= 3
sys.exit(0 if ok else 1)
PY
}

if run 0.5 mid_out.png; then
    [ "$(probe_stream mid_out.png v:0 width)x$(probe_stream mid_out.png v:0 height)" = 128x96 ] &&
        pass "output is 128x96" || fail "output size is not 128x96"
    [ "$(probe_stream mid_out.png v:0 pix_fmt)" = rgb24 ] && pass "RGB24 PNG stays rgb24" ||
        fail "output pixel format $(probe_stream mid_out.png v:0 pix_fmt), want rgb24"
    compare 0.5 mid_out.png mid.png && pass "t=0.5: square moved 4 px" ||
        fail "t=0.5: the square is not where it should be"
fi
if run 0.25 quarter_out.png --quality high; then
    compare 0.25 quarter_out.png quarter.png && pass "t=0.25 (quality high): square moved 2 px" ||
        fail "t=0.25: the square is not where it should be"
fi

# --method blend is a cross-fade: (A + B) / 2 within rounding
if run 0.5 blend_out.png --method blend; then
    to_raw a.png a.rgb rgb24
    to_raw b.png b.rgb rgb24
    to_raw blend_out.png blend.rgb rgb24
    if "$PYTHON" - <<'PY'
import sys
import numpy as np
load = lambda n: np.fromfile(n, np.uint8).astype(np.float64)
diff = np.abs(load("blend.rgb") - (load("a.rgb") + load("b.rgb")) / 2).max()
print(f"blend: max difference from (A+B)/2 = {diff}")
sys.exit(0 if diff <= 1.0 else 1)
PY
    then
        pass "--method blend is the cross-fade"
    else
        fail "--method blend is not (A+B)/2"
    fi
fi

# The C path is deterministic: the same picture for any thread count
if [ "$DEVICE" = cpu ] && run 0.5 one_thread.png --threads 1 && run 0.5 two_threads.png --threads 2
then
    cmp -s one_thread.png two_threads.png && pass "--threads 1 and 2 give the same picture" ||
        fail "--threads 1 and --threads 2 give different pictures"
fi

# A grey PNG stays grey; a 16-bit grey PNG stays 16-bit.
gen -i a.png -pix_fmt gray ga.png
gen -i b.png -pix_fmt gray gb.png
gen -i a.png -pix_fmt gray16be g16a.png
gen -i b.png -pix_fmt gray16be g16b.png
if "$WEFT" interpolate ga.png gb.png -o g_out.png --device "$DEVICE" 2>err.txt; then
    [ "$(probe_stream g_out.png v:0 pix_fmt)" = gray ] && pass "grey PNG stays grey" ||
        fail "grey PNG became $(probe_stream g_out.png v:0 pix_fmt)"
else
    fail "grey PNG: $(cat err.txt)"
fi
if "$WEFT" interpolate g16a.png g16b.png -o g16_out.png --device "$DEVICE" 2>err.txt; then
    case "$(probe_stream g16_out.png v:0 pix_fmt)" in
    gray16*) pass "16-bit grey PNG stays 16-bit" ;;
    *) fail "16-bit grey PNG became $(probe_stream g16_out.png v:0 pix_fmt)" ;;
    esac
else
    fail "16-bit grey PNG: $(cat err.txt)"
fi

finish
