#!/usr/bin/env bash
# Vulkan hardware frames (AV_PIX_FMT_VULKAN) through -vf weft: hwupload,weft,hwdownload gives
# the same frames as the software chain, in the same number and times; and with device=vulkan
# the library runs on FFmpeg's own VkDevice: one instance and one device in the process
# (counted by the Vulkan loader itself, VK_LOADER_DEBUG, not by our log), no validation error
# when FFmpeg enables the validation layer. Skips (77) when FFmpeg finds no Vulkan device.
. "$(dirname "$0")/common.sh"

if ! "$ffmpeg" -nostdin -v error -init_hw_device vulkan=vk -f lavfi -i "nullsrc=d=0.04" \
    -f null - 2>"$tmp/init"; then
    echo "skipped: no Vulkan device for FFmpeg: $(head -3 "$tmp/init")"
    exit 77
fi

hw=(-init_hw_device vulkan=vk -filter_hw_device vk)

# 1. the C path (device=cpu): frames read back, computed on the host, uploaded
for format in yuv420p yuv444p10le rgba; do
    src="testsrc2=r=25:d=0.4:s=96x64,format=$format"
    ff -f lavfi -i "$src" -vf "weft=factor=2:device=cpu" -f framecrc "$tmp/sw.crc"
    ff "${hw[@]}" -f lavfi -i "$src" \
        -vf "hwupload,weft=factor=2:device=cpu,hwdownload,format=$format" -f framecrc "$tmp/hw.crc"
    check_timing "$tmp/hw.crc" 20 1/50
    diff <(framecrc_rows "$tmp/sw.crc") <(framecrc_rows "$tmp/hw.crc") >"$tmp/diff" ||
        fail "$format: Vulkan frames differ from software frames: $(head -4 "$tmp/diff")"
    echo "ok: $format in Vulkan frames (device=cpu)"
done

# count_loader EVENT LOG: how many times the Vulkan loader set up EVENT (vkCreateInstance or
# vkCreateDevice) in a run with VK_LOADER_DEBUG=layer
count_loader() {
    grep -c "$1 layer callstack setup" "$2" || true
}

# 2. device=vulkan on Vulkan frames: FFmpeg's device, shared
for format in yuv420p rgba; do
    src="testsrc2=r=25:d=0.4:s=96x64,format=$format"
    # the reference: software frames, the library on a Vulkan device of its own (the same
    # driver: FFmpeg and the library both take the first device)
    ff -f lavfi -i "$src" -vf "weft=factor=2:device=vulkan" -f framecrc "$tmp/sw.crc"
    VK_LOADER_DEBUG=layer "$ffmpeg" -nostdin -hide_banner -v verbose -y "${hw[@]}" \
        -f lavfi -i "$src" -vf "hwupload,weft=factor=2:device=vulkan,hwdownload,format=$format" \
        -f framecrc "$tmp/hw.crc" >"$tmp/log" 2>&1 </dev/null || fail "$format: $(tail -5 "$tmp/log")"
    check_timing "$tmp/hw.crc" 20 1/50
    diff <(framecrc_rows "$tmp/sw.crc") <(framecrc_rows "$tmp/hw.crc") >"$tmp/diff" ||
        fail "$format: on FFmpeg's device, frames differ from the library's own device: $(head -4 "$tmp/diff")"
    grep -q "the caller's device, shared" "$tmp/log" ||
        fail "$format: the library did not say it shares FFmpeg's device: $(grep -i 'weft' "$tmp/log" | head -5)"
    instances=$(count_loader vkCreateInstance "$tmp/log")
    devices=$(count_loader vkCreateDevice "$tmp/log")
    [ "$instances" -eq 1 ] && [ "$devices" -eq 1 ] ||
        fail "$format: $instances Vulkan instances and $devices devices made, expected one each"
    echo "ok: $format on FFmpeg's Vulkan device (1 instance, 1 device; same frames as on the library's own device)"
done

# 3. the same under FFmpeg's validation layer (debug=1), when the layer is installed: no
# validation error from the library's use of FFmpeg's device
src="testsrc2=r=25:d=0.2:s=64x48,format=yuv420p"
"$ffmpeg" -nostdin -hide_banner -v verbose -init_hw_device vulkan=vk:,debug=1 -filter_hw_device vk \
    -f lavfi -i "$src" -vf "hwupload,weft=factor=2:device=vulkan,hwdownload,format=yuv420p" \
    -f null - >"$tmp/log" 2>&1 </dev/null || fail "validation run: $(tail -5 "$tmp/log")"
if grep -q "validation layer VK_LAYER_KHRONOS_validation is enabled" "$tmp/log"; then
    ! grep -q "VUID\|Validation Error" "$tmp/log" ||
        fail "validation errors on FFmpeg's device: $(grep -m3 "VUID\|Validation Error" "$tmp/log")"
    echo "ok: no validation error on FFmpeg's device"
else
    echo "note: no validation layer; the validation run was not checked"
fi

# 4. device=auto (the default) on a software device (lavapipe): the C path, as the library's
# own auto choice does, and no Vulkan device of the library's own either
src="testsrc2=r=25:d=0.4:s=96x64,format=yuv420p"
ff -f lavfi -i "$src" -vf "weft=factor=2:device=cpu" -f framecrc "$tmp/sw.crc"
VK_LOADER_DEBUG=layer "$ffmpeg" -nostdin -hide_banner -v verbose -y "${hw[@]}" -f lavfi -i "$src" \
    -vf "hwupload,weft=factor=2,hwdownload,format=yuv420p" -f framecrc "$tmp/hw.crc" \
    >"$tmp/log" 2>&1 </dev/null || fail "device=auto: $(tail -5 "$tmp/log")"
devices=$(count_loader vkCreateDevice "$tmp/log")
[ "$devices" -eq 1 ] || fail "device=auto: $devices Vulkan devices made, expected one"
if grep -q "is a software device: device=auto runs libweft's C path" "$tmp/log"; then
    diff <(framecrc_rows "$tmp/sw.crc") <(framecrc_rows "$tmp/hw.crc") >"$tmp/diff" ||
        fail "device=auto on a software device: frames differ from the C path: $(head -4 "$tmp/diff")"
    echo "ok: device=auto on FFmpeg's software device runs the C path (1 device)"
else
    grep -q "the caller's device, shared" "$tmp/log" ||
        fail "device=auto on a hardware device: not shared: $(grep -i weft "$tmp/log" | head -5)"
    echo "ok: device=auto on FFmpeg's hardware device shares it (1 device)"
fi
