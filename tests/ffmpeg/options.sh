#!/usr/bin/env bash
# The filter's options are the library's settings: `ffmpeg -h filter=weft` lists every one
# with its default, and bad options fail when the filter is set up, with a clear message.
. "$(dirname "$0")/common.sh"

"$ffmpeg" -hide_banner -h filter=weft >"$tmp/help" 2>&1 || fail "ffmpeg -h filter=weft failed"
grep -q "^Filter weft" "$tmp/help" || fail "no filter weft: $(head -3 "$tmp/help")"
# every setting of the library's table (read through weft_setting_info()), with its default
"$build/ffmpeg/gen_options" --list >"$tmp/settings"
names=$(cut -f1 "$tmp/settings")
[ -n "$names" ] || fail "no settings read from the library"
for name in $names; do
    grep -q "^  *$name  *<string>" "$tmp/help" || fail "option '$name' is not in the help"
    default=$(awk -F'\t' -v n="$name" '$1 == n { print $2 }' "$tmp/settings")
    if [ -n "$default" ]; then
        grep "^  *$name  *<string>" "$tmp/help" | grep -qF "(default \"$default\")" ||
            fail "option '$name': default '$default' is not in the help"
    fi
done
echo "ok: -h filter=weft lists $(echo $names | wc -w) options: $(echo $names)"

# expect_failure FILTER MESSAGE: ffmpeg fails (before any frame) and says MESSAGE
expect_failure() {
    local filter=$1 message=$2
    if "$ffmpeg" -nostdin -hide_banner -f lavfi -i "testsrc2=r=25:d=1:s=64x48" -vf "$filter" \
        -f null - >"$tmp/out" 2>&1; then
        fail "'$filter' did not fail"
    fi
    grep -qF -- "$message" "$tmp/out" || fail "'$filter': no '$message' in: $(cat "$tmp/out")"
    grep -q "Error initializing filter 'weft'\|Error applying option\|Error reinitializing filters" \
        "$tmp/out" || fail "'$filter' did not fail at filter init: $(cat "$tmp/out")"
    echo "ok: $filter -> $message"
}

expect_failure "weft=fps=abc" "Invalid value 'abc' for option 'fps'"
expect_failure "weft=fps=0" "Invalid value '0' for option 'fps'"
expect_failure "weft=factor=100" "Invalid value '100' for option 'factor'"
expect_failure "weft=method=magic" "Invalid value 'magic' for option 'method'"
expect_failure "weft=nosuchoption=1" "Option 'nosuchoption' not found"
expect_failure "weft=fps=50:factor=3" "Give fps or factor, not both"
# a network method with a model file that is not there
if echo "$names" | grep -qx model && grep -q "^  *method .*rife" "$tmp/help"; then
    expect_failure "weft=method=rife:model=$tmp/missing.weft" "missing.weft"
    expect_failure "weft=method=rife:model=$tmp/missing.weft" "Cannot open libweft"
else
    echo "note: the library has no network method with a model setting; that case waits for it"
fi
