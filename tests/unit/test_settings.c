/* The settings table: documented defaults, weft_settings_set() on good and bad text,
 * "nothing changed on error", and weft_setting_info() listing every setting. Expected
 * values come from the documentation in include/weft/weft.h, not from the table. */
#include <errno.h>
#include <string.h>

#include "check.h"
#include "weft/weft.h"

static void test_defaults(void)
{
    WeftSettings s;
    memset(&s, 0x5a, sizeof(s)); /* defaults must overwrite every field */
    weft_default_settings(&s);
    CHECK(s.device == WEFT_DEVICE_AUTO);
    CHECK(s.device_name[0] == 0);
    CHECK(s.threads == 0);
    CHECK(s.fps.num == 0 && s.fps.den == 0);
    CHECK(s.factor == 2);
    CHECK(s.method == WEFT_METHOD_FLOW);
    CHECK(s.quality == WEFT_QUALITY_MEDIUM);
    CHECK(s.log_level == WEFT_LOG_INFO);
    CHECK(s.model[0] == 0);
    CHECK(s.log == NULL);
    CHECK(s.log_opaque == NULL);
    weft_default_settings(NULL); /* must not crash */
}

typedef struct RationalCase {
    const char *text;
    int64_t num, den;
} RationalCase;

static void test_fps_good(void)
{
    static const RationalCase cases[] = {
        {"60", 60, 1},
        {"60000/1001", 60000, 1001},
        {"30000/1001", 30000, 1001},
        {"24000/1001", 24000, 1001},
        {"59.94", 2997, 50}, /* 5994/100 reduced */
        {"29.97", 2997, 100},
        {"120/2", 60, 1},      /* reduced */
        {"23.976", 2997, 125}, /* 23976/1000 reduced */
        {"1000", 1000, 1},     /* top of the documented range */
        {"0.5", 1, 2},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        WeftSettings s;
        weft_default_settings(&s);
        int err = weft_settings_set(&s, "fps", cases[i].text);
        CHECK_MSG(err == 0, "fps=%s returned %d", cases[i].text, err);
        CHECK_MSG(s.fps.num == cases[i].num && s.fps.den == cases[i].den,
                  "fps=%s gave %lld/%lld, want %lld/%lld", cases[i].text, (long long)s.fps.num,
                  (long long)s.fps.den, (long long)cases[i].num, (long long)cases[i].den);
    }
}

typedef struct BadCase {
    const char *name, *value;
    int range_error_allowed; /* -ERANGE is as right as -EINVAL for this one */
} BadCase;

