#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "cpu/thread_pool.h"

struct ThreadPool {
    int threads;
    pthread_t *workers;
    int num_workers;
    pthread_mutex_t lock;
    pthread_cond_t wake, done;
    /* current job */
    PoolFn fn;
    void *ctx;
    int rows, chunk;
    atomic_int next_row;
    int open;            /* workers may still join the current job */
    int active;          /* workers inside the current job */
    unsigned generation; /* bumped per job so workers see new work */
    int quit;
};

static void work(ThreadPool *p)
{
    for (;;) {
        int begin = atomic_fetch_add(&p->next_row, p->chunk);
        if (begin >= p->rows)
            return;
        int end = begin + p->chunk < p->rows ? begin + p->chunk : p->rows;
        p->fn(p->ctx, begin, end);
    }
}

/* A worker joins a job only while it is open and is counted while inside it; pool_run
 * closes the job once every row is taken and the workers inside have left. So the caller
 * never waits for a worker that has not woken up yet (on a busy machine that can take a
 * scheduler tick per job, for jobs that take microseconds): it does the rows itself. */
static void *worker_main(void *arg)
{
    ThreadPool *p = arg;
    unsigned seen = 0;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (!p->quit && p->generation == seen)
            pthread_cond_wait(&p->wake, &p->lock);
        if (p->quit)
            break;
        seen = p->generation;
        if (!p->open)
            continue; /* finished without this worker */
        p->active++;
        pthread_mutex_unlock(&p->lock);
        work(p);
        pthread_mutex_lock(&p->lock);
        if (--p->active == 0)
            pthread_cond_signal(&p->done);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

int pool_create(ThreadPool **out, int threads)
{
    if (!out || threads < 1)
        return -EINVAL;
    ThreadPool *p = calloc(1, sizeof(*p));
    if (!p)
        return -ENOMEM;
    p->threads = threads;
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->wake, NULL);
    pthread_cond_init(&p->done, NULL);
    if (threads > 1) {
        p->workers = calloc((size_t)threads - 1, sizeof(*p->workers));
        if (!p->workers) {
            pool_destroy(&p);
            return -ENOMEM;
        }
        for (int i = 0; i < threads - 1; i++) {
            if (pthread_create(&p->workers[i], NULL, worker_main, p) != 0)
                break;
            p->num_workers++;
        }
    }
    *out = p;
    return 0;
}

void pool_destroy(ThreadPool **pool)
{
    if (!pool || !*pool)
        return;
    ThreadPool *p = *pool;
    pthread_mutex_lock(&p->lock);
    p->quit = 1;
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->lock);
    for (int i = 0; i < p->num_workers; i++)
        pthread_join(p->workers[i], NULL);
    free(p->workers);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->wake);
    pthread_cond_destroy(&p->done);
    free(p);
    *pool = NULL;
}

int pool_threads(const ThreadPool *pool)
{
    return pool ? pool->num_workers + 1 : 1;
}

void pool_run(ThreadPool *p, int rows, PoolFn fn, void *ctx)
{
    if (rows <= 0)
        return;
    /* 16 chunks a thread: when a thread is preempted (a machine shared with other work),
     * the others are left waiting on one short chunk at most */
    int parts = (p->num_workers + 1) * 16;
    int chunk = (rows + parts - 1) / parts;
    if (p->num_workers == 0 || rows == 1) {
        fn(ctx, 0, rows);
        return;
    }
    pthread_mutex_lock(&p->lock);
    p->fn = fn;
    p->ctx = ctx;
    p->rows = rows;
    p->chunk = chunk < 1 ? 1 : chunk;
    atomic_store(&p->next_row, 0);
    p->open = 1;
    p->generation++;
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->lock);
    work(p);
    /* every row is taken; wait for the rows workers are still running */
    pthread_mutex_lock(&p->lock);
    while (p->active > 0)
        pthread_cond_wait(&p->done, &p->lock);
    p->open = 0;
    pthread_mutex_unlock(&p->lock);
}
