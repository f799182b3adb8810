#ifndef WEFT_CORE_SETTINGS_H
#define WEFT_CORE_SETTINGS_H

#include "core/log.h"
#include "weft/weft.h"

/* "60", "60000/1001", "59.94" -> reduced rational > 0. -EINVAL / -ERANGE. */
int settings_parse_rational(const char *v, WeftRational *out);
/* Checks a settings struct filled by hand; logs the failed condition. */
int settings_validate(const WeftSettings *s, const Log *log);

#endif
