/*
 * test_util.c — the unit parsers every input goes through: speeds, lengths,
 * months, ratios and grouped integers, good and bad.
 */
#include "testutil.h"
#include "core.h"

static void test_ints(void **state)
{
	(void)state;
	static const struct { const char *s; int ok; long long v; } c[] = {
		{ "16384", 1, 16384 }, { "16,384", 1, 16384 }, { "16_384", 1, 16384 },
		{ "1,000,000", 1, 1000000 }, { "-1,000", 1, -1000 }, { "1,,2", 0, 0 },
		{ "1,2", 0, 0 }, { "1234,567", 0, 0 }, { ",5", 0, 0 }, { "5,", 0, 0 },
		{ "_", 0, 0 }, { "12x", 0, 0 }, { "", 0, 0 },
	};
	for (size_t i = 0; i < LF_ARRAY_LEN(c); i++) {
		int64_t v = 0;
		bool ok = lfi_parse_int(c[i].s, &v);
		if (ok != c[i].ok || (ok && v != c[i].v))
			fail_msg("\"%s\": ok %d value %lld", c[i].s, ok, (long long)v);
	}
}

/* Issue 14: a grouped integer of more than 64 characters kept only its
 * first digits (a fixed 64-byte copy); now every digit counts, and the
 * failure says whether the form or the range is wrong. */
static void test_ints_long(void **state)
{
	(void)state;
	int64_t v = 0;
	/* 20 groups of 000, then 500_000_000: 69 digits, the value 500,000,000 */
	const char *g = "000_000_000_000_000_000_000_000_000_000_000_000_000_000_000_000_000_"
	                "000_000_000_500_000_000";
	assert_int_equal(lfi_parse_int_ex(g, &v), LF_INT_OK);
	assert_int_equal(v, 500000000);
	assert_int_equal(lfi_parse_int_ex("9_223_372_036_854_775_807", &v), LF_INT_OK);
	assert_int_equal(v, INT64_MAX);
	assert_int_equal(lfi_parse_int_ex("-9223372036854775808", &v), LF_INT_OK);
	assert_int_equal(v, INT64_MIN);
	assert_int_equal(lfi_parse_int_ex("9223372036854775808", &v), LF_INT_RANGE);
	assert_int_equal(lfi_parse_int_ex("9_223_372_036_854_775_808", &v), LF_INT_RANGE);
	assert_int_equal(lfi_parse_int_ex("1_27", &v), LF_INT_FORMAT);
	assert_int_equal(lfi_parse_int_ex("1_2x7", &v), LF_INT_FORMAT);
	assert_int_equal(lfi_parse_int_ex(" 16_384 ", &v), LF_INT_OK);
	assert_int_equal(v, 16384);
}

static void test_units(void **state)
{
	(void)state;
	double g = 0, m = 0, r = 0;
	assert_true(lfi_parse_gbps("400G", &g) && g == 400);
	assert_true(lfi_parse_gbps("1.6T", &g) && g == 1600);
	assert_true(lfi_parse_gbps("800 Gb/s", &g) && g == 800);
	assert_false(lfi_parse_gbps("400", &g));
	assert_false(lfi_parse_gbps("400X", &g));
	assert_true(lfi_parse_length_m("30m", &m) && m == 30);
	assert_true(lfi_parse_length_m("2km", &m) && m == 2000);
	assert_false(lfi_parse_length_m("30 furlongs", &m));
	assert_true(lfi_parse_ratio("3:1", &r) && r == 3);
	assert_true(lfi_parse_ratio("1:1", &r) && r == 1);
	assert_false(lfi_parse_ratio("3:0", &r));
	int mo = 0;
	assert_true(lfi_parse_month("2026-03", &mo) && mo == 2026 * 12 + 2);
	char buf[16];
	lfi_format_month(mo, buf, sizeof buf);
	assert_string_equal(buf, "2026-03");
	assert_false(lfi_parse_month("2026-+3", &mo));
	assert_false(lfi_parse_month("2026- 3", &mo));
	assert_false(lfi_parse_month("2026-13", &mo));
	assert_false(lfi_parse_month("26-03", &mo));
	lfi_format_gbps(1600, buf, sizeof buf);
	assert_string_equal(buf, "1.6T");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ints),
		cmocka_unit_test(test_ints_long),
		cmocka_unit_test(test_units),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
