/* Clocks for the benchmark programs: wall milliseconds, and the process's CPU milliseconds
 * (all threads, a Vulkan driver's too: on a shared, loaded machine the steadier figure). */
#ifndef WEFT_TESTS_BENCH_CLOCK_H
#define WEFT_TESTS_BENCH_CLOCK_H

#include <sys/resource.h>
#include <time.h>

static inline double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec * 1e-6;
}

static inline double cpu_ms(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
           (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-3;
}

#endif
