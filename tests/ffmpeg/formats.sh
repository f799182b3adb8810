#!/usr/bin/env bash
# Software frames of 8/10/12/16-bit YUV, RGB, grey, with and without alpha, go through
# -vf weft in their own format (no conversion on the way), and the source frames among the
# outputs are bit-exact.
. "$(dirname "$0")/common.sh"

for format in yuv420p yuv422p yuv444p yuva420p yuv420p10le yuv422p10le yuv444p12le \
    yuv420p16le yuva444p16le gbrp rgb24 rgba gray gray16le; do
    src="testsrc2=r=25:d=0.4:s=96x64,format=$format"
    "$ffprobe" -v error -f lavfi -i "$src,weft=factor=2:device=cpu" -select_streams v:0 \
        -show_entries stream=pix_fmt -of csv=p=0 >"$tmp/probe" 2>&1 ||
        fail "$format: ffprobe failed: $(cat "$tmp/probe")"
    [ "$(cat "$tmp/probe")" = "$format" ] || fail "$format: output is $(cat "$tmp/probe")"
    ff -f lavfi -i "$src" -vf weft=factor=2:device=cpu -f framecrc "$tmp/out.crc"
    ff -f lavfi -i "$src" -f framecrc "$tmp/in.crc"
    check_timing "$tmp/out.crc" 20 1/50
    diff <(framecrc_rows "$tmp/in.crc" | awk -F', *' '{ print $5, $6 }') \
        <(framecrc_rows "$tmp/out.crc" | awk -F', *' 'NR % 2 == 1 { print $5, $6 }') \
        >/dev/null || fail "$format: source frames are not bit-exact in the output"
    echo "ok: $format"
done
