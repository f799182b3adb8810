#!/usr/bin/env bash
# Builds an ffmpeg and an ffprobe that carry the weft filter (-vf weft=...), from Debian 12's
# FFmpeg 5.1 source, into BUILD/ffmpeg/ of a meson build tree. The system's ffmpeg is not
# touched.
#
# Usage: ffmpeg/build.sh [BUILD]      (BUILD: a meson build tree of weft, default build/;
#                                      libweft must already be built there: ninja -C BUILD)
# Then:  BUILD/ffmpeg/ffmpeg -i in.mp4 -vf weft=fps=60 out.mp4
#        BUILD/ffmpeg/ffmpeg -h filter=weft
#
# How it works, and what a repeat run costs:
#  1. The source comes from `apt-get source ffmpeg` (Debian's patches applied). When the
#     machine's apt sources have no deb-src entry, the script derives one from them in a
#     private apt folder inside the cache (the system's apt configuration is not changed).
#  2. The filter is added with two one-line edits (libavfilter/allfilters.c and
#     libavfilter/Makefile; configure learns of it from allfilters.c), and FFmpeg is
#     configured lean: --disable-everything, then the components common chains need.
#  3. FFmpeg's libraries are built once per machine in a cache folder
#     (${WEFT_FFMPEG_CACHE:-${XDG_CACHE_HOME:-~/.cache}/weft/ffmpeg}/<version>-<config hash>),
#     shared by every build tree; a repeat run only recompiles vf_weft.c when it, weft.h or
#     the settings table changed (make's own dependencies; files are replaced only when
#     their content differs) and relinks ffmpeg/ffprobe against BUILD's libweft.so (a few
#     seconds), so a rebuilt library is always the one linked.
#  4. The filter's AVOption table is generated from the library's settings table
#     (weft_setting_info()) by ffmpeg/gen_options.c: a new library setting becomes a filter
#     option with its name, default and help with no edit here.
# Exit status: 0 on success; 77 when the FFmpeg source cannot be obtained (no network, no
# apt); 1 on other errors. Build output goes to BUILD/ffmpeg/build.log.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
source_root=$(cd "$here/.." && pwd)
build=${1:-$source_root/build}
[ -d "$build" ] || { echo "build.sh: no build tree '$build' (meson setup it first)" >&2; exit 1; }
build=$(cd "$build" && pwd)
[ -e "$build/libweft.so" ] || { echo "build.sh: '$build/libweft.so' is missing (ninja -C '$build' first)" >&2; exit 1; }
jobs=${WEFT_FFMPEG_JOBS:-2}

out="$build/ffmpeg"
mkdir -p "$out"
log="$out/build.log"

cache_root=${WEFT_FFMPEG_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/weft/ffmpeg}
mkdir -p "$cache_root"

# One build at a time per cache (tests that start together wait for the first).
exec 9>"$cache_root/lock"
flock 9

note() { echo "build.sh: $*"; }

# ---- 1. source --------------------------------------------------------------------------
# A private apt configuration with deb-src entries derived from the machine's deb entries.
apt_dir="$cache_root/apt"
apt_opts=()
setup_private_apt() {
    mkdir -p "$apt_dir/sources.list.d" "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
    rm -f "$apt_dir/sources.list.d/"*
    local f n=0
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        # deb822: "Types: deb" -> "Types: deb-src"
        sed -E 's/^Types:.*\bdeb\b.*$/Types: deb-src/' "$f" >"$apt_dir/sources.list.d/$(basename "$f")"
        n=$((n + 1))
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] || continue
        sed -nE 's/^[[:space:]]*deb[[:space:]]/deb-src /p' "$f" >"$apt_dir/sources.list.d/$(basename "$f" | tr / _).list"
        n=$((n + 1))
    done
    [ "$n" -gt 0 ] || return 1
    apt_opts=(-o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$apt_dir/sources.list.d"
        -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache"
        -o "APT::Sandbox::User=$(id -un)")
    apt-get -q "${apt_opts[@]}" update >>"$log" 2>&1
}

: >"$log"
version=$(apt-cache "${apt_opts[@]}" showsrc ffmpeg 2>/dev/null | sed -n 's/^Version: //p' | sort -V | tail -n1 || true)
if [ -z "$version" ]; then
    if ! setup_private_apt; then
        note "cannot set up deb-src entries (see $log)"
        exit 77
    fi
    version=$(apt-cache "${apt_opts[@]}" showsrc ffmpeg 2>/dev/null | sed -n 's/^Version: //p' | sort -V | tail -n1 || true)
