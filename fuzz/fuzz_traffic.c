/*
 * fuzz_traffic.c — libFuzzer target for the CSV traffic parser.
 *
 * Each input is parsed as a traffic file (lf_traffic_parse_csv).  A parse
 * either fails with a message and a line (never an empty error) or returns
 * flows whose fields are in range: bytes > 0, start >= 0, a line inside
 * the input.
 *
 *   make fuzz                    # builds build/fuzz/fuzz_traffic, short run
 *   build/fuzz/fuzz_traffic fuzz/corpus/traffic
 */
#include <stdlib.h>

#include "lightfab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	lf_error err = { 0 };
	lf_traffic_flow *f = NULL;
	size_t n = 0;
	if (lf_traffic_parse_csv("fuzz.csv", (const char *)data, size, &f, &n, &err) != LF_OK) {
		if (!err.msg[0] || err.line < 1 || f)
			abort();
		return 0;
	}
	size_t lines = 1;
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	for (size_t i = 0; i < n; i++)
		if (!(f[i].bytes > 0) || !(f[i].start_s >= 0) || f[i].src < 0 || f[i].dst < 0 ||
		    f[i].line < 1 || f[i].line > lines)
			abort();
	free(f);
	return 0;
}