/* Every bad value must fail and leave the whole struct exactly as it was. */
static void test_bad_values(void)
{
    static const BadCase cases[] = {
        {"fps", "0", 1},
        {"fps", "-1", 1},
        {"fps", "abc", 0},
        {"fps", "", 0},
        {"fps", "60/0", 1},
        {"fps", "60/", 0},
        {"fps", "/1001", 0},
        {"fps", "60x", 0},
        {"fps", "1001", 1},
        {"fps", "0/5", 1},
        {"fps", "1e3", 0},
        {"fps", "60 fps", 0},
        {"fps", "-60000/1001", 1},
        {"fps", "59.", 0},
        {"fps", ".5", 0},
        {"fps", "99999999999999999999", 1},
        {"threads", "-1", 1},
        {"threads", "257", 1},
        {"threads", "abc", 0},
        {"threads", "", 0},
        {"threads", "4.5", 0},
        {"factor", "0", 1},
        {"factor", "65", 1},
        {"factor", "two", 0},
        {"device", "gpu2", 0},
        {"device", "", 0},
        {"device", "vulkan:", 0},
        {"device", "-3", 1},
        {"device", "256", 1},
        {"method", "dain", 0},
        {"method", "", 0},
        {"method", "FLOW", 0},
        {"quality", "ultra", 0},
        {"quality", "3", 0},
        {"content", "cartoon", 0},
        {"content", "1", 0},
        {"log-level", "loud", 0},
        {"no-such-setting", "1", 0},
        {"", "1", 0},
        {"FPS", "60", 0},
        {"fps ", "60", 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        WeftSettings s, before;
        weft_default_settings(&s);
        /* a non-default starting point, so "reset to default" would also be caught */
        CHECK(weft_settings_set(&s, "fps", "25") == 0);
        CHECK(weft_settings_set(&s, "threads", "3") == 0);
        CHECK(weft_settings_set(&s, "device", "cpu") == 0);
        memcpy(&before, &s, sizeof(s));
        int err = weft_settings_set(&s, cases[i].name, cases[i].value);
        int ok = err == -EINVAL || (cases[i].range_error_allowed && err == -ERANGE);
        CHECK_MSG(ok, "%s=\"%s\" returned %d (%s)", cases[i].name, cases[i].value, err,
                  weft_strerror(err));
        CHECK_MSG(memcmp(&before, &s, sizeof(s)) == 0, "%s=\"%s\" changed the settings",
                  cases[i].name, cases[i].value);
    }
    /* NULL arguments */
    WeftSettings s;
    weft_default_settings(&s);
    CHECK(weft_settings_set(NULL, "fps", "60") == -EINVAL);
    CHECK(weft_settings_set(&s, NULL, "60") == -EINVAL);
    CHECK(weft_settings_set(&s, "fps", NULL) == -EINVAL);
}

/* Values documented as out of range must say so with -ERANGE. */
static void test_range_errors(void)
{
    static const BadCase cases[] = {
        {"threads", "257", 1},
        {"factor", "65", 1},
        {"factor", "0", 1},
        {"fps", "1001", 1},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        WeftSettings s;
        weft_default_settings(&s);
        int err = weft_settings_set(&s, cases[i].name, cases[i].value);
        CHECK_MSG(err == -ERANGE, "%s=%s returned %d, want -ERANGE", cases[i].name, cases[i].value,
                  err);
    }
}

static void test_good_values(void)
{
    WeftSettings s;
    weft_default_settings(&s);
    CHECK(weft_settings_set(&s, "device", "cpu") == 0 && s.device == WEFT_DEVICE_CPU);
    CHECK(weft_settings_set(&s, "device", "auto") == 0 && s.device == WEFT_DEVICE_AUTO);
    CHECK(weft_settings_set(&s, "device", "vulkan") == 0 && s.device == 0);
    CHECK(weft_settings_set(&s, "device", "vulkan:1") == 0 && s.device == 1);
    CHECK(weft_settings_set(&s, "device", "3") == 0 && s.device == 3);
    CHECK(weft_settings_set(&s, "device", "vulkan:llvmpipe") == 0 &&
          strcmp(s.device_name, "llvmpipe") == 0);
    /* a name longer than the field cannot be stored: an error, not a truncation */
    char long_name[200] = "vulkan:";
    memset(long_name + 7, 'x', sizeof(long_name) - 8);
    long_name[sizeof(long_name) - 1] = 0;
    WeftSettings before = s;
    CHECK(weft_settings_set(&s, "device", long_name) < 0);
    CHECK(memcmp(&before, &s, sizeof(s)) == 0);

    CHECK(weft_settings_set(&s, "threads", "0") == 0 && s.threads == 0);
    CHECK(weft_settings_set(&s, "threads", "256") == 0 && s.threads == 256);
    CHECK(weft_settings_set(&s, "factor", "1") == 0 && s.factor == 1);
    CHECK(weft_settings_set(&s, "factor", "64") == 0 && s.factor == 64);
    CHECK(weft_settings_set(&s, "method", "blend") == 0 && s.method == WEFT_METHOD_BLEND);
    CHECK(weft_settings_set(&s, "method", "rife") == 0 && s.method == WEFT_METHOD_RIFE);
    CHECK(weft_settings_set(&s, "method", "flow") == 0 && s.method == WEFT_METHOD_FLOW);
    CHECK(weft_settings_set(&s, "model", "/models/rife-v4.6.weft") == 0 &&
          strcmp(s.model, "/models/rife-v4.6.weft") == 0);
    /* a path longer than the field: an error, not a truncated path */
    char long_path[sizeof(s.model) + 10];
    memset(long_path, 'm', sizeof(long_path) - 1);
    long_path[sizeof(long_path) - 1] = 0;
    before = s;
    CHECK(weft_settings_set(&s, "model", long_path) < 0);
    CHECK(memcmp(&before, &s, sizeof(s)) == 0);
    CHECK(weft_settings_set(&s, "quality", "fast") == 0 && s.quality == WEFT_QUALITY_FAST);
    CHECK(weft_settings_set(&s, "quality", "high") == 0 && s.quality == WEFT_QUALITY_HIGH);
    CHECK(s.content == WEFT_CONTENT_LIVE);
    CHECK(weft_settings_set(&s, "content", "anime") == 0 && s.content == WEFT_CONTENT_ANIME);
    CHECK(weft_settings_set(&s, "content", "live") == 0 && s.content == WEFT_CONTENT_LIVE);
    CHECK(weft_settings_set(&s, "log-level", "debug") == 0 && s.log_level == WEFT_LOG_DEBUG);
    CHECK(weft_settings_set(&s, "log-level", "error") == 0 && s.log_level == WEFT_LOG_ERROR);
    /* a setting does not disturb the others */
    WeftSettings a;
    weft_default_settings(&a);
    CHECK(weft_settings_set(&a, "factor", "4") == 0);
    WeftSettings b;
    weft_default_settings(&b);
    b.factor = 4;
    CHECK(memcmp(&a, &b, sizeof(a)) == 0);
}

static void test_setting_info(void)
{
    static const char *const documented[] = {"device", "threads", "fps",     "factor",
                                             "method", "model",   "quality", "content",
                                             "log-level"};
    int count = 0;
    while (weft_setting_info(count) && count < 1000)
        count++;
    CHECK(count >= (int)(sizeof(documented) / sizeof(documented[0])));
    CHECK(weft_setting_info(-1) == NULL);
    CHECK(weft_setting_info(count) == NULL);
    for (size_t d = 0; d < sizeof(documented) / sizeof(documented[0]); d++) {
        int found = 0;
        for (int i = 0; i < count; i++)
            found += strcmp(weft_setting_info(i)->name, documented[d]) == 0;
        CHECK_MSG(found == 1, "setting '%s' listed %d times", documented[d], found);
    }
    WeftSettings from_table, defaults;
    weft_default_settings(&defaults);
    weft_default_settings(&from_table);
    for (int i = 0; i < count; i++) {
        const WeftSettingInfo *info = weft_setting_info(i);
        CHECK(info->name && info->name[0]);
        CHECK_MSG(info->help && strlen(info->help) > 5, "%s has no help", info->name);
        CHECK_MSG(info->range && info->range[0], "%s has no range", info->name);
        CHECK(info->default_value != NULL);
        for (int j = 0; j < i; j++)
            CHECK_MSG(strcmp(info->name, weft_setting_info(j)->name) != 0, "%s twice", info->name);
        /* names are what a CLI option is made of: lower case, digits and '-' only */
        for (const char *p = info->name; *p; p++)
            CHECK_MSG((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-',
                      "odd character in setting name %s", info->name);
        /* the listed default, set by name, is accepted and gives the default struct */
        if (info->default_value && info->default_value[0])
            CHECK_MSG(weft_settings_set(&from_table, info->name, info->default_value) == 0,
                      "default %s=%s rejected", info->name, info->default_value);
    }
    CHECK(memcmp(&from_table, &defaults, sizeof(defaults)) == 0);
}

int main(void)
{
    test_defaults();
    test_fps_good();
    test_bad_values();
    test_range_errors();
    test_good_values();
    test_setting_info();
    return check_result("test_settings");
}
