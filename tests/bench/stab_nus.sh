#!/usr/bin/env bash
# Stabilisation side by side on real hand-held footage: weft stabilize (each border policy)
# against FFmpeg's vid.stab (two-pass defaults: vidstabdetect, then vidstabtransform) and
# deshake (defaults), measured in the same run, plus the published full-frame result of
# DIFRINT on the same clip. Not a test (nothing passes or fails): a measurement anyone can
# rerun. Scores: tests/bench/stab_metrics.py (cropping, distortion, stability; higher is
# better); with --peer SCRIPT also that scoring script's, side by side.
#
# Usage: tests/bench/stab_nus.sh [--build DIR] [--keep] [--peer SCRIPT] [--only LIST]
#   --build DIR    build folder holding cli/weft (default: build)
#   --keep         keep the work folder (outputs) and print where it is
#   --peer SCRIPT  also score with another metrics script taking INPUT OUTPUT
#   --only LIST    rows to run, e.g. "fill vidstab" (default: all: input fill crop adaptive
#                  vidstab deshake difrint)
#   --weft ARGS    extra options for every weft run (e.g. "--path gauss")
#   --jobs N       rows made and scored N at a time (default 1); on a shared machine more
#                  jobs finish sooner, the per-row CPU seconds stay comparable. Run the
#                  script under nice (e.g. nice -n 5): every row inherits it
# Data: ../shared/data/stab/nus_regular07_shaky.mp4 and nus_regular07_difrint.mp4
# (skipped, exit 77, when absent). FFmpeg: /usr/bin/ffmpeg (it has vid.stab).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build="$root/build"
keep=0
peer=""
only="input fill crop adaptive vidstab deshake difrint"
weft_args=""
jobs=1
while [ $# -gt 0 ]; do
    case "$1" in
    --build) build=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    --peer) peer=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --weft) weft_args=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "stab_nus.sh: unknown option '$1'" >&2; exit 2 ;;
    esac
done
shared="${WEFT_SHARED:-$root/../shared}"
clip="$shared/data/stab/nus_regular07_shaky.mp4"
difrint="$shared/data/stab/nus_regular07_difrint.mp4"
if [ ! -f "$clip" ]; then
    echo "stab_nus.sh: $clip not found (../shared absent): skipped"
    exit 77
fi
ffmpeg=/usr/bin/ffmpeg
python=/usr/bin/python3
weft="$build/cli/weft"
[ -x "$weft" ] || { echo "stab_nus.sh: no $weft (build first)" >&2; exit 2; }
work=$(mktemp -d)
if [ "$keep" = 1 ]; then echo "work folder: $work"; else trap 'rm -rf "$work"' EXIT; fi

declare -A output
# Runs a command in the background (at most $jobs at once); its wall and CPU (user + sys)
# seconds go to $work/NAME.time, its output to $work/NAME.log.
run() { # name command...
    local name=$1; shift
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
    (
        /usr/bin/time -o "$work/$name.time" -f '%e %U %S' "$@" > "$work/$name.log" 2>&1 ||
            { echo "stab_nus.sh: $name failed:" >&2; tail -3 "$work/$name.log" >&2; exit 1; }
    ) &
}
for row in $only; do
    case "$row" in
    input) output[input]=$clip ;;
    difrint) output[difrint]=$difrint ;;
    fill|crop|adaptive)
        # shellcheck disable=SC2086
        run "$row" "$weft" stabilize "$clip" -o "$work/$row.mp4" --border "$row" $weft_args
        output[$row]=$work/$row.mp4 ;;
    vidstab)
        run vidstab bash -c "cd '$work' && $ffmpeg -nostdin -y -i '$clip' -vf format=yuv420p,vidstabdetect=result=transforms.trf -f null - && $ffmpeg -nostdin -y -i '$clip' -vf vidstabtransform=input=transforms.trf -c:v libx264 -crf 18 vidstab.mp4"
        output[vidstab]=$work/vidstab.mp4 ;;
    deshake)
        run deshake "$ffmpeg" -nostdin -y -i "$clip" -vf deshake -c:v libx264 -crf 18 "$work/deshake.mp4"
        output[deshake]=$work/deshake.mp4 ;;
    *) echo "stab_nus.sh: unknown row '$row'" >&2; exit 2 ;;
    esac
done
wait
for row in $only; do
    [ -s "${output[$row]}" ] || { echo "stab_nus.sh: row $row made no output" >&2; exit 1; }
done
for row in $only; do
    run "own-$row" "$python" "$root/tests/bench/stab_metrics.py" "$clip" "${output[$row]}"
    [ -n "$peer" ] && run "peer-$row" "$python" "$peer" "$clip" "${output[$row]}"
done
wait

printf '%-26s %8s %10s %9s' result cropping distortion stability
[ -n "$peer" ] && printf '   | peer: %8s %10s %9s' cropping distortion stability
printf '  %s\n' 'seconds (wall / CPU)'
for row in $only; do
    label=$row
    case "$row" in
    fill|crop|adaptive) label="weft --border $row" ;;
    vidstab) label="vid.stab two-pass" ;;
    deshake) label="FFmpeg deshake" ;;
    difrint) label="DIFRINT (published)" ;;
    input) label="input (unstabilised)" ;;
    esac
    read -r _ _ _ crop _ dist _ stab < "$work/own-$row.log"
    printf '%-26s %8s %10s %9s' "$label" "$crop" "$dist" "$stab"
    if [ -n "$peer" ]; then
        read -r _ _ _ pcrop _ pdist _ pstab < "$work/peer-$row.log"
        printf '   |       %8s %10s %9s' "$pcrop" "$pdist" "$pstab"
    fi
    if [ -f "$work/$row.time" ]; then
        read -r wall user sys < "$work/$row.time"
        printf '  %s / %s\n' "$wall" "$(echo "$user + $sys" | bc)"
    else
        printf '  -\n'
    fi
done
