/* weft: the command table, option parsing and --help.
 *
 * Options come from two tables: the tool's own (output names, -t, codec choices) below, and
 * the library's settings table (weft_setting_info()), whose every row becomes a generic
 * `--NAME VALUE` option set through weft_settings_set(): a setting added to the library
 * appears here, with its default and help, without a change to this file. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavutil/parseutils.h>

#include "cli.h"

/* ---- the tool's own options ---- */

enum {
    OPT_OUTPUT = 1 << 0,
    OPT_TIME = 1 << 1,
    OPT_BACKWARD = 1 << 2,
    OPT_CODEC = 1 << 3,
    OPT_CRF = 1 << 4,
    OPT_INPUT_RATE = 1 << 5,
    OPT_AUDIO = 1 << 6,
    OPT_COUNT = 1 << 7,
    OPT_SPACING = 1 << 8,
};

typedef struct OptionRow {
    int id;
    const char *spellings[3]; /* e.g. "-o", "--output" */
    const char *meta;         /* the value's placeholder */
    const char *default_text;
    const char *help;
    int (*set)(Cli *cli, const char *value, const char *spelled);
} OptionRow;

static int set_output(Cli *cli, const char *value, const char *spelled)
{
    (void)spelled;
    cli->output = value;
    return 0;
}

static int set_backward(Cli *cli, const char *value, const char *spelled)
{
    (void)spelled;
    cli->backward_output = value;
    return 0;
}

static int set_time(Cli *cli, const char *value, const char *spelled)
{
    char *end;
    errno = 0;
    double t = strtod(value, &end);
    if (end == value || *end || errno || !isfinite(t))
        return cli_error(cli, "invalid value '%s' for %s: not a number", value, spelled);
    if (!(t > 0.0 && t < 1.0))
        return cli_error(cli, "invalid value '%s' for %s: must be between 0 and 1 (exclusive)",
                         value, spelled);
    cli->t = t;
    return 0;
}

static int set_codec(Cli *cli, const char *value, const char *spelled)
{
    (void)spelled;
    cli->video_codec = value;
    return 0;
}

/* An integer option in lo..hi; reports a bad one as the one error line. */
static int parse_int_option(Cli *cli, const char *value, const char *spelled, long lo, long hi,
                            int *out)
{
    char *end;
    errno = 0;
    long v = strtol(value, &end, 10);
    if (end == value || *end || errno || v < lo || v > hi)
        return cli_error(cli, "invalid value '%s' for %s: expected an integer %ld..%ld", value,
                         spelled, lo, hi);
    *out = (int)v;
    return 0;
}

static int set_crf(Cli *cli, const char *value, const char *spelled)
{
    return parse_int_option(cli, value, spelled, 0, 63, &cli->crf);
}

static int set_input_rate(Cli *cli, const char *value, const char *spelled)
{
    AVRational rate;
    if (av_parse_video_rate(&rate, value) < 0 || rate.num <= 0 || rate.den <= 0)
        return cli_error(cli, "invalid value '%s' for %s: expected a rate like 24 or 24000/1001",
                         value, spelled);
    cli->input_rate = value;
    return 0;
}

static int set_audio(Cli *cli, const char *value, const char *spelled)
{
    static const char *const names[] = {"auto", "drop", "stretch"};
    for (int i = 0; i < 3; i++) {
        if (!strcmp(value, names[i])) {
            cli->audio = (CliAudio)i;
            return 0;
        }
    }
    return cli_error(cli, "invalid value '%s' for %s: expected auto, drop or stretch", value,
                     spelled);
}

static int set_count(Cli *cli, const char *value, const char *spelled)
{
    return parse_int_option(cli, value, spelled, 1, 999, &cli->count);
}

static int set_spacing(Cli *cli, const char *value, const char *spelled)
{
    (void)spelled; /* checked with -n by the command (spacing.c) */
    cli->spacing = value;
    return 0;
}

