/*
 * heap.h — a binary min-heap of (key, a, b) items on an lfi_vec: the event
 * list of sim.c and the link levels of maxmin.c's progressive filling.
 *
 * Items with equal keys pop in an order fixed by the sift rules below (the
 * simulator's results depend on it for floating-point near-ties, so both
 * users share this one implementation and its order).  Deletion is lazy:
 * callers tag items (a version, a flag in b) and skip stale ones on pop.
 */
#ifndef LF_HEAP_H
#define LF_HEAP_H

#include <stdbool.h>
#include <stdint.h>

#include "core.h"

typedef struct lfi_heap_item {
	double key;
	uint32_t a, b;              /* the caller's payload */
} lfi_heap_item;

/* Initialise `h` as an empty heap (lfi_vec_release frees it). */
void lfi_heap_init(lfi_vec *h);
/* false when out of memory (the heap is unchanged) */
LF_MUST bool lfi_heap_push(lfi_vec *h, lfi_heap_item it);
/* The smallest item, removed; the heap must not be empty. */
lfi_heap_item lfi_heap_pop(lfi_vec *h);
static inline const lfi_heap_item *lfi_heap_top(const lfi_vec *h)
{
	return h->data;
}

#endif
