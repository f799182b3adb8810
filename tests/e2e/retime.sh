#!/usr/bin/env bash
# retime on real files: frame counts, exact output rates, audio kept, duration kept,
# 10-bit samples and colour metadata kept, source pictures passed through bit-exact,
# image sequences in and out.
# Usage: retime.sh cpu|vulkan
# The CLI's plumbing is the same for every device; on vulkan (lavapipe in CI: slow) only the
# cases that exercise the device path run: the 60 fps mp4 and the bit-exact pass-through.
. "$(dirname "$0")/common.sh"
DEVICE=${1:-cpu}
ALL_CASES=1
[ "$DEVICE" = cpu ] || ALL_CASES=0
need_tools
make_workdir

gen -f lavfi -i "testsrc2=size=160x120:rate=30" -f lavfi -i "sine=frequency=440:sample_rate=48000" \
    -t 2 -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac -shortest clip.mp4
gen -i clip.mp4 -frames:v 1 a.png
gen -i clip.mp4 -ss 0.5 -frames:v 1 b.png
check_device "$DEVICE" a.png b.png

retime() { # IN OUT [options]: runs weft retime, fails the check on error
    local in=$1 out=$2
    shift 2
    "$WEFT" retime "$in" -o "$out" --device "$DEVICE" "$@" 2>err.txt
    local status=$?
    if [ $status -ne 0 ]; then
        skip_if_not_implemented "$(cat err.txt)"
        fail "retime $in -> $out $*: status $status: $(cat err.txt)"
        return 1
    fi
    [ -s err.txt ] && fail "retime $in -> $out: wrote to stderr on success: $(cat err.txt)"
    return 0
}

near() { # VALUE WANT TOLERANCE
    awk -v v="$1" -v w="$2" -v t="$3" \
        'BEGIN { d = v - w; if (d < 0) d = -d; exit !(v != "" && d <= t) }'
}

# 1. 2 s at 30 fps with AAC -> 60 fps mp4
if retime clip.mp4 out60.mp4 --fps 60; then
    n=$(count_frames out60.mp4)
    near "$n" 120 1 && pass "60 fps: $n frames" || fail "60 fps: $n frames, want 120 +-1"
    r=$(probe_stream out60.mp4 v:0 r_frame_rate)
    [ "$r" = 60/1 ] && pass "r_frame_rate $r" || fail "r_frame_rate $r, want 60/1"
    a=$(probe_stream out60.mp4 a:0 codec_name)
    [ "$a" = aac ] && pass "audio stream kept ($a)" || fail "audio stream missing ('$a')"
    d_in=$(probe_format clip.mp4 duration)
    d_out=$(probe_format out60.mp4 duration)
    near "$d_out" "$d_in" 0.05 && pass "duration kept ($d_in -> $d_out)" ||
        fail "duration $d_in -> $d_out"
    dv=$(probe_stream out60.mp4 v:0 duration)
    near "$dv" 2.0 0.05 && pass "video lasts $dv s" || fail "video lasts $dv s, want 2.0"
    c=$(probe_stream out60.mp4 v:0 codec_name)
    [ "$c" = h264 ] && pass "mp4 gets h264 by default" || fail "mp4 got $c"
fi

# "-o -" writes y4m to standard output
if [ $ALL_CASES -eq 1 ]; then
    "$WEFT" retime clip.mp4 -o - --fps 60 --device "$DEVICE" 2>err.txt >piped.y4m
    n=$(count_frames piped.y4m)
    [ "$n" = 120 ] && pass "-o -: 120 y4m pictures on stdout" ||
        fail "-o -: '$n' pictures: $(cat err.txt)"
    # and "-" as the input: a y4m pipe in
    gen -i clip.mp4 -f yuv4mpegpipe clip.y4m
    "$WEFT" retime - -o from_pipe.mkv --fps 60 --device "$DEVICE" <clip.y4m 2>err.txt
    n=$(count_frames from_pipe.mkv 2>/dev/null)
    [ "$n" = 120 ] && pass "retime - (y4m from standard input): 120 pictures" ||
        fail "retime -: '$n' pictures: $(cat err.txt)"
fi