/* clang-format off */
static const OptionRow option_table[] = {
    { OPT_OUTPUT, { "-o", "--output" }, "FILE", "",
      "the file to write; - for standard output (video: y4m, image: png)", set_output },
    { OPT_TIME, { "-t", "--time" }, "T", "0.5", "time of the in-between, 0 < T < 1", set_time },
    { OPT_BACKWARD, { "--backward" }, "FILE", "", "also write the flow from B to A (.flo)",
      set_backward },
    { OPT_CODEC, { "-c:v", "--codec" }, "CODEC", "libx264 (mp4/mkv/mov), else the container's",
      "video encoder", set_codec },
    { OPT_CRF, { "--crf" }, "N", "18 (x264/x265)", "constant rate factor of the encoder",
      set_crf },
    { OPT_INPUT_RATE, { "--input-rate" }, "R", "25 for image sequences",
      "frame rate of an image sequence input", set_input_rate },
    { OPT_AUDIO, { "--audio" }, "MODE", "auto",
      "audio: auto (copied; left out with a notice when --speed/--curve change the duration), "
      "drop, or stretch (follows a constant --speed with FFmpeg's atempo)", set_audio },
    { OPT_COUNT, { "-n", "--count" }, "N", "the number of t: times",
      "how many in-betweens (1..999)", set_count },
    { OPT_SPACING, { "--spacing" }, "SPEC", "even",
      "timing chart: even, ease-in (slow in to KEY2), ease-out (slow out of KEY1), ease (both), "
      "favor:F (the middle at F, 0<F<1) or t:T1,T2,... (the times)", set_spacing },
};
/* clang-format on */

#define NUM_OPTIONS (int)(sizeof(option_table) / sizeof(option_table[0]))

/* ---- the command table ---- */

typedef struct Command {
    const char *name;
    const char *arguments;
    const char *summary;
    int min_inputs, max_inputs;
    int options;                        /* OPT_* of the tool's own options */
    const char *const *hidden_settings; /* library settings that mean nothing here */
    const char *const *own_defaults;    /* NAME, VALUE pairs: library settings this command
                                           starts from instead of the library's defaults */
    int (*run)(Cli *cli);
} Command;

/* log-level is driven by -v in the tool */
static const char *const one_shot_hidden[] = {
    "fps", "factor",        "speed",   "curve",     "scene-threshold",
    "dup", "dup-threshold", "shutter", "log-level", NULL};
static const char *const flow_hidden[] = {
    "fps",           "factor",  "speed",  "curve", "scene-threshold", "dup",
    "dup-threshold", "shutter", "method", "model", "log-level",       NULL};
static const char *const retime_hidden[] = {"log-level", NULL};
/* in-betweens of key drawings: the animation mode unless --content says otherwise */
static const char *const inbetween_defaults[] = {"content", "anime", NULL};
static const char *const stabilize_hidden[] = {"fps", "factor", "speed", "curve", "stabilize",
                                               "log-level", NULL};

static const Command command_table[] = {
    {"interpolate", "A B -o OUT", "make the picture at time T between images A and B", 2, 2,
     OPT_OUTPUT | OPT_TIME, one_shot_hidden, NULL, cmd_interpolate},
    {"flow", "A B -o OUT.flo", "dense optical flow from image A to image B (Middlebury .flo)", 2, 2,
     OPT_OUTPUT | OPT_BACKWARD, flow_hidden, NULL, cmd_flow},
    {"retime", "IN -o OUT [--fps R | --factor N]",
     "convert a video (or image sequence; - is a pipe) to a new frame rate", 1, 1,
     OPT_OUTPUT | OPT_CODEC | OPT_CRF | OPT_INPUT_RATE | OPT_AUDIO, retime_hidden, NULL,
     cmd_retime},
    {"inbetween", "KEY1 KEY2 -n N -o OUT_%02d.png",
     "make N in-betweens of two key drawings at a timing chart's spacing", 2, 2,
     OPT_OUTPUT | OPT_COUNT | OPT_SPACING, one_shot_hidden, inbetween_defaults, cmd_inbetween},
    {"stabilize", "IN -o OUT [--smooth N] [--path gauss|l1|tripod] [--border crop|adaptive|fill]",
     "steady a video's camera (two passes over the file: analyse, then render)", 1, 1,
     OPT_OUTPUT | OPT_CODEC | OPT_CRF | OPT_INPUT_RATE, stabilize_hidden, NULL, cmd_stabilize},
};

#define NUM_COMMANDS (int)(sizeof(command_table) / sizeof(command_table[0]))

static int setting_hidden(const Command *cmd, const char *name)
{
    for (int i = 0; cmd->hidden_settings && cmd->hidden_settings[i]; i++)
        if (!strcmp(cmd->hidden_settings[i], name))
            return 1;
    return 0;
}

/* The default a command starts `name` from: its own, else the library's. */
static const char *setting_default(const Command *cmd, const WeftSettingInfo *info)
{
    for (int i = 0; cmd->own_defaults && cmd->own_defaults[i]; i += 2)
        if (!strcmp(cmd->own_defaults[i], info->name))
            return cmd->own_defaults[i + 1];
    return info->default_value;
}

/* ---- help ---- */

