#!/usr/bin/env bash
# Throughput and peak memory of 1080p 30 -> 60 fps retiming: weft on the C path and on
# Vulkan, side by side with FFmpeg's minterpolate (mi_mode=mci), on the same clip in the
# same run. Not a test (nothing passes or fails): a measurement anyone can rerun.
#
# Usage: tests/bench/retime_1080p.sh [--reps N] [--seconds S] [--build DIR] [--devices LIST]
#   --reps N       repetitions of each run (default 3); min and median are reported
#   --seconds S    length of the 1080p30 source clip (default 2)
#   --build DIR    build folder holding cli/weft (default: build)
#   --devices LIST weft devices to measure (default: "cpu vulkan")
#   --qualities LIST  weft flow presets to measure (default: "fast medium"; the quality of
#                  each preset on the test sets is in tests/quality/score.py's table)
#   --keep         keep the work folder (clip and outputs) and print where it is
#
# The source: ../shared/data/stab/nus_regular07_shaky.mp4 (real hand-held footage) scaled
# to 1920x1080 when ../shared is there; otherwise a synthetic scene from lavfi sources.
# minterpolate runs single-threaded, as FFmpeg's filter is, and writes to -f null; weft
# uses its defaults (all cores) and writes raw video (.y4m), so encoding costs neither much.
# Wall time covers the whole command (decoding included) for every tool alike.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
reps=3
seconds=2
build="$root/build"
devices="cpu vulkan"
qualities="fast medium"
keep=0
while [ $# -gt 0 ]; do
    case "$1" in
    --reps) reps=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --build) build=$(cd "$2" && pwd); shift 2 ;;
    --devices) devices=$2; shift 2 ;;
    --qualities) qualities=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h | --help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "retime_1080p: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done

weft="$build/cli/weft"
for tool in ffmpeg ffprobe python3 /usr/bin/time "$weft"; do
    if ! command -v "$tool" >/dev/null; then
        echo "retime_1080p: $tool not found (run scripts/setup, then build with meson/ninja)" >&2
        exit 1
    fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/weft-bench.XXXXXX")
if [ "$keep" = 1 ]; then
    trap 'echo "work folder kept: $work"' EXIT
else
    trap 'rm -rf "$work"' EXIT
fi

# ---- the source clip ----
clip="$work/input-1080p30.mp4"
shared_clip="$root/../shared/data/stab/nus_regular07_shaky.mp4"
if [ -f "$shared_clip" ]; then
    source_text="$(basename "$shared_clip") (real hand-held footage), scaled to 1080p"
    ffmpeg -nostdin -hide_banner -loglevel error -y -i "$shared_clip" -t "$seconds" \
        -vf "scale=1920:1080:flags=bicubic,fps=30,format=yuv420p" -an \
        -c:v libx264 -preset veryfast -crf 16 "$clip"
else
    # A zooming fractal (fine detail everywhere) with a test pattern panning across it.
    source_text="synthetic (lavfi mandelbrot zoom + panning testsrc2); ../shared not found"
    ffmpeg -nostdin -hide_banner -loglevel error -y \
        -f lavfi -i "mandelbrot=size=1920x1080:rate=30:start_scale=2:end_scale=0.5" \
        -f lavfi -i "testsrc2=size=640x360:rate=30" \
        -filter_complex "[0:v][1:v]overlay=x='100+400*t':y='200+150*sin(2*PI*t/2)',format=yuv420p" \
        -t "$seconds" -an -c:v libx264 -preset veryfast -crf 16 "$clip"
fi
in_frames=$(ffprobe -v error -count_frames -select_streams v:0 \
    -show_entries stream=nb_read_frames -of csv=p=0 "$clip")

echo "weft retime benchmark: 1080p 30 -> 60 fps"
echo "  source:  $source_text, $seconds s, $in_frames frames"
echo "  machine: $(nproc) CPU threads, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
if command -v vulkaninfo >/dev/null; then
    echo "  vulkan:  $(vulkaninfo --summary 2>/dev/null | grep -m3 deviceName | sed 's/.*= //' | paste -sd, -)"
fi
echo "  load:    $(cut -d" " -f1-3 /proc/loadavg) (load averages; other work on the machine slows the wall-time figures)"
echo "  reps:    $reps"
echo

