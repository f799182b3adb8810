/* The stream pipeline behind weft_send_picture / weft_get_picture: keeps the few source
 * frames in flight and asks the planner which output to make next. */
#ifndef WEFT_CORE_PIPELINE_H
#define WEFT_CORE_PIPELINE_H

struct Pipeline;
void pipeline_destroy(struct Pipeline **p);

#endif
