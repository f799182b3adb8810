#!/usr/bin/env bash
# Vulkan hardware frames (AV_PIX_FMT_VULKAN) through -vf weft: hwupload,weft,hwdownload gives
# the same frames as the software chain, in the same number and times. Skips (77) when
# FFmpeg finds no Vulkan device.
. "$(dirname "$0")/common.sh"

if ! "$ffmpeg" -nostdin -v error -init_hw_device vulkan=vk -f lavfi -i "nullsrc=d=0.04" \
    -f null - 2>"$tmp/init"; then
    echo "skipped: no Vulkan device for FFmpeg: $(head -3 "$tmp/init")"
    exit 77
fi

for format in yuv420p yuv444p10le rgba; do
    src="testsrc2=r=25:d=0.4:s=96x64,format=$format"
    ff -f lavfi -i "$src" -vf "weft=factor=2:device=cpu" -f framecrc "$tmp/sw.crc"
    ff -init_hw_device vulkan=vk -filter_hw_device vk -f lavfi -i "$src" \
        -vf "hwupload,weft=factor=2:device=cpu,hwdownload,format=$format" -f framecrc "$tmp/hw.crc"
    check_timing "$tmp/hw.crc" 20 1/50
    diff <(framecrc_rows "$tmp/sw.crc") <(framecrc_rows "$tmp/hw.crc") >"$tmp/diff" ||
        fail "$format: Vulkan frames differ from software frames: $(head -4 "$tmp/diff")"
    echo "ok: $format in Vulkan frames"
done
