/* weft retime: placeholder until the stream command lands. */
#include "cli.h"

int cmd_retime(Cli *cli)
{
    return cli_error(cli, "retime is not implemented yet");
}
