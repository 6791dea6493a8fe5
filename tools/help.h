/* help.h — the help texts of tools/help.c, one per verb of the table in
 * tools/lightfab.c (sweep and compare: cli_sweep_usage). */
#ifndef LF_HELP_H
#define LF_HELP_H

#include <stdio.h>

#include "cli.h"

void help_main(FILE *f, const char *prog, const cli_verb *verbs, size_t n);
void help_plan(FILE *f, const char *prog);
void help_reliability(FILE *f, const char *prog);
void help_source(FILE *f, const char *prog);
void help_report(FILE *f, const char *prog);
void help_serve(FILE *f, const char *prog);
void help_sim(FILE *f, const char *prog);
void help_sweep(FILE *f, const char *prog);
void help_compare(FILE *f, const char *prog);

#endif
