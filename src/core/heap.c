/*
 * heap.c — the binary min-heap of heap.h.  Push sifts up while the parent's
 * key is strictly greater; pop moves the last item down, taking the right
 * child only when its key is strictly smaller, and stops at a child whose
 * key is >= the moving item's.
 */
#include "heap.h"

void lf_heap_init(lf_vec *h)
{
	lf_vec_init(h, sizeof(lf_heap_item));
}

bool lf_heap_push(lf_vec *h, lf_heap_item it)
{
	if (!lf_vec_reserve(h, h->len + 1))
		return false;
	lf_heap_item *a = h->data;
	size_t i = h->len++;
	while (i > 0) {
		size_t p = (i - 1) / 2;
		if (a[p].key <= it.key)
			break;
		a[i] = a[p];
		i = p;
	}
	a[i] = it;
	return true;
}

lf_heap_item lf_heap_pop(lf_vec *h)
{
	lf_heap_item *a = h->data;
	lf_heap_item top = a[0], last = a[--h->len];
	size_t i = 0, n = h->len;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= n)
			break;
		if (c + 1 < n && a[c + 1].key < a[c].key)
			c++;
		if (a[c].key >= last.key)
			break;
		a[i] = a[c];
		i = c;
	}
	if (n)
		a[i] = last;
	return top;
}
