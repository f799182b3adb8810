#!/usr/bin/env bash
# The filter's frames are the CLI's frames: `weft retime` and `ffmpeg -vf weft` on the same
# input with the same settings give identical decoded pictures (same library, same
# pictures in, no conversion on either side).
. "$(dirname "$0")/common.sh"

# lossless inputs (y4m) with motion, 8 and 10 bits
ff -f lavfi -i "testsrc2=r=25:d=1:s=176x144" -pix_fmt yuv420p "$tmp/in8.y4m"
ff -f lavfi -i "testsrc2=r=25:d=1:s=176x144" -pix_fmt yuv422p10le -strict -1 "$tmp/in10.y4m"

compare() {
    local name=$1 input=$2 cli_args=$3 filter=$4
    # shellcheck disable=SC2086
    "$weft" retime "$input" -o "$tmp/$name.y4m" $cli_args >"$tmp/cli.log" 2>&1 ||
        fail "$name: weft retime failed: $(cat "$tmp/cli.log")"
    ff -i "$tmp/$name.y4m" -f framemd5 "$tmp/$name.cli.md5"
    ff -i "$input" -vf "$filter" -f framemd5 "$tmp/$name.filter.md5"
    local cli filter_frames
    cli=$(framecrc_rows "$tmp/$name.cli.md5" | wc -l)
    filter_frames=$(framecrc_rows "$tmp/$name.filter.md5" | wc -l)
    [ "$cli" -gt 0 ] && [ "$cli" -eq "$filter_frames" ] ||
        fail "$name: the CLI made $cli frames, the filter $filter_frames"
    # pts and picture hashes, frame by frame
    diff <(framecrc_rows "$tmp/$name.cli.md5" | awk -F', *' '{ print $3, $5, $6 }') \
        <(framecrc_rows "$tmp/$name.filter.md5" | awk -F', *' '{ print $3, $5, $6 }') \
        >"$tmp/diff" || fail "$name: the filter's frames differ from the CLI's: $(head -5 "$tmp/diff")"
    echo "ok: $name ($cli frames identical)"
}

compare fps50 "$tmp/in8.y4m" "--fps 50 --device cpu" "weft=fps=50:device=cpu"
compare fps60 "$tmp/in8.y4m" "--fps 60 --device cpu" "weft=fps=60:device=cpu"
compare factor3 "$tmp/in8.y4m" "--factor 3 --device cpu" "weft=factor=3:device=cpu"
compare blend10 "$tmp/in10.y4m" "--fps 50 --device cpu --method blend" \
    "weft=fps=50:device=cpu:method=blend"
compare fast10 "$tmp/in10.y4m" "--fps 48 --device cpu --quality fast" \
    "weft=fps=48:device=cpu:quality=fast"