# A damaged picture in a video is left out (one note), not a failure: the library spans the
# gap by time, so the count stays right
if [ $ALL_CASES -eq 1 ]; then
    gen -f lavfi -i "testsrc2=size=160x120:rate=30" -t 2 -c:v libx264 -preset ultrafast -g 10 \
        damaged.mkv
    size=$(stat -c %s damaged.mkv)
    head -c 2000 /dev/zero | tr '\0' '\377' |
        dd of=damaged.mkv bs=1 seek=$((size / 2)) conv=notrunc status=none
    "$WEFT" retime damaged.mkv -o damaged_out.mkv --fps 60 --device "$DEVICE" 2>err.txt
    status=$?
    n=$(count_frames damaged_out.mkv 2>/dev/null)
    if [ $status -eq 0 ] && near "$n" 120 1 && [ "$(wc -l <err.txt)" -eq 1 ] &&
        grep -q "damaged" err.txt; then
        pass "damaged picture left out: $n frames, '$(cat err.txt)'"
    else
        fail "damaged video: status $status, '$n' frames, stderr: $(tr '\n' '|' <err.txt)"
    fi
fi

# 2. NTSC rates, as decimal and as fraction
if [ $ALL_CASES -eq 1 ] && retime clip.mp4 out5994.mkv --fps 59.94; then
    r=$(probe_stream out5994.mkv v:0 r_frame_rate)
    n=$(count_frames out5994.mkv)
    near "$n" 120 1 && pass "59.94: $n frames" || fail "59.94: $n frames, want 120 +-1"
fi
if [ $ALL_CASES -eq 1 ] && retime clip.mp4 out_ntsc.mov --fps 60000/1001; then
    r=$(probe_stream out_ntsc.mov v:0 r_frame_rate)
    [ "$r" = 60000/1001 ] && pass "60000/1001 in mov: r_frame_rate $r" ||
        fail "60000/1001: r_frame_rate $r"
fi

# 3. --factor 3 -> 90 fps, audio kept in mkv
if [ $ALL_CASES -eq 1 ] && retime clip.mp4 out_x3.mkv --factor 3; then
    n=$(count_frames out_x3.mkv)
    near "$n" 180 1 && pass "factor 3: $n frames" || fail "factor 3: $n frames, want 180 +-1"
    a=$(probe_stream out_x3.mkv a:0 codec_name)
    [ "$a" = aac ] && pass "factor 3: audio kept" || fail "factor 3: audio missing"
fi

# 4. 10-bit with HDR colour metadata: samples stay 10-bit, metadata is carried over
gen -f lavfi -i "testsrc2=size=160x120:rate=24" -t 1 -c:v libx264 -preset ultrafast \
    -pix_fmt yuv420p10le -color_primaries bt2020 -color_trc smpte2084 -colorspace bt2020nc \
    -color_range tv clip10.mkv
if [ $ALL_CASES -eq 1 ] && retime clip10.mkv out10.mkv --fps 48; then
    for field in pix_fmt color_primaries color_transfer color_space color_range; do
        want=$(probe_stream clip10.mkv v:0 $field)
        got=$(probe_stream out10.mkv v:0 $field)
        [ "$got" = "$want" ] && pass "10-bit: $field $got kept" ||
            fail "10-bit: $field $want became $got"
    done
    n=$(count_frames out10.mkv)
    near "$n" 48 1 && pass "24 -> 48 fps: $n frames" || fail "24 -> 48 fps: $n frames"
fi
if [ $ALL_CASES -eq 1 ] && retime clip10.mkv out10.y4m --fps 48; then
    p=$(probe_stream out10.y4m v:0 pix_fmt)
    [ "$p" = yuv420p10le ] && pass "y4m keeps yuv420p10le" || fail "y4m pixel format $p"
    c=$(probe_stream out10.y4m v:0 codec_name)
    [ "$c" = rawvideo ] && pass "y4m is rawvideo" || fail "y4m codec $c"
fi

# HDR10 metadata in the bitstream (x265 SEI) reaches the output container; display
# rotation and the container's title are kept
if [ $ALL_CASES -eq 1 ] && ffmpeg -hide_banner -encoders 2>/dev/null | grep -q libx265; then
    hdr="log-level=error:hdr10=1:max-cll=1000,400"
    hdr="$hdr:master-display=G(13250,34500)B(7500,3000)R(34000,16000)WP(15635,16450)L(10000000,1)"
    gen -f lavfi -i "testsrc2=size=160x120:rate=24" -t 0.5 -c:v libx265 -pix_fmt yuv420p10le \
        -color_primaries bt2020 -color_trc smpte2084 -colorspace bt2020nc -x265-params "$hdr" \
        hdr.mkv
    if retime hdr.mkv hdr_out.mkv --fps 48; then
        sd=$(ffprobe -v error -show_entries stream_side_data=side_data_type,max_content \
            -of compact hdr_out.mkv)
        case "$sd" in
        *"Mastering display"*"max_content=1000"* | *"max_content=1000"*"Mastering display"*)
            pass "HDR10 mastering display and light levels kept" ;;
        *) fail "HDR10 metadata lost: $sd" ;;
        esac
    fi
