#!/usr/bin/env bash
# Frame count, timestamps and frame rate of -vf weft for the fps and factor options, and the
# timestamp policy (frames without pts, repeated pts) and the end-of-stream flush.
. "$(dirname "$0")/common.sh"

src="testsrc2=r=25:d=2:s=160x120"

# fps=50 from 25 fps for 2 s: 100 frames, pts 0..99 in 1/50
ff -f lavfi -i "$src" -vf weft=fps=50:device=cpu -f framecrc "$tmp/fps50.crc"
check_timing "$tmp/fps50.crc" 100 1/50

# the shorthand form: weft=50 is fps=50
ff -f lavfi -i "$src" -vf weft=50:device=cpu -f framecrc "$tmp/short.crc"
cmp -s "$tmp/fps50.crc" "$tmp/short.crc" || fail "weft=50 differs from weft=fps=50"

# fps=60000/1001: outputs k while k * 1001/60000 < 2 s: 120 frames
ff -f lavfi -i "$src" -vf weft=fps=60000/1001:device=cpu -f framecrc "$tmp/ntsc.crc"
check_timing "$tmp/ntsc.crc" 120 1001/60000

# fps=20 (fewer frames than in): 40 frames
ff -f lavfi -i "$src" -vf weft=fps=20:device=cpu -f framecrc "$tmp/fps20.crc"
check_timing "$tmp/fps20.crc" 40 1/20

# factor=3: 150 frames in 1/75; every third one is a source frame, bit-exact
ff -f lavfi -i "$src" -vf weft=factor=3:device=cpu -f framecrc "$tmp/factor3.crc"
check_timing "$tmp/factor3.crc" 150 1/75
ff -f lavfi -i "$src" -f framecrc "$tmp/source.crc"
diff <(framecrc_rows "$tmp/source.crc" | awk -F', *' '{ print $6 }') \
    <(framecrc_rows "$tmp/factor3.crc" | awk -F', *' 'NR % 3 == 1 { print $6 }') >/dev/null ||
    fail "factor=3: the source frames are not passed through bit-exact"

# speed=0.5 alone plays 2 s of source in 4 s at the input's 25 fps: 100 frames in 1/25,
# and every other one is a source frame, bit-exact (the filter takes the rate from its input)
ff -f lavfi -i "$src" -vf weft=speed=0.5:device=cpu -f framecrc "$tmp/speed.crc"
check_timing "$tmp/speed.crc" 100 1/25
diff <(framecrc_rows "$tmp/source.crc" | awk -F', *' '{ print $6 }') \
    <(framecrc_rows "$tmp/speed.crc" | awk -F', *' 'NR % 2 == 1 { print $6 }') >/dev/null ||
    fail "speed=0.5: the source frames are not passed through bit-exact"

# the output link's frame rate and time base (what an encoder and a muxer see)
"$ffprobe" -v error -f lavfi -i "$src,weft=fps=50:device=cpu" -select_streams v:0 \
    -show_entries stream=r_frame_rate,avg_frame_rate,time_base -of default=nw=1 >"$tmp/probe"
grep -qx "r_frame_rate=50/1" "$tmp/probe" || fail "frame rate of fps=50: $(cat "$tmp/probe")"
grep -qx "time_base=1/50" "$tmp/probe" || fail "time base of fps=50: $(cat "$tmp/probe")"
"$ffprobe" -v error -f lavfi -i "$src,weft=factor=4:device=cpu" -select_streams v:0 \
    -show_entries stream=r_frame_rate,time_base -of default=nw=1 >"$tmp/probe"
grep -qx "r_frame_rate=100/1" "$tmp/probe" || fail "frame rate of factor=4: $(cat "$tmp/probe")"
grep -qx "time_base=1/100" "$tmp/probe" || fail "time base of factor=4: $(cat "$tmp/probe")"

# a single frame: one output (its duration is known from the end of the stream)
ff -f lavfi -i "testsrc2=r=25:d=0.04:s=160x120" -vf weft=fps=50:device=cpu -f framecrc "$tmp/one.crc"
check_timing "$tmp/one.crc" 2 1/50

# no frames at all: no output, no error
ff -f lavfi -i "$src" -vf "trim=start=5,weft=fps=50:device=cpu" -f framecrc "$tmp/none.crc"
[ "$(framecrc_rows "$tmp/none.crc" | wc -l)" -eq 0 ] || fail "an empty stream gave frames"

# frame 10 without a pts: warned, given the next pts, same output as without the gap
ff -f lavfi -i "$src" -vf "setpts='if(eq(N,10),NAN,PTS)',weft=fps=50:device=cpu" \
    -f framecrc "$tmp/nopts.crc"
grep -q "Frame without pts" "$tmp/stderr" || fail "no warning for a frame without pts"
cmp -s "$tmp/fps50.crc" "$tmp/nopts.crc" || fail "a frame without pts changed the output"

# frame 10 with the pts of frame 9 (and 11 going back): warned and dropped, no crash,
# the output keeps its full length
ff -f lavfi -i "$src" -vf "setpts='if(eq(N,10)+eq(N,11),9,N)',weft=fps=50:device=cpu" \
    -f framecrc "$tmp/repeat.crc"
grep -q "Dropping a frame at pts 9: not after 9" "$tmp/stderr" ||
    fail "no warning for a repeated pts: $(cat "$tmp/stderr")"
check_timing "$tmp/repeat.crc" 100 1/50

echo "ok: fps, factor, rate/time base, one frame, no frame, missing and repeated pts"
