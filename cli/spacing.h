/* Animators' spacing: where N in-betweens sit between two keys (a timing chart). */
#ifndef WEFT_CLI_SPACING_H
#define WEFT_CLI_SPACING_H

#include <stddef.h>

#define SPACING_MAX 999

/* Parses a spacing SPEC into *n times t[0..*n-1], strictly increasing in (0, 1):
 *   even        t_k = u_k = k / (N + 1), k = 1..N
 *   ease-out    slow out of KEY1 (drawings bunch up near KEY1): t = u^2
 *   ease-in     slow in to KEY2 (drawings bunch up near KEY2): t = 1 - (1 - u)^2
 *   ease        slow out and slow in: t = u^2 (3 - 2u)
 *   favor:F     favour a key, 0 < F < 1: the middle of the chart sits at F instead of 0.5
 *               (t = u^p, p = log F / log 0.5; F < 0.5 favours KEY1)
 *   t:T1,T2,... the times themselves
 * *n: the number asked for (-n), or 0 if not given (then only t: can say how many).
 * On error returns -1 with a one-line reason in `why`. */
int spacing_parse(const char *spec, int *n, double *t, char *why, size_t why_size);

#endif