fi
# Prefer the version of the installed libavfilter-dev (headers the CLI builds with).
installed=$(dpkg-query -W -f='${Version}' libavfilter-dev 2>/dev/null || true)
if [ -n "$installed" ] && apt-cache "${apt_opts[@]}" showsrc ffmpeg 2>/dev/null | grep -qx "Version: $installed"; then
    version=$installed
fi
if [ -z "$version" ]; then
    note "apt knows no ffmpeg source package (see $log)"
    exit 77
fi
upstream=${version#*:}
upstream=${upstream%%-*}

# What is built: the configure line. Its hash (with the version and this script's edits of
# the source) names the cache folder, so a changed configure line builds afresh.
configure_flags=(
    --disable-everything --disable-autodetect --disable-doc --disable-debug
    --disable-ffplay --disable-network --enable-gpl --enable-version3
    --enable-zlib --enable-libx264 --enable-libvpx --enable-libaom --enable-vulkan
    --enable-protocol=file,pipe
    --enable-indev=lavfi
    --enable-demuxer=mov,matroska,webm_dash_manifest,image2,image2pipe,png_pipe,rawvideo,yuv4mpegpipe,wav,aac,mp3,h264,hevc,ivf,nut,avi,mpegts,concat
    --enable-muxer=mp4,mov,ipod,matroska,webm,framecrc,framemd5,framehash,crc,md5,null,rawvideo,image2,yuv4mpegpipe,nut,wav,ivf,avi,mpegts
    --enable-decoder=h264,hevc,vp8,vp9,libaom_av1,mpeg4,mpeg2video,mjpeg,prores,png,ffv1,ffvhuff,huffyuv,utvideo,rawvideo,wrapped_avframe,v210,aac,mp3,opus,flac,vorbis,ac3,pcm_s16le,pcm_s24le,pcm_s32le,pcm_f32le
    --enable-encoder=libx264,libvpx_vp8,libvpx_vp9,libaom_av1,ffv1,png,rawvideo,wrapped_avframe,aac,flac,pcm_s16le,pcm_f32le
    --enable-parser=h264,hevc,aac,vp8,vp9,av1,png,mpeg4video,mpegvideo,mjpeg,opus,flac,vorbis,ac3,mpegaudio
    --enable-bsf=aac_adtstoasc,h264_mp4toannexb,hevc_mp4toannexb,vp9_superframe,extract_extradata,null
    --enable-filter=weft,scale,format,null,anull,copy,split,asplit,fps,setpts,asetpts,settb,trim,atrim,aformat,aresample,setsar,setdar,pad,crop,select,showinfo,framerate,minterpolate,testsrc,testsrc2,color,nullsrc,sine,anullsrc,concat,hwupload,hwdownload
)
edit_version=1 # bump when the source edits below change
key=$(printf '%s\n' "$version" "$edit_version" "${configure_flags[@]}" | sha256sum | cut -c1-12)
tree="$cache_root/$upstream-$key"
src="$tree/src"

if [ ! -f "$src/.weft-ready" ]; then
    note "fetching FFmpeg $version source (apt-get source)"
    rm -rf "$tree"
    mkdir -p "$tree/download"
    if ! (cd "$tree/download" && apt-get "${apt_opts[@]}" source --download-only "ffmpeg=$version" >>"$log" 2>&1); then
        note "apt-get source ffmpeg failed (see $log)"
        rm -rf "$tree"
        exit 77
    fi
    dsc=$(ls "$tree/download"/ffmpeg_*.dsc | head -n1)
    dpkg-source -x "$dsc" "$src" >>"$log" 2>&1
    rm -rf "$tree/download"
    # Register the filter: configure reads the filter list from allfilters.c.
    sed -i '/^extern const AVFilter ff_vf_w3fdif;/a extern const AVFilter ff_vf_weft;' \
        "$src/libavfilter/allfilters.c"
    sed -i '/^OBJS-\$(CONFIG_W3FDIF_FILTER)/a OBJS-$(CONFIG_WEFT_FILTER)                   += vf_weft.o' \
        "$src/libavfilter/Makefile"
    grep -q ff_vf_weft "$src/libavfilter/allfilters.c" && grep -q vf_weft.o "$src/libavfilter/Makefile" ||
        { note "could not add the filter to FFmpeg's source"; exit 1; }
    mkdir -p "$tree/include/weft"
    touch "$src/.weft-ready"
fi

# Replaces dst by src only when their contents differ (keeps make's timestamps meaningful).
install_if_changed() {
    cmp -s "$1" "$2" || cp "$1" "$2"
}

# ---- 2. the filter's sources: vf_weft.c, weft.h, and the generated option table --------
# The build tree's link flags (a sanitized libweft needs its runtime in the executable).
link_flags=()
sanitize=$(meson introspect "$build" --buildoptions 2>/dev/null |
    python3 -c 'import json,sys; print(next((o["value"] for o in json.load(sys.stdin) if o["name"] == "b_sanitize"), "none"))' 2>/dev/null || echo none)
if [ -n "$sanitize" ] && [ "$sanitize" != none ]; then
    link_flags+=("-fsanitize=$sanitize")
fi
weft_libs=(-L"$build" -lweft -Wl,-rpath,"$build")

gen="$out/gen_options"
cc -std=c11 -O1 -Wall -Wextra -I"$source_root/include" "${link_flags[@]}" "$here/gen_options.c" \
    -o "$gen" "${weft_libs[@]}"
"$gen" >"$out/vf_weft_options.h.tmp"
mv "$out/vf_weft_options.h.tmp" "$out/vf_weft_options.h"
install_if_changed "$out/vf_weft_options.h" "$src/libavfilter/vf_weft_options.h"
install_if_changed "$here/vf_weft.c" "$src/libavfilter/vf_weft.c"
install_if_changed "$source_root/include/weft/weft.h" "$tree/include/weft/weft.h"
install_if_changed "$source_root/include/weft/weft_vulkan.h" "$tree/include/weft/weft_vulkan.h"

# ---- 3. configure (once per cache folder) and build -------------------------------------
obj="$tree/obj"
if [ ! -f "$obj/.configured" ]; then
    note "configuring FFmpeg $upstream (log: $log)"
    rm -rf "$obj"
    mkdir -p "$obj"
    # libweft is given to the final link only (below), so configure needs no library.
    if ! (cd "$obj" && "$src/configure" "${configure_flags[@]}" \
        --extra-cflags="-I$tree/include" >>"$log" 2>&1); then
        note "FFmpeg's configure failed; the end of $log:"
        tail -n 20 "$log" >&2
        exit 1
    fi
    touch "$obj/.configured"
fi

start=$(date +%s)
note "building FFmpeg libraries (make -j$jobs; a first build takes a while, see $log)"
if ! make -C "$obj" -j"$jobs" libavutil/libavutil.a libswscale/libswscale.a \
    libswresample/libswresample.a libavcodec/libavcodec.a libavformat/libavformat.a \
    libavfilter/libavfilter.a libavdevice/libavdevice.a >>"$log" 2>&1; then
    note "building FFmpeg failed; the end of $log:"
    tail -n 30 "$log" >&2
    exit 1
fi
# Link the programs against this build tree's libweft, unless the ones there are newer than
# every library they are made of and were linked the same way.
stamp="$obj $(readlink -f "$build/libweft.so") ${weft_libs[*]} ${link_flags[*]}"
if [ -x "$out/ffmpeg" ] && [ -x "$out/ffprobe" ] && [ "$(cat "$out/link.stamp" 2>/dev/null)" = "$stamp" ] &&
    [ -z "$(find "$obj"/lib*/lib*.a "$(readlink -f "$build/libweft.so")" -newer "$out/ffmpeg" 2>/dev/null)" ]; then
    note "ffmpeg and ffprobe in $out are up to date"
    exit 0
fi
rm -f "$obj/ffmpeg" "$obj/ffmpeg_g" "$obj/ffprobe" "$obj/ffprobe_g"
if ! make -C "$obj" -j"$jobs" ffmpeg ffprobe \
    EXTRALIBS="${weft_libs[*]} ${link_flags[*]}" >>"$log" 2>&1; then
    note "linking ffmpeg failed; the end of $log:"
    tail -n 30 "$log" >&2
    exit 1
fi
for prog in ffmpeg ffprobe; do
    cp "$obj/$prog" "$out/$prog.tmp"
    mv "$out/$prog.tmp" "$out/$prog"
done
echo "$stamp" >"$out/link.stamp"
note "ffmpeg and ffprobe ($upstream, with weft) are in $out ($(($(date +%s) - start)) s)"
