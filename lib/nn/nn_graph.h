/*
 * The graph executor: runs a model (nn_model.h) on a device, every layer as ops.
 *
 *   nn_graph_create()  checks every node (op known, attributes supported, weights of the
 *                      right shape), packs and uploads the weights once;
 *   nn_graph_plan()    infers every blob's shape for an input size and plans memory: blobs
 *                      whose lifetimes do not overlap share one buffer (split outputs alias
 *                      their input); graph inputs and outputs get buffers of their own;
 *   nn_graph_run()     runs the nodes in order (the caller uploads the inputs first and
 *                      downloads the outputs after).
 *
 * WEFT_NN_PROFILE=1 times every layer (waiting for the device after each): per-layer and
 * per-kind wall and process CPU milliseconds, averaged over the runs, go to stderr when the
 * graph is destroyed (the CPU figure is the one to compare on a loaded machine).
 *
 * Activations (every blob) are fp16 where nn_graph_fp16() says so, with the ops' _f16
 * shaders (fp32 arithmetic); weights stay fp32. Inputs and outputs are uploaded and
 * downloaded as floats either way (converted on the host).
 */
#ifndef WEFT_NN_NN_GRAPH_H
#define WEFT_NN_NN_GRAPH_H

#include "core/device.h"
#include "core/log.h"
#include "nn/nn_model.h"

typedef struct NnGraph NnGraph;

/* Whether a graph on d keeps its activations as fp16: only where d has 16-bit storage
 * buffers; by default on GPUs but not on CPU-hosted drivers (slower there);
 * WEFT_NN_FP16=1 forces it on (where the device can), WEFT_NN_FP16=0 off. */
int nn_graph_fp16(const Device *d);

/* The model must outlive the graph. */
int nn_graph_create(NnGraph **out, Device *d, const NnModel *m, Log *log);
void nn_graph_destroy(NnGraph **g);

/* Caps the memory a plan may take (bytes of blob storage; 0 = no cap, the default): a plan
 * over the cap fails with -E2BIG before anything is allocated. */
void nn_graph_set_limit(NnGraph *g, size_t bytes);

/* Plans for inputs of h x w; channels[i] is input i's channel count (NULL: the model's). */
int nn_graph_plan(NnGraph *g, const int *channels, int h, int w);
/* Device tensors of a graph input / output by blob name (NULL if none, or not planned). */
WeftTensor *nn_graph_input(NnGraph *g, const char *name);
WeftTensor *nn_graph_output(NnGraph *g, const char *name);
int nn_graph_run(NnGraph *g);

/* Statistics of the current plan: bytes of blob storage (planned, with reuse), bytes it
 * would take without reuse, and multiply-accumulates of the (de)convolutions per run. */
void nn_graph_stats(const NnGraph *g, size_t *bytes, size_t *bytes_no_reuse, double *macs);

#endif
