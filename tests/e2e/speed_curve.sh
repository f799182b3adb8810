#!/usr/bin/env bash
# retime --speed and --curve on a real file: output counts from closed-form durations, the
# input's rate kept when only --speed/--curve is given, audio dropped with a notice, bad
# curve files refused with their line number.
# Usage: speed_curve.sh [cpu]   (plumbing and planning only: the C path is enough)
. "$(dirname "$0")/common.sh"
DEVICE=${1:-cpu}
need_tools
make_workdir

gen -f lavfi -i "testsrc2=size=96x64:rate=30" -f lavfi -i "sine=frequency=440:sample_rate=48000" \
    -t 1 -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac -shortest clip.mp4

check_count() { # FILE WANT WHAT
    local n
    n=$(count_frames "$1")
    if [ "$n" = "$2" ]; then pass "$3: $n frames"; else fail "$3: $n frames, want $2"; fi
}

# 1. --speed 0.5 alone: 30 source frames (1 s) play in 2 s at the input's 30 fps: 60 frames
if "$WEFT" retime clip.mp4 -o half.mp4 --speed 0.5 --method blend --device "$DEVICE" 2>err.txt; then
    check_count half.mp4 60 "speed 0.5"
    rate=$(probe_stream half.mp4 v:0 r_frame_rate)
    [ "$rate" = 30/1 ] && pass "speed 0.5 keeps 30/1" || fail "speed 0.5: rate $rate, want 30/1"
    grep -q "audio .* left out" err.txt && pass "audio dropped with a notice" ||
        fail "no notice about audio: $(cat err.txt)"
    streams=$(ffprobe -v error -show_entries stream=codec_type -of csv=p=0 half.mp4 | sort -u |
        paste -sd, -)
    [ "$streams" = video ] && pass "speed 0.5: no (empty) audio stream left in the output" ||
        fail "speed 0.5: output streams '$streams', want video only"
else
    fail "retime --speed 0.5: $(cat err.txt)"
fi

# 2. --speed 2 --fps 30: every other source frame: 15 frames
if "$WEFT" retime clip.mp4 -o double.mkv --speed 2 --fps 30 --device "$DEVICE" 2>err.txt; then
    check_count double.mkv 15 "speed 2"
else
    fail "retime --speed 2: $(cat err.txt)"
fi

# 3. a ramp: 1 -> 0.25 over 0.5 s (0.3125 s of source), 0.25 for 1 s (0.25 s), 0.25 -> 1 over
#    0.5 s (0.3125 s), then real time for the remaining 0.125 s: 2.125 s of output; outputs
#    k/30 < 2.125 -> 64 frames
printf '# slow-motion ramp\nease linear\n0 1\n0.5 0.25\n1.5 0.25 # hold\n2 1\n' >ramp.txt
if "$WEFT" retime clip.mp4 -o ramp.mkv --curve ramp.txt --method blend --device "$DEVICE" \
    2>err.txt; then
    check_count ramp.mkv 64 "ramp curve"
else
    fail "retime --curve ramp.txt: $(cat err.txt)"
fi

# 4. a map: 2 s of output show the whole 1 s source at half speed: 60 frames
printf 'map 0 0\nmap 2 1\n' >map.txt
if "$WEFT" retime clip.mp4 -o map.mkv --curve map.txt --method blend --device "$DEVICE" \
    2>err.txt; then
    check_count map.mkv 60 "map curve"
else
    fail "retime --curve map.txt: $(cat err.txt)"
fi

# 5. refusals
printf '0 1\n# fine so far\nabc\n' >bad.txt
if "$WEFT" retime clip.mp4 -o bad.mkv --curve bad.txt --device "$DEVICE" 2>err.txt; then
    fail "a bad curve file was accepted"
else
    grep -q "curve line 3: expected 'TIME SPEED', got 'abc'" err.txt &&
        pass "bad curve refused with its line" || fail "bad curve message: $(cat err.txt)"
fi
if "$WEFT" retime clip.mp4 -o bad.mkv --speed 2 --factor 2 --device "$DEVICE" 2>err.txt; then
    fail "--speed with --factor was accepted"
else
    pass "--speed with --factor refused"
fi
finish