# ---- one timed run: appends "frames wall_s cpu_s rss_kib" to $work/<name>.runs ----
# The command's own output goes to $work/<name>.log; a failed run is reported and skipped.
timed_run() {
    local name=$1 frames_from=$2
    shift 2
    local start end
    start=$(date +%s.%N)
    if ! /usr/bin/time -v -o "$work/time.txt" "$@" >"$work/$name.log" 2>&1; then
        echo "  $name: run failed (last lines of its output below)"
        tail -n 5 "$work/$name.log" | sed 's/^/    /'
        return 1
    fi
    end=$(date +%s.%N)
    local frames
    if [ "$frames_from" = progress ]; then
        frames=$(grep '^frame=' "$work/progress.txt" | tail -n 1 | cut -d= -f2)
    else
        frames=$(ffprobe -v error -count_frames -select_streams v:0 \
            -show_entries stream=nb_read_frames -of csv=p=0 "$frames_from")
    fi
    local user sys rss
    user=$(grep 'User time' "$work/time.txt" | awk '{print $NF}')
    sys=$(grep 'System time' "$work/time.txt" | awk '{print $NF}')
    rss=$(grep 'Maximum resident set size' "$work/time.txt" | awk '{print $NF}')
    awk -v f="$frames" -v s="$start" -v e="$end" -v u="$user" -v y="$sys" -v r="$rss" \
        'BEGIN { printf "%d %.3f %.2f %d\n", f, e - s, u + y, r }' >>"$work/$name.runs"
    echo "  $name: $(tail -n 1 "$work/$name.runs" | awk '{ printf "%d frames in %.2f s wall, %.2f s CPU, peak RSS %.0f MiB", $1, $2, $3, $4 / 1024 }')"
}

names=()
for rep in $(seq 1 "$reps"); do
    echo "repetition $rep/$reps"
    rm -f "$work/progress.txt"
    timed_run minterpolate progress \
        ffmpeg -nostdin -hide_banner -nostats -threads 1 -filter_threads 1 -i "$clip" \
        -vf "minterpolate=fps=60:mi_mode=mci" -progress "$work/progress.txt" -f null - || true
    for device in $devices; do
        for quality in $qualities; do
            out="$work/weft-$device-$quality.y4m"
            rm -f "$out"
            timed_run "weft-$device-$quality" "$out" \
                "$weft" retime "$clip" -o "$out" --fps 60 --device "$device" \
                --quality "$quality" || true
            rm -f "$out"
        done
    done
done
echo

# ---- summary ----
# frames per second of wall time (min and median over the reps), frames per CPU-second
# (median), peak RSS (the largest over the reps)
summarise() {
    local name=$1
    [ -s "$work/$name.runs" ] || return 1
    python3 - "$name" "$work/$name.runs" "$work/$name.median" <<'PY'
import statistics, sys
name, runs_path, median_path = sys.argv[1:4]
runs = [line.split() for line in open(runs_path) if line.strip()]
frames = [int(r[0]) for r in runs]
fps = [int(r[0]) / float(r[1]) for r in runs]
per_cpu = [int(r[0]) / max(float(r[2]), 1e-9) for r in runs]
rss_mib = max(int(r[3]) for r in runs) / 1024
print("%-24s %7d %10.2f %10.2f %12.2f %10.0f" % (name, frames[-1], min(fps),
      statistics.median(fps), statistics.median(per_cpu), rss_mib))
open(median_path, "w").write("%.6f %.6f\n" % (statistics.median(fps), statistics.median(per_cpu)))
PY
}

printf "%-24s %7s %10s %10s %12s %10s\n" "" "frames" "min fps" "median fps" "fps per CPU" "peak MiB"
for name in minterpolate $(for d in $devices; do for q in $qualities; do echo "weft-$d-$q"; done; done); do
    summarise "$name" || printf "%-24s %s\n" "$name" "no successful run"
done
echo
if [ -s "$work/minterpolate.median" ]; then
    read -r base_fps base_cpu <"$work/minterpolate.median"
    for d in $devices; do
        for q in $qualities; do
            if [ -s "$work/weft-$d-$q.median" ]; then
                read -r fps cpu <"$work/weft-$d-$q.median"
                awk -v w="$fps" -v m="$base_fps" -v wc="$cpu" -v mc="$base_cpu" -v d="$d" \
                    -v q="$q" 'BEGIN { printf "weft --device %s --quality %s / minterpolate: " \
                    "%.2fx output fps (wall), %.2fx per CPU-second\n", d, q, w / m, wc / mc }'
            fi
        done
    done
fi
echo "(fps = output frames per second of wall time; 'fps per CPU' = per CPU-second, all threads)"
