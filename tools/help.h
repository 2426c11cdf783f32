/* SPDX-License-Identifier: MIT */
#ifndef DMAKIT_TOOLS_HELP_H
#define DMAKIT_TOOLS_HELP_H

#include <stdbool.h>
#include <stdio.h>

/* The exit statuses every command documents and keeps. */
enum {
	DK_EXIT_OK = 0,
	DK_EXIT_FAILED = 1,	/* a story or check failed, a SoC did not load */
	DK_EXIT_USAGE = 2,
};

/*
 * dk_cli_help - print the help of "dmakit @cmd @sub" to @f; @cmd NULL is
 * the overview of every command, @sub NULL the command's own help.
 * Return: 0, or -ENOENT with a message on stderr when there is no such
 * command or subcommand.
 */
int dk_cli_help(FILE *f, const char *cmd, const char *sub);

/*
 * dk_cli_has_subcommands - whether @cmd takes a subcommand (as "soc").
 */
bool dk_cli_has_subcommands(const char *cmd);

/*
 * dk_cli_wants_help - whether the arguments after the command name,
 * @argv[1] to @argv[@argc - 1], hold "--help" or "-h" before any "--".
 */
bool dk_cli_wants_help(int argc, char **argv);

#endif
