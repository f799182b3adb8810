# Shared by the ffmpeg tests: builds (or reuses) BUILD/ffmpeg/{ffmpeg,ffprobe} with the weft
# filter, and gives a temporary folder and small helpers.
set -euo pipefail
build=${WEFT_BUILD:?run through meson test}
source_root=${WEFT_SOURCE:?run through meson test}
status=0
"$source_root/ffmpeg/build.sh" "$build" || status=$?
if [ "$status" -eq 77 ]; then
    echo "skipped: the FFmpeg source cannot be obtained (ffmpeg/build.sh exited 77)"
    exit 77
elif [ "$status" -ne 0 ]; then
    echo "FAIL: ffmpeg/build.sh failed ($status)"
    exit 1
fi
ffmpeg="$build/ffmpeg/ffmpeg"
ffprobe="$build/ffmpeg/ffprobe"
weft="$build/cli/weft"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
    echo "FAIL: $*"
    exit 1
}

# ff ARGS...: our ffmpeg, quiet, no stdin; stderr goes to $tmp/stderr
ff() {
    "$ffmpeg" -nostdin -hide_banner -loglevel warning -y "$@" 2>"$tmp/stderr" </dev/null ||
        { cat "$tmp/stderr"; return 1; }
}

# framecrc_rows FILE: the frame rows of a framecrc/framemd5 file (no comments)
framecrc_rows() {
    grep -v '^#' "$1"
}

# check_timing FILE FRAMES TB: a framecrc of stream 0 has FRAMES rows, time base TB, and
# pts 0, 1, 2, ... (one per output frame, no gap, no repeat).
check_timing() {
    local file=$1 frames=$2 tb=$3
    grep -q "^#tb 0: $tb\$" "$file" || fail "$file: time base is not $tb: $(grep '^#tb' "$file")"
    local count
    count=$(framecrc_rows "$file" | wc -l)
    [ "$count" -eq "$frames" ] || fail "$file: $count frames, expected $frames"
    framecrc_rows "$file" | awk -F', *' -v f="$file" '
        $3 != NR - 1 { print "FAIL: " f ": frame " NR " has pts " $3 ", expected " NR - 1; bad = 1; exit }
        END { exit bad }' || exit 1
}
