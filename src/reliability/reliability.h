/*
 * reliability.h — the reliability layer (src/reliability): the time units
 * reliability.c (the model) and params.c (its parameters) share.
 */
#ifndef LF_RELIABILITY_H
#define LF_RELIABILITY_H

#include "core.h"

#define HOURS_PER_YEAR 8766.0            /* 365.25 days */
#define DAYS_PER_MONTH (365.25 / 12.0)

#endif