static void print_usage(FILE *f)
{
    fprintf(f, "usage: weft COMMAND [options]     (weft COMMAND --help for its options)\n\n"
               "commands:\n");
    for (int i = 0; i < NUM_COMMANDS; i++)
        fprintf(f, "  %-12s %s\n", command_table[i].name, command_table[i].summary);
    fprintf(f, "\ngeneral options:\n"
               "  -h, --help     show help\n"
               "  -v, --verbose  show library and libav messages (twice: more)\n"
               "  --version      print the version\n");
}

#define HELP_COLUMNS 100
#define HELP_INDENT 27 /* "  " + 24-wide option column + " " */

/* Prints one option: its spelling, then the help text word-wrapped to HELP_COLUMNS. */
static void print_option(const char *left, const char *help, const char *range,
                         const char *default_text)
{
    char text[512];
    int n = snprintf(text, sizeof(text), "%s", help);
    if (range && *range && n >= 0 && n < (int)sizeof(text))
        n += snprintf(text + n, sizeof(text) - n, " [%s]", range);
    if (default_text && n >= 0 && n < (int)sizeof(text))
        /* \x01: a space that does not break, keeping "(default: X)" on one line */
        snprintf(text + n, sizeof(text) - n, " (default:\x01%s)",
                 *default_text ? default_text : "none");
    int column = printf("  %-24s", left);
    if (column > HELP_INDENT - 1) { /* a long spelling: the text starts on the next line */
        printf("\n%*s", HELP_INDENT - 1, "");
        column = HELP_INDENT - 1;
    }
    for (const char *word = text; *word;) {
        size_t length = strcspn(word, " ");
        if (column + 1 + (int)length > HELP_COLUMNS && column > HELP_INDENT - 1) {
            printf("\n%*s", HELP_INDENT - 1, "");
            column = HELP_INDENT - 1;
        }
        putchar(' ');
        for (size_t i = 0; i < length; i++)
            putchar(word[i] == '\x01' ? ' ' : word[i]);
        column += 1 + (int)length;
        word += length;
        while (*word == ' ')
            word++;
    }
    printf("\n");
}

static void print_command_help(const Command *cmd)
{
    printf("usage: weft %s %s [options]\n%s\n\noptions:\n", cmd->name, cmd->arguments,
           cmd->summary);
    char left[96];
    for (int i = 0; i < NUM_OPTIONS; i++) {
        const OptionRow *row = &option_table[i];
        if (!(cmd->options & row->id))
            continue;
        if (row->spellings[1])
            snprintf(left, sizeof(left), "%s, %s %s", row->spellings[0], row->spellings[1],
                     row->meta);
        else
            snprintf(left, sizeof(left), "%s %s", row->spellings[0], row->meta);
        print_option(left, row->help, NULL, row->default_text);
    }
    const WeftSettingInfo *info;
    for (int i = 0; (info = weft_setting_info(i)); i++) {
        if (setting_hidden(cmd, info->name))
            continue;
        snprintf(left, sizeof(left), "--%s VALUE", info->name);
        print_option(left, info->help, info->range, setting_default(cmd, info));
    }
    print_option("-v, --verbose", "show library and libav messages", NULL, "quiet");
    print_option("-h, --help", "show this help", NULL, NULL);
}

/* ---- parsing ---- */

/* Matches "-o", "--output" and "--output=VALUE" spellings; returns the inline value or "". */
static const char *match_spelling(const char *arg, const char *spelling)
{
    size_t n = strlen(spelling);
    if (strncmp(arg, spelling, n))
        return NULL;
    if (!arg[n])
        return "";
    if (arg[n] == '=' && spelling[1] == '-')
        return arg + n + 1;
    return NULL;
}

