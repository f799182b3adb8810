/* The thread pool (lib/cpu/thread_pool.h): for many row counts and thread counts, every
 * row is visited exactly once, ranges are well-formed, pool_run returns only when all rows
 * are done, and a pool is reusable for many jobs in a row. */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cpu/thread_pool.h"

typedef struct Visits {
    atomic_int *count; /* per row */
    int rows;
    atomic_int bad_ranges;
    atomic_int calls;
} Visits;

static void visit_rows(void *ctx, int row_begin, int row_end)
{
    Visits *v = ctx;
    atomic_fetch_add(&v->calls, 1);
    if (row_begin < 0 || row_end > v->rows || row_begin >= row_end) {
        atomic_fetch_add(&v->bad_ranges, 1);
        return;
    }
    for (int r = row_begin; r < row_end; r++)
        atomic_fetch_add(&v->count[r], 1);
}

static void run_once(ThreadPool *pool, int rows, int threads)
{
    Visits v;
    memset(&v, 0, sizeof(v));
    v.rows = rows;
    v.count = calloc(rows > 0 ? (size_t)rows : 1, sizeof(*v.count));
    if (!v.count) {
        CHECK_MSG(0, "out of memory");
        return;
    }
    pool_run(pool, rows, visit_rows, &v);
    /* read right after pool_run returns: every row must already be counted */
    int wrong = 0;
    for (int r = 0; r < rows; r++)
        wrong += atomic_load(&v.count[r]) != 1;
    CHECK_MSG(wrong == 0, "%d threads, %d rows: %d rows not visited exactly once", threads, rows,
              wrong);
    CHECK_MSG(atomic_load(&v.bad_ranges) == 0, "%d threads, %d rows: bad ranges", threads, rows);
    if (rows <= 0)
        CHECK_MSG(atomic_load(&v.calls) == 0, "%d rows: function called", rows);
    free(v.count);
}

/* Each row writes a value that depends only on the row: the result is the same for any
 * number of threads (the determinism the C path promises rests on this). */
typedef struct Squares {
    long long *out;
} Squares;

static void square_rows(void *ctx, int row_begin, int row_end)
{
    Squares *s = ctx;
    for (int r = row_begin; r < row_end; r++)
        s->out[r] = (long long)r * r;
}

static void test_results(ThreadPool *pool, int threads)
{
    enum { ROWS = 1000 };
    Squares s = {calloc(ROWS, sizeof(long long))};
    if (!s.out) {
        CHECK_MSG(0, "out of memory");
        return;
    }
    pool_run(pool, ROWS, square_rows, &s);
    int wrong = 0;
    for (int r = 0; r < ROWS; r++)
        wrong += s.out[r] != (long long)r * r;
    CHECK_MSG(wrong == 0, "%d threads: %d rows wrong", threads, wrong);
    free(s.out);
}

int main(void)
{
    static const int thread_counts[] = {1, 2, 3, 4, 7, 16};
    static const int row_counts[] = {-5, 0,  1,  2,  3,  4,   5,   7,    8,    15,   16,
                                     17, 31, 63, 64, 65, 100, 127, 1000, 1079, 1080, 4321};
    for (size_t t = 0; t < sizeof(thread_counts) / sizeof(thread_counts[0]); t++) {
        int threads = thread_counts[t];
        ThreadPool *pool = NULL;
        int err = pool_create(&pool, threads);
        CHECK_MSG(err == 0 && pool, "pool_create(%d): %d", threads, err);
        if (err < 0)
            continue;
        CHECK_MSG(pool_threads(pool) >= 1 && pool_threads(pool) <= threads,
                  "pool_threads = %d for %d", pool_threads(pool), threads);
        for (int repeat = 0; repeat < 3; repeat++)
            for (size_t r = 0; r < sizeof(row_counts) / sizeof(row_counts[0]); r++)
                run_once(pool, row_counts[r], threads);
        /* many short jobs back to back: catches lost wake-ups and early returns */
        for (int i = 0; i < 2000; i++)
            run_once(pool, 1 + i % 37, threads);
        test_results(pool, threads);
        pool_destroy(&pool);
        CHECK(pool == NULL);
    }
    /* argument checks */
    ThreadPool *pool = NULL;
    CHECK(pool_create(&pool, 0) == -EINVAL);
    CHECK(pool_create(&pool, -1) == -EINVAL);
    CHECK(pool_create(NULL, 2) == -EINVAL);
    pool_destroy(&pool);
    pool_destroy(NULL);
    /* a pool created and destroyed without ever running a job */
    for (int i = 0; i < 20; i++) {
        CHECK(pool_create(&pool, 4) == 0);
        pool_destroy(&pool);
    }
    return check_result("test_thread_pool");
}
