#!/usr/bin/env bash
# RIFE v4.6 in-between speed and memory, C path and Vulkan, at 960x540 and 1920x1080, beside
# the reference's figures from ../shared/models/rife-v4.6/NOTES.md (timing and memory do not
# depend on the weight values, so the synthetic-weight model stands in for the real one).
#   tests/bench/nn_rife.sh [--build DIR] [--runs N] [--devices "cpu vulkan"] [--sizes "960x540 1920x1080"]
set -euo pipefail
build=build
runs=3
devices="cpu vulkan"
sizes="960x540 1920x1080"
while [ $# -gt 0 ]; do
    case "$1" in
    --build) build=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --devices) devices=$2; shift 2 ;;
    --sizes) sizes=$2; shift 2 ;;
    -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
    *) echo "nn_rife.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
shared=${WEFT_SHARED:-$(dirname "$0")/../../../shared}
model_dir=$shared/models/rife-v4.6-synthetic
if [ ! -d "$model_dir" ]; then
    echo "SKIP: $model_dir absent"
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$build/models/weft-convert" "$model_dir" -o "$tmp/rife.weft" >/dev/null
echo "reference (NOTES.md, rife-ncnn-vulkan on this kind of machine, marginal per in-between):"
echo "  CPU -g -1: 960x540 0.45-0.48 s, 561 MiB RSS; 1920x1080 2.3-3.0 s, 1.61-1.64 GiB RSS"
echo "  lavapipe:  960x540 4.2-4.3 s, 522-542 MiB;  1920x1080 18.1-19.8 s, 873-881 MiB"
echo "weft (this run):"
for dev in $devices; do
    for size in $sizes; do
        w=${size%x*}
        h=${size#*x}
        "$build/tests/bench/nn_bench" "$tmp/rife.weft" "$w" "$h" "$dev" "$runs" || true
    done
done
