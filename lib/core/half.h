/* IEEE binary16 <-> binary32 (round to nearest even; overflow to infinity, NaN kept). */
#ifndef WEFT_CORE_HALF_H
#define WEFT_CORE_HALF_H

#include <stdint.h>

float half_to_float(uint16_t h);
uint16_t float_to_half(float f);

#endif
