# Shared helpers of the end-to-end tests: sourced, not run. Each test makes its own inputs
# with ffmpeg's lavfi sources in a temporary folder, runs the built `weft`, and checks the
# results with ffprobe and small python3/numpy measurements.
#
# Exit codes: 0 pass, 1 fail, 77 skip (with the reason on stdout).

set -u

WEFT_BUILD=${WEFT_BUILD:-$(pwd)}
WEFT=${WEFT:-$WEFT_BUILD/cli/weft}
FAILURES=0

skip() {
    echo "SKIP: $*"
    exit 77
}

fail() {
    echo "FAIL: $*"
    FAILURES=$((FAILURES + 1))
}

pass() {
    echo "ok: $*"
}

finish() {
    if [ "$FAILURES" -ne 0 ]; then
        echo "$FAILURES check(s) failed"
        exit 1
    fi
    echo "all checks passed"
    exit 0
}

need_tools() {
    [ -x "$WEFT" ] || skip "weft not built at $WEFT"
    for tool in ffmpeg ffprobe; do
        command -v "$tool" >/dev/null || skip "$tool not installed"
    done
}

# The Debian python3 (with python3-numpy) even when another python3 is first on PATH.
need_numpy() {
    for PYTHON in /usr/bin/python3 python3; do
        "$PYTHON" -c 'import numpy' 2>/dev/null && return 0
    done
    skip "python3 with numpy not found (Debian package python3-numpy)"
}

make_workdir() {
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/weft-e2e.XXXXXX")
    trap 'rm -rf "$WORK"' EXIT
    cd "$WORK" || exit 1
}

# ffmpeg quietly; fails the test (not skips) when an input cannot be made
gen() {
    ffmpeg -nostdin -hide_banner -loglevel error -y "$@" || { echo "FAIL: ffmpeg $*"; exit 1; }
}

# Skips the test when the requested device does not exist (only for vulkan).
# Usage: check_device DEVICE IMAGE_A IMAGE_B
check_device() {
    local device=$1
    [ "$device" = cpu ] && return 0
    local err
    err=$("$WEFT" interpolate "$2" "$3" -o "$WORK/.probe.png" --method blend \
        --device "$device" 2>&1 >/dev/null)
    rm -f "$WORK/.probe.png"
    case "$err" in
    *"no such device"*) skip "no Vulkan device ($err)" ;;
    esac
    return 0
}

# Skips when the library reports a part as not implemented yet (ENOSYS), so the test tree
# can land before the algorithm does.
skip_if_not_implemented() {
    case "$1" in
    *"not implemented"*) skip "the library says: $1" ;;
    esac
}

# Number of decoded video frames (ffprobe -count_frames).
count_frames() {
    ffprobe -v error -select_streams v:0 -count_frames -show_entries stream=nb_read_frames \
        -of default=nw=1:nk=1 "$1"
}

probe_stream() { # FILE STREAM_SELECTOR FIELD
    ffprobe -v error -select_streams "$2" -show_entries "stream=$3" -of default=nw=1:nk=1 "$1" |
        head -n 1
}

probe_format() { # FILE FIELD
    ffprobe -v error -show_entries "format=$2" -of default=nw=1:nk=1 "$1"
}

# Writes a picture as raw 8-bit grey or RGB to stdout-file, for numpy.
to_raw() { # IN OUT PIX_FMT
    gen -i "$1" -f rawvideo -pix_fmt "$3" "$2"
}

# Files in the folder other than the listed ones (to spot leftovers: outputs or temps).
leftovers() {
    local dir=$1
    shift
    local f name keep
    for f in "$dir"/* "$dir"/.[!.]*; do
        [ -e "$f" ] || continue
        name=${f##*/}
        keep=0
        for k in "$@"; do
            [ "$name" = "$k" ] && keep=1
        done
        [ $keep -eq 0 ] && echo "$name"
    done
}
