/* The stream pipeline behind weft_send_picture / weft_get_picture: keeps the few source
 * frames in flight and asks the planner which output to make next. */
#ifndef WEFT_CORE_PIPELINE_H
#define WEFT_CORE_PIPELINE_H

struct Pipeline;
struct WeftContext;
/* Creates the pipeline at weft_open(), loading what the settings name (the `curve` file),
 * so a bad curve file fails weft_open() with its line number logged. */
int pipeline_open(struct WeftContext *c);
void pipeline_destroy(struct Pipeline **p);
/* weft_send_picture / weft_get_picture of the retiming pipeline itself (the stabilisation
 * stage, when on, sits in front of them: core/stabilize.c). */
struct WeftPicture;
int pipeline_send_picture(struct WeftContext *c, const struct WeftPicture *in);
int pipeline_get_picture(struct WeftContext *c, struct WeftPicture *out);

#endif
