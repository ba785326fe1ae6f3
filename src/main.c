/*
 * The desk binary: everything happens in cli/.
 */
#include "cli/cli.h"

int main(int argc, char **argv)
{
    return desk_cli_main(argc, argv);
}