/* Applies option argv[*i]; advances *i past its value. */
static int parse_option(Cli *cli, const Command *cmd, int argc, char **argv, int *i)
{
    const char *arg = argv[*i];
    const char *inline_value;
    for (int r = 0; r < NUM_OPTIONS; r++) {
        const OptionRow *row = &option_table[r];
        if (!(cmd->options & row->id))
            continue;
        for (int s = 0; s < 3 && row->spellings[s]; s++) {
            if (!(inline_value = match_spelling(arg, row->spellings[s])))
                continue;
            if (!*inline_value) {
                if (*i + 1 >= argc)
                    return cli_error(cli, "%s needs a value (%s)", arg, row->meta);
                inline_value = argv[++*i];
            }
            return row->set(cli, inline_value, row->spellings[s]);
        }
    }
    const WeftSettingInfo *info;
    for (int r = 0; arg[0] == '-' && arg[1] == '-' && (info = weft_setting_info(r)); r++) {
        if (setting_hidden(cmd, info->name))
            continue;
        char spelling[80];
        snprintf(spelling, sizeof(spelling), "--%s", info->name);
        if (!(inline_value = match_spelling(arg, spelling)))
            continue;
        if (!*inline_value) {
            /* a switch (0|1) given alone, as `--stabilize`, means 1 */
            int is_switch = !strcmp(info->range, "0|1");
            if (is_switch && (*i + 1 >= argc || (strcmp(argv[*i + 1], "0") &&
                                                 strcmp(argv[*i + 1], "1"))))
                inline_value = "1";
            else if (*i + 1 >= argc)
                return cli_error(cli, "%s needs a value (%s)", spelling, info->range);
            else
                inline_value = argv[++*i];
        }
        int err = weft_settings_set(&cli->settings, info->name, inline_value);
        if (err < 0)
            return cli_error(cli, "invalid value '%s' for %s: %s (expected %s)", inline_value,
                             spelling, weft_strerror(err), info->range);
        if (!strcmp(info->name, "fps"))
            cli->rate_given |= 1;
        if (!strcmp(info->name, "factor"))
            cli->rate_given |= 2;
        return 0;
    }
    return cli_error(cli, "unknown option '%s' for '%s' (see weft %s --help)", arg, cmd->name,
                     cmd->name);
}

static const Command *find_command(const char *name)
{
    for (int i = 0; i < NUM_COMMANDS; i++)
        if (!strcmp(command_table[i].name, name))
            return &command_table[i];
    return NULL;
}

int main(int argc, char **argv)
{
    Cli cli;
    memset(&cli, 0, sizeof(cli));
    cli.t = 0.5;
    cli.crf = -1;
    weft_default_settings(&cli.settings);

    int first = 1;
    for (; first < argc && argv[first][0] == '-'; first++) {
        const char *arg = argv[first];
        if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
            print_usage(stdout);
            return 0;
        } else if (!strcmp(arg, "--version")) {
            printf("weft %s\n", weft_version());
            return 0;
        } else if (!strcmp(arg, "-v") || !strcmp(arg, "--verbose")) {
            cli.verbose++;
        } else {
            return cli_error(&cli, "unknown option '%s' (see weft --help)", arg);
        }
    }
    if (first >= argc) {
        print_usage(stderr);
        return 1;
    }
    if (!strcmp(argv[first], "help")) {
        const Command *cmd = first + 1 < argc ? find_command(argv[first + 1]) : NULL;
        if (cmd)
            print_command_help(cmd);
        else
            print_usage(stdout);
        return 0;
    }
    const Command *cmd = find_command(argv[first]);
    if (!cmd)
        return cli_error(&cli, "unknown command '%s' (see weft --help)", argv[first]);

    for (int i = 0; cmd->own_defaults && cmd->own_defaults[i]; i += 2)
        weft_settings_set(&cli.settings, cmd->own_defaults[i], cmd->own_defaults[i + 1]);
    int only_inputs = 0;
    for (int i = first + 1; i < argc; i++) {
        const char *arg = argv[i];
        if (!only_inputs && (!strcmp(arg, "-h") || !strcmp(arg, "--help"))) {
            print_command_help(cmd);
            return 0;
        }
        if (!only_inputs && (!strcmp(arg, "-v") || !strcmp(arg, "--verbose"))) {
            cli.verbose++;
        } else if (!only_inputs && !strcmp(arg, "--")) {
            only_inputs = 1;
        } else if (!only_inputs && arg[0] == '-' && arg[1]) {
            if (parse_option(&cli, cmd, argc, argv, &i))
                return 1;
        } else {
            if (cli.num_inputs >= cmd->max_inputs)
                return cli_error(&cli, "'%s' takes %d input%s; '%s' is one too many", cmd->name,
                                 cmd->max_inputs, cmd->max_inputs > 1 ? "s" : "", arg);
            cli.inputs[cli.num_inputs++] = arg;
        }
    }
    if (cli.num_inputs < cmd->min_inputs)
        return cli_error(&cli, "usage: weft %s %s", cmd->name, cmd->arguments);
    if ((cmd->options & OPT_OUTPUT) && !cli.output)
        return cli_error(&cli, "no output file given (use -o FILE)");

    cli_setup_logging(&cli);
    cli_install_signal_handlers();
    /* an interruption after the output was committed changes nothing: the work is done */
    return cmd->run(&cli) ? 1 : 0;
}
