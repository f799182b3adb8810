/* The weft command-line tool: what its files share. The tool is a thin client of the public
 * API (weft/weft.h); files, containers, codecs and audio are handled here with libav*. */
#ifndef WEFT_CLI_H
#define WEFT_CLI_H

#include <stdarg.h>
#include <stdint.h>

#include <libavutil/frame.h>
#include <libavutil/pixfmt.h>

#include "weft/weft.h"

#define CLI_MAX_INPUTS 2

#if defined(__GNUC__)
#define CLI_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define CLI_PRINTF(a, b)
#endif

/* retime --audio */
typedef enum CliAudio {
    CLI_AUDIO_AUTO,    /* copied; dropped with a notice when the duration changes */
    CLI_AUDIO_DROP,    /* left out */
    CLI_AUDIO_STRETCH, /* atempo follows a constant --speed */
} CliAudio;

/* Everything one run of the tool knows: parsed options, library settings, and the state of
 * the one-error-line rule. */
typedef struct Cli {
    const char *inputs[CLI_MAX_INPUTS];
    int num_inputs;
    const char *output;          /* -o */
    const char *backward_output; /* flow --backward */
    double t;                    /* interpolate -t */
    const char *video_codec;     /* retime -c:v; NULL = the container's choice */
    const char *input_rate;      /* retime --input-rate: of an image sequence */
    int crf;                     /* retime --crf; -1 = encoder default (18 for x264) */
    CliAudio audio;              /* retime --audio */
    int count;                   /* inbetween -n; 0 = not given */
    const char *spacing;         /* inbetween --spacing; NULL = even */
    int verbose;                 /* -v count */
    int rate_given;              /* bit 0: --fps given, bit 1: --factor given */
    WeftSettings settings;

    /* One line on stderr per failure: the first error is printed, later ones (which are
     * usually consequences) only with -v. */
    int error_printed;
    int progress_active;     /* a progress line is on the terminal without its newline */
    char library_error[512]; /* the library's first error message, for that line */
} Cli;

/* ---- report.c: messages, the library log callback, libav logging ---- */

/* Prints "weft: MESSAGE" as the one error line of this run (later calls print only with
 * -v). Returns 1, the exit status for failure, so callers can `return cli_error(...)`. */
int cli_error(Cli *cli, const char *fmt, ...) CLI_PRINTF(2, 3);
/* Like cli_error(), and appends the library's first logged error (or weft_strerror(err)). */
int cli_library_error(Cli *cli, int err, const char *fmt, ...) CLI_PRINTF(3, 4);
/* Prints "weft: note: MESSAGE": something the user should know about a run that works. */
void cli_note(const Cli *cli, const char *fmt, ...) CLI_PRINTF(2, 3);
/* Prints a message only with -v (level 1) or -v -v (level 2). */
void cli_verbose(const Cli *cli, int level, const char *fmt, ...) CLI_PRINTF(3, 4);
/* Routes library and libav messages: quiet by default, shown with -v. */
void cli_setup_logging(Cli *cli);
/* Text for a libav/errno error code. */
const char *cli_av_error(int err, char *buf, size_t size);

/* ---- output_file.c: write to a temporary name, rename on success ---- */

typedef struct OutputFile {
    char *final_path;
    char *temp_path; /* for a sequence pattern ("%05d"), the temporary pattern */
    int is_sequence;
    int is_stdout; /* "-": written to standard output (temp_path is "pipe:1") */
    int committed;
} OutputFile;

/* Chooses a temporary name beside `path` (in the same folder, so rename() is atomic). For an
 * image sequence pattern the temporary name is a pattern too. Does not create the file. */
int output_file_begin(Cli *cli, OutputFile *of, const char *path);
/* Renames the temporary file(s) to the final name(s). */
int output_file_commit(Cli *cli, OutputFile *of);
/* Removes whatever was written under the temporary name and frees the names. NULL-safe;
 * does nothing to a committed file. */
void output_file_abort(OutputFile *of);

/* SIGINT/SIGTERM set a flag (the only state a signal handler can safely touch); long loops
 * and libav's I/O poll it, and the normal failure path then removes the temporary file. */
void cli_install_signal_handlers(void);
int cli_interrupted(void);
/* For AVIOInterruptCB.callback. */
int cli_interrupt_callback(void *opaque);

/* ---- pixfmt.c: pixel formats and colour between libav and weft ---- */

/* The weft format with the same memory layout, or WEFT_PIX_NONE. */
WeftPixelFormat pixfmt_to_weft(enum AVPixelFormat format);
enum AVPixelFormat pixfmt_from_weft(WeftPixelFormat format);
/* The weft format closest to an unsupported libav format (keeps RGB vs YUV, alpha, depth
 * and chroma subsampling where weft has such a format). */
WeftPixelFormat pixfmt_nearest_weft(enum AVPixelFormat format);
void pixfmt_color_from_frame(const AVFrame *frame, WeftColor *color);
struct AVCodec;
/* The encoder's pixel format nearest to `source` (`source` itself when the encoder takes it). */
enum AVPixelFormat pixfmt_for_encoder(const struct AVCodec *codec, enum AVPixelFormat source);
struct SwsContext;
/* Copies (or converts, with libswscale) a picture into dst, whose format, size and buffers
 * are set. */
int pixfmt_picture_to_frame(struct SwsContext **sws, const WeftPicture *pic, AVFrame *dst);
/* Points a WeftPicture at a frame's planes (no copy). The frame must be in a weft format. */
void pixfmt_wrap_frame(const AVFrame *frame, WeftPicture *pic);

/* ---- image_io.c: single images ---- */

/* Decodes the first picture of an image (or video) file into a library-owned picture in a
 * weft format; `want` forces a format (WEFT_PIX_NONE = keep the file's layout). */
int image_load(Cli *cli, const char *path, WeftPixelFormat want, WeftPicture *out);
/* Checks, before any work, that the name's extension is an image type that can be written. */
int image_check_output(Cli *cli, const char *path);
/* Encodes a picture into the file format the name's extension asks for, through a temporary
 * name. */
int image_save(Cli *cli, const char *path, const WeftPicture *pic);

/* ---- commands ---- */

/* Loads the two input images of interpolate/flow: B in A's layout, the same size. */
int cli_load_pair(Cli *cli, WeftPicture *a, WeftPicture *b);

int cmd_interpolate(Cli *cli);
int cmd_flow(Cli *cli);
int cmd_retime(Cli *cli);
int cmd_inbetween(Cli *cli);
int cmd_stabilize(Cli *cli);
/* Pass 1 of stabilisation: every picture of the input to weft_stabilize_analyse(). */
int cli_stabilize_analyse(Cli *cli, WeftContext *ctx);

/* Opens a library context with cli->settings; reports failure as the one line. */
int cli_open_context(Cli *cli, WeftContext **ctx);

#endif
