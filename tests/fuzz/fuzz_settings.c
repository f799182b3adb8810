/* Fuzz target: weft_settings_set() and the rational parser behind it, on arbitrary text.
 * Input: "NAME=VALUE" sets one setting by name; input without '=' is tried as the value of
 * every setting in the table. Properties checked on every input:
 * - the result is 0, -EINVAL or -ERANGE;
 * - on error the settings are unchanged, byte for byte;
 * - on success the settings pass the same validation weft_open() applies (once a rife
 *   method has its model), and a frame rate is a reduced fraction in (0, 1000];
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

static void try_setting(const char *name, const char *value)
{
    WeftSettings s, before;
    weft_default_settings(&s);
    memcpy(&before, &s, sizeof(s));
    int err = weft_settings_set(&s, name, value);
    FUZZ_ASSERT(err == 0 || err == -EINVAL || err == -ERANGE);
    if (err < 0) {
        FUZZ_ASSERT(memcmp(&before, &s, sizeof(s)) == 0);
        return;
    }
    const Log quiet = {.callback = NULL, .opaque = NULL, .level = -1};
    /* One setting alone may leave a combination that needs another (method rife needs a
     * model, which a separate call sets): complete it, as a caller would, then validate. */
    if (s.method == WEFT_METHOD_RIFE && !s.model[0])
        snprintf(s.model, sizeof(s.model), "model.weft");
    FUZZ_ASSERT(settings_validate(&s, &quiet) == 0);
    if (s.fps.num || s.fps.den) {
        check_rational(s.fps);
        FUZZ_ASSERT(s.fps.num <= 1000 * s.fps.den);
    }
    FUZZ_ASSERT(memchr(s.device_name, 0, sizeof(s.device_name)) != NULL);
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
