/*
 * heap.c — the binary min-heap of heap.h.  Push sifts up while the parent's
 * key is strictly greater; pop moves the last item down, taking the right
 * child only when its key is strictly smaller, and stops at a child whose
 * key is >= the moving item's.
 */
#include "heap.h"

void lfi_heap_init(lfi_vec *h)
{
	lfi_vec_init(h, sizeof(lfi_heap_item));
}

bool lfi_heap_push(lfi_vec *h, lfi_heap_item it)
{
	if (!lfi_vec_reserve(h, h->len + 1))
		return false;
	lfi_heap_item *a = h->data;
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

lfi_heap_item lfi_heap_pop(lfi_vec *h)
{
	lfi_heap_item *a = h->data;
	lfi_heap_item top = a[0], last = a[--h->len];
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
