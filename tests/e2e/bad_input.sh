#!/usr/bin/env bash
# Bad input: each case must give exactly one line on stderr naming the problem, an exit
# status of 1..125 (not a signal), and leave no output file (nor a temporary one) behind.
. "$(dirname "$0")/common.sh"
need_tools
make_workdir

mkdir in out
gen -f lavfi -i testsrc2=size=160x120 -frames:v 1 in/a.png
gen -f lavfi -i testsrc2=size=160x120 -ss 0.5 -frames:v 1 in/b.png
gen -f lavfi -i testsrc2=size=96x64 -frames:v 1 in/small.png
gen -f lavfi -i "testsrc2=size=320x240:rate=30" -f lavfi -i sine=frequency=440 -t 1 \
    -c:v libx264 -preset ultrafast -c:a aac -shortest in/clip.mp4
gen -f lavfi -i sine=frequency=440 -t 1 in/tone.wav
head -c 4096 /dev/urandom >in/random.png
# a truncated PNG: the signature and header survive, the image data does not
size=$(stat -c %s in/a.png)
head -c $((size / 3)) in/a.png >in/truncated.png
echo "just text" >in/notes.txt

# expect_error DESCRIPTION OUTPUT_NAME EXPECTED_WORD -- weft arguments...
expect_error() {
    local what=$1 output=$2 word=$3
    shift 4
    rm -rf out/* out/.[!.]* 2>/dev/null
    "$WEFT" "$@" >out.stdout 2>out.stderr
    local status=$?
    local lines
    lines=$(wc -l <out.stderr)
    local message
    message=$(head -n 1 out.stderr)
    if [ $status -eq 0 ]; then
        fail "$what: exit status 0"
    elif [ $status -gt 125 ]; then
        fail "$what: exit status $status (a signal?)"
    elif [ "$lines" -ne 1 ]; then
        fail "$what: $lines lines on stderr, want 1: $(tr '\n' '|' <out.stderr)"
    elif ! grep -qi -- "$word" out.stderr; then
        fail "$what: message does not name the problem ('$word'): $message"
    elif [ -n "$(leftovers out)" ]; then
        fail "$what: left files behind: $(leftovers out | tr '\n' ' ')"
    elif [ -n "$(leftovers in a.png b.png small.png clip.mp4 tone.wav random.png truncated.png \
        notes.txt)" ]; then
        fail "$what: wrote into the input folder: $(leftovers in a.png b.png small.png \
            clip.mp4 tone.wav random.png truncated.png notes.txt | tr '\n' ' ')"
    else
        pass "$what: status $status, '$message'"
    fi
}

O=out/o.png
expect_error "random bytes as png" $O random.png -- interpolate in/random.png in/b.png -o $O
expect_error "truncated png" $O truncated.png -- interpolate in/a.png in/truncated.png -o $O
expect_error "missing file" $O missing.png -- interpolate in/missing.png in/b.png -o $O
expect_error "different sizes" $O small.png -- interpolate in/a.png in/small.png -o $O
expect_error "-t 1.5" $O 1.5 -- interpolate in/a.png in/b.png -t 1.5 -o $O
expect_error "-t abc" $O abc -- interpolate in/a.png in/b.png -t abc -o $O
expect_error "-t 0" $O "'0'" -- interpolate in/a.png in/b.png -t 0 -o $O
expect_error "unknown option" $O bogus -- interpolate in/a.png in/b.png --bogus -o $O
expect_error "bad setting value" $O ultra -- interpolate in/a.png in/b.png --quality ultra -o $O
expect_error "no output name" $O output -- interpolate in/a.png in/b.png
expect_error "unknown image type" out/o.xyz xyz -- interpolate in/a.png in/b.png -o out/o.xyz
expect_error "output folder missing" out/none/o.png none -- interpolate in/a.png in/b.png \
    --method blend -o out/none/o.png

F=out/o.flo
expect_error "flow: random bytes" $F random.png -- flow in/random.png in/b.png -o $F
expect_error "flow: different sizes" $F small.png -- flow in/small.png in/b.png -o $F
expect_error "flow: missing file" $F missing.png -- flow in/a.png in/missing.png -o $F \
    --backward out/b.flo

V=out/o.mp4
expect_error "retime --fps 0" $V fps -- retime in/clip.mp4 --fps 0 -o $V
expect_error "retime --fps -5" $V fps -- retime in/clip.mp4 --fps -5 -o $V
expect_error "retime --factor 0" $V factor -- retime in/clip.mp4 --factor 0 -o $V
expect_error "retime with --fps and --factor" $V factor -- retime in/clip.mp4 --fps 60 \
    --factor 2 -o $V
expect_error "retime of audio only" $V tone.wav -- retime in/tone.wav --fps 60 -o $V
expect_error "retime of a text file" $V notes.txt -- retime in/notes.txt --fps 60 -o $V
expect_error "retime of random bytes" $V random.png -- retime in/random.png --fps 60 -o $V
expect_error "retime: unknown container" out/o.xyz xyz -- retime in/clip.mp4 --fps 60 \
    -o out/o.xyz
expect_error "retime: unknown encoder" $V nope -- retime in/clip.mp4 --fps 60 -c:v nope -o $V
expect_error "retime: bad crf" $V crf -- retime in/clip.mp4 --fps 60 --crf x -o $V
expect_error "retime: --input-rate on a video" $V input-rate -- retime in/clip.mp4 --fps 60 \
    --input-rate 10 -o $V
expect_error "unknown command" $V frobnicate -- frobnicate in/clip.mp4

# Interrupted: SIGINT mid-run must leave no output and no temporary file, and exit 1.
rm -rf out/* out/.[!.]* 2>/dev/null
gen -f lavfi -i "testsrc2=size=640x360:rate=30" -t 20 -c:v libx264 -preset ultrafast \
    in/long.mp4
"$WEFT" retime in/long.mp4 --fps 60 --device cpu -o out/long.mp4 2>out.stderr &
pid=$!
sleep 1.5
if kill -0 $pid 2>/dev/null; then
    kill -INT $pid
    wait $pid
    status=$?
    if [ $status -eq 0 ] || [ $status -gt 125 ]; then
        fail "SIGINT: exit status $status"
    elif [ -n "$(leftovers out)" ]; then
        fail "SIGINT: left files behind: $(leftovers out | tr '\n' ' ')"
    elif [ "$(wc -l <out.stderr)" -ne 1 ]; then
        fail "SIGINT: stderr is not one line: $(tr '\n' '|' <out.stderr)"
    else
        pass "SIGINT: status $status, '$(cat out.stderr)', nothing left behind"
    fi
else
    wait $pid
    echo "note: retime ended within 1.5 s; SIGINT not tested"
fi

finish
