/* The one function every fuzz target defines (libFuzzer's entry point). The same source
 * builds two ways: with -fsanitize=fuzzer (clang, -Dfuzzing=true) libFuzzer supplies main();
 * otherwise replay_main.c does, feeding each file of a corpus so CI replays it. A target
 * reports a broken property with abort(), which both ways turn into a failure. */
#ifndef WEFT_FUZZ_TARGET_H
#define WEFT_FUZZ_TARGET_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A property every input must keep; prints what broke before aborting. */
#define FUZZ_ASSERT(cond)                                                                          \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: property broken: %s\n", __FILE__, __LINE__, #cond);            \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

#endif
