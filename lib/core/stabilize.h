/* The stabilisation stage of the stream API: pass 1 (weft_stabilize_analyse) measures the
 * camera path and plans the correction of every picture; pass 2 (weft_send_picture with
 * settings.stabilize) renders each source picture stabilised, a few pictures behind the
 * input so that neighbours on both sides can fill its borders, and hands it to the
 * retiming pipeline as if it were the source. */
#ifndef WEFT_CORE_STABILIZE_H
#define WEFT_CORE_STABILIZE_H

struct StabStage;
void stab_stage_destroy(struct StabStage **s);

#endif
