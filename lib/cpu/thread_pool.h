/* A fixed pool of worker threads that runs a function over a range of independent rows.
 * The calling thread works too; pool_run returns when every row is done. Rows are handed
 * out in chunks from an atomic counter, so the split does not change results. */
#ifndef WEFT_CPU_THREAD_POOL_H
#define WEFT_CPU_THREAD_POOL_H

typedef struct ThreadPool ThreadPool;
typedef void (*PoolFn)(void *ctx, int row_begin, int row_end);

/* threads: total threads including the caller (1 = no workers). */
int pool_create(ThreadPool **out, int threads);
void pool_destroy(ThreadPool **pool);
int pool_threads(const ThreadPool *pool);
void pool_run(ThreadPool *pool, int rows, PoolFn fn, void *ctx);

#endif
