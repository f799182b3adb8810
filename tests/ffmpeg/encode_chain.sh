#!/usr/bin/env bash
# A real encode chain: an mp4 with H.264 video and AAC audio through
# scale,weft=fps=60,format=yuv420p into libx264; ffprobe reads every frame and the audio
# stays.
. "$(dirname "$0")/common.sh"

ff -f lavfi -i "testsrc2=r=25:d=2:s=320x240" -f lavfi -i "sine=f=440:d=2" \
    -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac -shortest "$tmp/clip.mp4"
ff -i "$tmp/clip.mp4" -vf "scale=192:144,weft=fps=60:device=cpu,format=yuv420p" \
    -c:v libx264 -preset ultrafast -c:a copy "$tmp/out.mp4"

"$ffprobe" -v error -count_frames -select_streams v:0 \
    -show_entries stream=codec_name,width,height,r_frame_rate,nb_read_frames -of default=nw=1 \
    "$tmp/out.mp4" >"$tmp/video" || fail "ffprobe cannot read the video: $(cat "$tmp/video")"
grep -qx "codec_name=h264" "$tmp/video" || fail "video: $(cat "$tmp/video")"
grep -qx "width=192" "$tmp/video" && grep -qx "height=144" "$tmp/video" ||
    fail "size: $(cat "$tmp/video")"
grep -qx "r_frame_rate=60/1" "$tmp/video" || fail "rate: $(cat "$tmp/video")"
grep -qx "nb_read_frames=120" "$tmp/video" || fail "frames: $(cat "$tmp/video")"

"$ffprobe" -v error -count_frames -select_streams a:0 \
    -show_entries stream=codec_name,nb_read_frames -of default=nw=1 "$tmp/out.mp4" \
    >"$tmp/audio" || fail "ffprobe cannot read the audio: $(cat "$tmp/audio")"
grep -qx "codec_name=aac" "$tmp/audio" || fail "no audio in the output: $(cat "$tmp/audio")"
audio_in=$("$ffprobe" -v error -count_frames -select_streams a:0 \
    -show_entries stream=nb_read_frames -of csv=p=0 "$tmp/clip.mp4")
grep -qx "nb_read_frames=$audio_in" "$tmp/audio" ||
    fail "audio frames: $(cat "$tmp/audio"), input has $audio_in"

# the whole file decodes without an error
"$ffmpeg" -nostdin -v error -xerror -i "$tmp/out.mp4" -f null - 2>"$tmp/decode" ||
    fail "decoding the output: $(cat "$tmp/decode")"
[ ! -s "$tmp/decode" ] || fail "decoding the output: $(cat "$tmp/decode")"
echo "ok: mp4 (h264+aac) -> scale,weft=fps=60,format=yuv420p -> libx264 + copied aac: 120 frames"
