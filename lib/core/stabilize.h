/* The stabilisation stage of the stream API: pass 1 (weft_stabilize_analyse) measures the
 * camera path and plans the correction of every picture; pass 2 (weft_send_picture with
 * settings.stabilize) renders each source picture stabilised, a few pictures behind the
 * input so that neighbours on both sides can fill its borders, and hands it to the
 * retiming pipeline as if it were the source. */
#ifndef WEFT_CORE_STABILIZE_H
#define WEFT_CORE_STABILIZE_H

#include "stab/stab_matrix.h"

struct StabStage;
struct WeftContext;
void stab_stage_destroy(struct StabStage **s);
/* The plan made by pass 1 (for tests and diagnostics): the number of pictures, the
 * measured camera path and the corrections (centred coordinates). -EINVAL before it. */
int stab_stage_plan(const struct WeftContext *c, int *n, const StabMat **camera,
                    const StabMat **correction);

#endif
