#!/usr/bin/env bash
# The C path and the Vulkan path give the same picture: every Middlebury pair (t = 0.5, the
# default quality) is made with --device cpu, then with --device vulkan, and the second is
# scored against the first by ../shared/tools/vfi_score.py --ref (PSNR per pair, mean, minimum).
# The foundation issue asks for >= 50 dB on every pair; this prints the figures and exits 1
# below that. Exit 77 when ../shared or a Vulkan device is absent.
#   tests/quality/device_parity.sh [--build DIR] [--quality fast|medium|high] [--set NAME]
set -euo pipefail
build=build
quality=medium
set_name=middlebury
while [ $# -gt 0 ]; do
    case "$1" in
    --build) build=$2; shift 2 ;;
    --quality) quality=$2; shift 2 ;;
    --set) set_name=$2; shift 2 ;;
    -h | --help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "device_parity: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
here=$(cd "$(dirname "$0")" && pwd)
shared=${WEFT_SHARED:-$here/../../../shared}
tools=$shared/tools
if [ ! -f "$tools/vfi_score.py" ]; then
    echo "SKIP: $tools/vfi_score.py absent (../shared is not here)"
    exit 77
fi
weft=$(cd "$build" && pwd)/cli/weft
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The C path's pictures, named as vfi_score.py names the triplets (its --ref layout).
/usr/bin/python3 - "$tools" "$set_name" <<'PY' > "$tmp/triplets"
import sys
sys.path.insert(0, sys.argv[1])
import vfi_score
for name, a, b, _ in vfi_score.triplets(sys.argv[2]):
    print(name, a, b)
PY
read -r _ probe_a probe_b < "$tmp/triplets"
if "$weft" interpolate "$probe_a" "$probe_b" -o "$tmp/probe.png" --method blend --device vulkan \
    2>&1 >/dev/null | grep -q "no such device"; then
    echo "SKIP: no Vulkan device"
    exit 77
fi
while read -r name a b; do
    "$weft" interpolate "$a" "$b" -t 0.5 -o "$tmp/$name.png" --device cpu --quality "$quality"
done < "$tmp/triplets"
out=$(/usr/bin/python3 "$tools/vfi_score.py" "$set_name" \
    "$weft interpolate {a} {b} -t {t} -o {out} --device vulkan --quality $quality" --ref "$tmp")
echo "$out"
min=$(echo "$out" | sed -n 's/.*min[^0-9]*\([0-9.]*\).*/\1/p' | tail -1)
if [ -z "$min" ]; then
    echo "device_parity: no minimum in vfi_score's output" >&2
    exit 1
fi
awk -v m="$min" 'BEGIN { exit !(m >= 50) }' || { echo "device_parity: minimum $min dB < 50"; exit 1; }
echo "device_parity: every pair >= 50 dB (minimum $min dB)"
