#!/usr/bin/env bash
# --audio stretch: with a constant --speed the sound follows through FFmpeg's atempo
# (chained for speeds outside 0.5..2). A 2 s clip whose sound is silence with a 440 Hz burst
# at 1.0 s is retimed at several speeds; the output's decoded sound lasts as long as its
# pictures (within one audio frame, 1024 samples) and the burst starts at 1.0 / speed
# (within one output picture, 40 ms: finer than a picture cannot be seen to be out of sync).
# Also: --audio drop leaves the audio out, a curve is refused with --audio stretch, and a
# bad value names the option.
. "$(dirname "$0")/common.sh"
need_tools
need_numpy
make_workdir

BURST="aevalsrc='if(between(t,1.0,1.1),sin(2*PI*440*t),0)':s=48000"
gen -f lavfi -i "testsrc2=size=96x64:rate=25" -f lavfi -i "$BURST" -t 2 -c:v ffv1 \
    -c:a pcm_s16le clip.mkv
gen -f lavfi -i "testsrc2=size=96x64:rate=25" -f lavfi -i "$BURST" -t 2 -c:v libx264 \
    -preset ultrafast -c:a aac clip.mp4

# Prints "audio A s, pictures V s, burst at B s" for an output at 25 fps, or what is wrong.
measure() { # FILE SPEED
    local frames
    frames=$(count_frames "$1")
    gen -i "$1" -vn -f f32le -ac 1 -ar 48000 sound.f32
    "$PYTHON" - "$frames" "$2" <<'PY'
import sys
import numpy as np
frames, speed = int(sys.argv[1]), float(sys.argv[2])
a = np.fromfile("sound.f32", np.float32)
loud = np.nonzero(np.abs(a) > 0.05)[0]
if len(loud) == 0:
    print("no burst in the output's sound")
    sys.exit()
audio, video, burst = len(a) / 48000, frames / 25, loud[0] / 48000
verdict = "ok" if abs(audio - video) <= 1024 / 48000 and abs(burst - 1.0 / speed) <= 0.04 else "bad"
print(f"{verdict}: audio {audio:.4f} s, pictures {video:.4f} s, burst at {burst:.4f} s (want {1.0 / speed:.4f})")
PY
}

# speeds whose picture count is whole (2 s / speed at 25 fps): the pictures end where the
# sound does; 0.25 and 5 chain atempo stages
for case in mkv:0.25 mkv:0.4 mkv:2 mkv:5 mp4:0.5; do
    ext=${case%%:*}
    speed=${case#*:}
    if "$WEFT" retime "clip.$ext" -o "out_$speed.$ext" --speed "$speed" --audio stretch \
        --method blend; then
        result=$(measure "out_$speed.$ext" "$speed")
        case "$result" in
        ok:*) pass "$ext speed $speed: ${result#ok: }" ;;
        *) fail "$ext speed $speed: $result" ;;
        esac
    else
        fail "$ext speed $speed: weft failed"
    fi
done

if "$WEFT" retime clip.mkv -o dropped.mkv --audio drop --method blend; then
    streams=$(ffprobe -v error -show_entries stream=codec_type -of csv=p=0 dropped.mkv | sort -u)
    [ "$streams" = video ] && pass "--audio drop: video only" || fail "--audio drop: $streams"
else
    fail "--audio drop: weft failed"
fi

printf '0 0.5\n' >half.curve
err=$("$WEFT" retime clip.mkv -o curve.mkv --curve half.curve --audio stretch 2>&1)
[ $? -ne 0 ] && [ ! -e curve.mkv ] && case "$err" in *"--audio stretch"*"--curve"*) true ;; *) false ;; esac &&
    pass "stretch with a curve refused: $err" || fail "stretch with a curve: '$err'"
err=$("$WEFT" retime clip.mkv -o bad.mkv --audio loud 2>&1)
[ $? -ne 0 ] && case "$err" in *"--audio"*) true ;; *) false ;; esac &&
    pass "bad --audio value: $err" || fail "bad --audio value: '$err'"
finish
