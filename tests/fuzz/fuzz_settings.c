/* Fuzz target: weft_settings_set() and the rational parser behind it, on arbitrary text.
 * Input: "NAME=VALUE" sets one setting by name; input without '=' is tried as the value of
 * every setting in the table. Properties checked on every input:
 * - the result is 0, -EINVAL or -ERANGE;
 * - on error the settings are unchanged, byte for byte;
 * - on success a frame rate is a reduced fraction in (0, 1000], and the same setting on top
 *   of complete settings (an output rate and a model given) passes the validation
 *   weft_open() applies;
 * - the rational parser, given the whole input, returns a reduced positive fraction or an
 *   error. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/settings.h"
#include "fuzz_target.h"
#include "weft/weft.h"

static int64_t gcd64(int64_t a, int64_t b)
{
    while (b) {
        int64_t r = a % b;
        a = b;
        b = r;
    }
    return a;
}

static void check_rational(WeftRational r)
{
    FUZZ_ASSERT(r.num > 0 && r.den > 0);
    FUZZ_ASSERT(gcd64(r.num, r.den) == 1);
}

/* Settings with every optional dependency filled in (an output rate, a model file), so that
 * any one setting accepted on top of them must leave a configuration weft_open() accepts.
 * (From the bare defaults it need not: method rife alone still needs a model, a speed
 * needs an output rate; those come from separate calls.) */
static void complete_settings(WeftSettings *s)
{
    weft_default_settings(s);
    FUZZ_ASSERT(weft_settings_set(s, "fps", "30") == 0);
    FUZZ_ASSERT(weft_settings_set(s, "model", "model.weft") == 0);
}

static void try_setting(const char *name, const char *value)
{
    const Log quiet = {.callback = NULL, .opaque = NULL, .level = -1};
    WeftSettings s, before;
    weft_default_settings(&s);
    memcpy(&before, &s, sizeof(s));
    int err = weft_settings_set(&s, name, value);
    FUZZ_ASSERT(err == 0 || err == -EINVAL || err == -ERANGE);
    if (err < 0) {
        FUZZ_ASSERT(memcmp(&before, &s, sizeof(s)) == 0);
        return;
    }
    if (s.fps.num || s.fps.den) {
        check_rational(s.fps);
        FUZZ_ASSERT(s.fps.num <= 1000 * s.fps.den);
    }
    FUZZ_ASSERT(memchr(s.device_name, 0, sizeof(s.device_name)) != NULL);
    FUZZ_ASSERT(memchr(s.model, 0, sizeof(s.model)) != NULL);

    complete_settings(&s);
    FUZZ_ASSERT(settings_validate(&s, &quiet) == 0);
    err = weft_settings_set(&s, name, value);
    FUZZ_ASSERT(err == 0); /* accepted once, accepted again */
    /* setting the model to "" is the one way to undo the completion */
    if (s.method == WEFT_METHOD_RIFE && !s.model[0])
        return;
    FUZZ_ASSERT(settings_validate(&s, &quiet) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = 0; /* the API takes C strings: text ends at the first NUL */

    WeftRational r = {0, 0};
    if (settings_parse_rational(text, &r) == 0)
        check_rational(r);

    char *equals = strchr(text, '=');
    if (equals) {
        *equals = 0;
        try_setting(text, equals + 1);
    } else {
        for (int i = 0; weft_setting_info(i); i++)
            try_setting(weft_setting_info(i)->name, text);
    }
    free(text);
    return 0;
}
