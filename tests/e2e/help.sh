#!/usr/bin/env bash
# --help: the command list, and for each command every option with its default, including
# the library's settings (which come from its settings table).
. "$(dirname "$0")/common.sh"
need_tools
make_workdir

if "$WEFT" --help >help.txt 2>help.err && [ ! -s help.err ]; then
    for cmd in interpolate flow retime; do
        grep -q "^  $cmd " help.txt && pass "weft --help lists $cmd" ||
            fail "weft --help does not list $cmd"
    done
else
    fail "weft --help failed or wrote to stderr"
fi

"$WEFT" --version | grep -Eq '^weft [0-9]+\.[0-9]+\.[0-9]+' && pass "--version" ||
    fail "--version: $("$WEFT" --version 2>&1)"

check_options() { # COMMAND OPTION...
    local cmd=$1
    shift
    if ! "$WEFT" "$cmd" --help >"$cmd.raw" 2>&1; then
        fail "weft $cmd --help failed"
        return
    fi
    # join wrapped help text (continuation lines start with spaces only) to one line each
    awk '/^  -/ { if (line) print line; line = $0; next }
         /^   / && line { sub(/^ +/, " "); line = line $0; next }
         { if (line) print line; line = ""; print }
         END { if (line) print line }' "$cmd.raw" >"$cmd.txt"
    for opt in "$@"; do
        if grep -E "^  -" "$cmd.txt" | grep -Eq -- "(^|[ ,])$opt([ =,]|$)"; then
            pass "$cmd --help lists $opt"
        else
            fail "$cmd --help does not list $opt"
        fi
    done
    # every option line says its default (help itself excepted)
    local missing
    missing=$(grep -E '^  -' "$cmd.txt" | grep -v -- '--help' | grep -v '(default: ')
    [ -z "$missing" ] && pass "$cmd: every option shows its default" ||
        fail "$cmd: options without a default: $missing"
}

check_options interpolate -o -t --device --quality --threads --method
check_options flow -o --backward --device --quality --threads
check_options retime -o --fps --factor -c:v --crf --device --quality --threads --method

# the defaults shown are the library's
grep -q -- '--device VALUE.*(default: auto)' retime.txt && pass "device default is auto" ||
    fail "retime --help: device default not 'auto'"
grep -q -- '--quality VALUE.*(default: medium)' retime.txt && pass "quality default is medium" ||
    fail "retime --help: quality default not 'medium'"

# settings that mean nothing to a command are not offered there
grep -q -- '--fps' interpolate.txt && fail "interpolate --help offers --fps" ||
    pass "interpolate --help leaves out --fps"

finish
