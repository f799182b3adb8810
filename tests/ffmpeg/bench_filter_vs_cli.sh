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

# measure COMMAND...: "wall-seconds cpu-seconds" of one run (CPU: user + system, of the
# process and its threads; on a shared machine the fairer of the two)
measure() {
    /usr/bin/time -f "%e %U %S" -o "$work/time" "$@" >"$work/log" 2>&1 ||
        { cat "$work/log" >&2; exit 1; }
    awk '{ printf "%.2f %.2f\n", $1, $2 + $3 }' "$work/time"
}

# summary NAME "WALL CPU"...: min and median of each
summary() {
    local name=$1
    shift
    printf '%s\n' "$@" | awk -v name="$name" -v n="$frames_out" '
        { wall[NR] = $1; cpu[NR] = $2 }
        function median(a, k,   i, j, t) {
            for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++)
                if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
            return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
        }
        END { w = median(wall, NR); c = median(cpu, NR);
              printf "%-7s wall median %7.2f s (min %7.2f)  CPU median %7.2f s (min %7.2f)  %.3f frames/s, %.3f frames/CPU-s\n",
                     name, w, wall[1], c, cpu[1], n / w, n / c;
              print w, c > "/dev/stderr" }'
}

echo "1080p30 -> 60 fps, $seconds s ($frames_out output frames), device $device, $reps runs each (alternating), $(nproc) CPU threads"
cli_runs=()
filter_runs=()
# alternating runs, so a machine whose load changes treats both alike
for i in $(seq "$reps"); do
    cli_runs+=("$(measure "$weft" retime "$work/clip.mp4" -o "$work/cli.y4m" --fps 60 --device "$device")")
    filter_runs+=("$(measure "$ffmpeg" -nostdin -v error -y -i "$work/clip.mp4" \
        -vf "weft=fps=60:device=$device" -f yuv4mpegpipe "$work/filter.y4m")")
    echo "run $i: cli ${cli_runs[-1]}, filter ${filter_runs[-1]} (wall s, CPU s)"
done
summary cli "${cli_runs[@]}" 2>"$work/cli.med"
summary filter "${filter_runs[@]}" 2>"$work/filter.med"
paste "$work/cli.med" "$work/filter.med" | awk '{ printf "filter/cli (medians): wall %.3f, CPU %.3f\n", $3 / $1, $4 / $2 }'
if cmp -s "$work/cli.y4m" "$work/filter.y4m"; then
    echo "outputs: byte-identical y4m files"
else
    echo "outputs: the y4m files differ (headers or pictures)"
fi