fi
if [ $ALL_CASES -eq 1 ]; then
    gen -i clip.mp4 -c copy -metadata title="weft e2e" -metadata:s:v:0 rotate=90 rotated.mp4
    if retime rotated.mp4 rotated_out.mp4 --fps 60; then
        want=$(ffprobe -v error -show_entries stream_side_data=rotation \
            -of default=nw=1:nk=1 rotated.mp4)
        got=$(ffprobe -v error -show_entries stream_side_data=rotation -of default=nw=1:nk=1 \
            rotated_out.mp4)
        [ -n "$got" ] && [ "$got" = "$want" ] &&
            pass "display rotation $got kept" || fail "display rotation '$want' became '$got'"
        t=$(ffprobe -v error -show_entries format_tags=title -of default=nw=1:nk=1 rotated_out.mp4)
        [ "$t" = "weft e2e" ] && pass "container title kept" || fail "title became '$t'"
    fi
fi

# subtitles are stream-copied too, and the video comes first
if [ $ALL_CASES -eq 1 ]; then
    printf '1\n00:00:00,500 --> 00:00:01,500\nhello\n' >sub.srt
    gen -i clip.mp4 -i sub.srt -map 0 -map 1 -c copy -c:s srt subbed.mkv
    if retime subbed.mkv subbed_out.mkv --fps 60; then
        kinds=$(ffprobe -v error -show_entries stream=codec_type -of csv=p=0 subbed_out.mkv |
            tr '\n' ' ')
        [ "$kinds" = "video audio subtitle " ] && pass "streams: $kinds" ||
            fail "streams: '$kinds', want 'video audio subtitle'"
    fi
fi

# 5. Source pictures pass through bit-exact (lossless y4m both ways): with --factor 2 output
#    picture 2k is input picture k.
gen -f lavfi -i "testsrc2=size=96x64:rate=10" -frames:v 6 -pix_fmt yuv444p src.y4m
if retime src.y4m out_x2.y4m --factor 2; then
    gen -i src.y4m -f framemd5 src.md5
    gen -i out_x2.y4m -f framemd5 out.md5
    src_hashes=$(grep -v '^#' src.md5 | awk -F, '{ print $6 }')
    out_even=$(grep -v '^#' out.md5 | awk -F, 'NR % 2 == 1 { print $6 }')
    n_out=$(grep -vc '^#' out.md5)
    [ "$n_out" -eq 12 ] && pass "factor 2 of 6 pictures: 12" || fail "factor 2: $n_out pictures"
    [ "$src_hashes" = "$out_even" ] && pass "source pictures pass through bit-exact" ||
        fail "output pictures 0, 2, 4... differ from the source pictures"
fi
# without --fps or --factor: the library's default factor, 2
if [ $ALL_CASES -eq 1 ] && retime src.y4m out_default.y4m; then
    n=$(count_frames out_default.y4m)
    [ "$n" -eq 12 ] && pass "no rate given: factor 2 (12 pictures)" ||
        fail "no rate given: $n pictures, want 12"
fi

# 6. Image sequences in and out (the image2 demuxer reads a pattern at 25 fps)
mkdir seq frames
gen -f lavfi -i "testsrc2=size=64x48:rate=25" -frames:v 10 seq/%05d.png
if [ $ALL_CASES -eq 1 ] && retime 'seq/%05d.png' 'frames/%05d.png' --factor 3; then
    n=$(ls frames | wc -l)
    [ "$n" -eq 30 ] && pass "png sequence: 30 files" || fail "png sequence: $n files, want 30"
    hidden=$(ls -A frames | grep -c '^\.')
    [ "$hidden" -eq 0 ] && pass "no temporary files left in frames/" ||
        fail "$hidden temporary files left in frames/"
    p=$(probe_stream frames/00001.png v:0 pix_fmt)
    [ "$p" = rgb24 ] && pass "png sequence stays rgb24" || fail "png sequence became $p"
fi
if [ $ALL_CASES -eq 1 ] && retime 'seq/%05d.png' seq.mp4 --input-rate 10 --factor 2; then
    r=$(probe_stream seq.mp4 v:0 r_frame_rate)
    n=$(count_frames seq.mp4)
    [ "$r" = 20/1 ] && [ "$n" -eq 20 ] && pass "sequence at --input-rate 10, x2: $n at $r" ||
        fail "sequence at --input-rate 10, x2: $n frames at $r, want 20 at 20/1"
fi

finish
