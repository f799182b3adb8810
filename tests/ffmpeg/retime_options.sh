#!/usr/bin/env bash
# The retiming options that change which pictures come out, through the filter: a scene cut
# (scene-threshold) is not bridged by an in-between, and repeated pictures (animation on
# twos) get in-betweens across their holds with dup=drop.
. "$(dirname "$0")/common.sh"

# checksums FILE: the frame checksums of a framecrc, one per line, in output order
checksums() {
    framecrc_rows "$1" | awk -F', *' '{ print $6 }'
}

# 1. a cut at 1 s between two different sources (testsrc2 then testsrc), factor 2: output 49
# lies between source 24 (output 48) and source 25 (output 50, the first of the new shot)
cut="testsrc2=r=25:d=1:s=96x64 [a]; testsrc=r=25:d=1:s=96x64 [b]; [a][b] concat=n=2 [out0]"
ff -f lavfi -i "$cut" -vf weft=factor=2:device=cpu -f framecrc "$tmp/cut.crc"
check_timing "$tmp/cut.crc" 100 1/50
ff -f lavfi -i "$cut" -vf weft=factor=2:device=cpu:scene-threshold=0 -f framecrc "$tmp/nocut.crc"
check_timing "$tmp/nocut.crc" 100 1/50
mapfile -t with_cut < <(checksums "$tmp/cut.crc")
mapfile -t without < <(checksums "$tmp/nocut.crc")
[ "${with_cut[49]}" = "${with_cut[48]}" ] || [ "${with_cut[49]}" = "${with_cut[50]}" ] ||
    fail "scene-threshold default: the output across the cut is not a source picture"
[ "${without[49]}" != "${without[48]}" ] && [ "${without[49]}" != "${without[50]}" ] ||
    fail "scene-threshold=0: the output across the cut is a copy, expected an in-between"
echo "ok: scene cut: shown as a source picture by default, bridged with scene-threshold=0"

# 2. animation on twos: 12.5 pictures a second, each shown twice at 25 fps, factor 2 (100
# outputs). dup=keep keeps the holds (an in-between of a picture and its repeat is that
# picture: about half the outputs are distinct); dup=drop makes in-betweens across each
# hold (nearly every output distinct)
twos="testsrc2=r=12.5:d=2:s=96x64,fps=25"
for mode in keep drop; do
    ff -f lavfi -i "$twos" -vf "weft=factor=2:device=cpu:dup=$mode" -f framecrc "$tmp/$mode.crc"
    check_timing "$tmp/$mode.crc" 100 1/50
done
keep=$(checksums "$tmp/keep.crc" | sort -u | wc -l)
drop=$(checksums "$tmp/drop.crc" | sort -u | wc -l)
[ "$keep" -le 60 ] || fail "dup=keep: $keep distinct outputs of 100, expected about 50"
[ "$drop" -ge 90 ] || fail "dup=drop: $drop distinct outputs of 100, expected nearly all"
echo "ok: animation on twos: dup=keep $keep distinct outputs, dup=drop $drop (of 100)"
