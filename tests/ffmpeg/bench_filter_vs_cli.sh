#!/usr/bin/env bash
# Throughput of `ffmpeg -vf weft=fps=60` against `weft retime --fps 60` for the same work:
# the same 1080p clip decoded, the same library settings, raw video written (y4m) by both,
# so the difference is what the filter adds around the library (it should add nothing:
# no copies or conversions beyond the CLI's). Not a test; a measurement to rerun.
#
# Usage: tests/ffmpeg/bench_filter_vs_cli.sh [--build DIR] [--seconds S] [--reps N]
#                                            [--device D]
#   defaults: --build build, --seconds 1 (of 1080p30), --reps 3, --device cpu
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build="$root/build"
seconds=1
reps=3
device=cpu
while [ $# -gt 0 ]; do
    case "$1" in
    --build) build=$(cd "$2" && pwd); shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --device) device=$2; shift 2 ;;
    -h | --help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench_filter_vs_cli: unknown argument '$1'" >&2; exit 2 ;;
    esac
done

"$root/ffmpeg/build.sh" "$build" >/dev/null
ffmpeg="$build/ffmpeg/ffmpeg"
weft="$build/cli/weft"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# a 1080p30 clip with motion everywhere (H.264, as a camera or a download would give)
"$ffmpeg" -nostdin -v error -f lavfi -i "testsrc2=r=30:s=1920x1080:d=$seconds" \
    -c:v libx264 -preset veryfast -crf 16 -pix_fmt yuv420p "$work/clip.mp4"
frames_out=$((seconds * 60))

# time_ms COMMAND...: wall milliseconds of one run
time_ms() {
    local start end
    start=$(date +%s%N)
    "$@" >"$work/log" 2>&1 || { cat "$work/log" >&2; exit 1; }
    end=$(date +%s%N)
    echo $(((end - start) / 1000000))
}

# summary NAME MS...: min and median
summary() {
    local name=$1
    shift
    printf '%s\n' "$@" | sort -n | awk -v name="$name" -v n="$frames_out" '
        { t[NR] = $1 / 1000 }
        END { med = t[int((NR + 1) / 2)];
              printf "%-8s min %7.2f s  median %7.2f s  (%.2f output frames/s at the median)\n",
                     name, t[1], med, n / med }'
}

echo "1080p30 -> 60 fps, $seconds s ($frames_out output frames), device $device, $reps runs each (alternating), $(nproc) CPU threads"
cli_ms=()
filter_ms=()
# alternating runs, so a machine whose load changes treats both alike
for _ in $(seq "$reps"); do
    cli_ms+=("$(time_ms "$weft" retime "$work/clip.mp4" -o "$work/cli.y4m" --fps 60 --device "$device")")
    filter_ms+=("$(time_ms "$ffmpeg" -nostdin -v error -y -i "$work/clip.mp4" \
        -vf "weft=fps=60:device=$device" -f yuv4mpegpipe "$work/filter.y4m")")
done
summary cli "${cli_ms[@]}"
summary filter "${filter_ms[@]}"
cli_med=$(printf '%s\n' "${cli_ms[@]}" | sort -n | awk '{ t[NR] = $1 } END { print t[int((NR + 1) / 2)] }')
filter_med=$(printf '%s\n' "${filter_ms[@]}" | sort -n | awk '{ t[NR] = $1 } END { print t[int((NR + 1) / 2)] }')
awk -v c="$cli_med" -v f="$filter_med" 'BEGIN { printf "filter/cli wall time (medians): %.3f\n", f / c }'
if cmp -s "$work/cli.y4m" "$work/filter.y4m"; then
    echo "outputs: byte-identical y4m files"
else
    echo "outputs: the y4m files differ (headers or pictures)"
fi
