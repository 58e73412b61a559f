/*
 * fuzz_analyze.c - the whole offline analysis, as the command runs it:
 * the bytes are an input file (one message or an mbox), split with the
 * bodies kept, each message analyzed with DNS off, and its record written both compact and
 * indented.  Each record must be one valid JSON object in valid UTF-8
 * (no raw control characters, no NUL inside strings), naming its index,
 * with the hops and anomalies within their caps.
 */
#include <jansson.h>

#include "fuzz.h"

/* record - check one JSON text. */
static void
record(const char *s, uint64_t index, bool pretty)
{
	json_error_t e;
	json_t *j, *v;

	CHECK(fz_json_clean(s, strlen(s)));
	CHECK(pretty || strchr(s, '\n') == NULL);
	j = json_loads(s, JSON_REJECT_DUPLICATES, &e);
	if (j == NULL)
		fprintf(stderr, "json: %s at %d: %.200s\n", e.text,
		    e.position, s);
	CHECK(j != NULL && json_is_object(j));
	v = json_object_get(j, "schema");
	CHECK(json_is_string(v) && strcmp(json_string_value(v), MT_SCHEMA) == 0);
	v = json_object_get(json_object_get(j, "input"), "index");
	CHECK(json_is_integer(v) && (uint64_t)json_integer_value(v) == index);
	v = json_object_get(j, "hops");
	CHECK(json_is_array(v) && json_array_size(v) <= MT_MAX_RECEIVED);
	v = json_object_get(j, "anomalies");
	CHECK(json_is_array(v) && json_array_size(v) <= MT_MAX_ANOMALIES);
	CHECK(json_is_null(json_object_get(j, "error")));
	json_decref(j);
}

/* LLVMFuzzerTestOneInput - one input; see the top of the file. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mt_ctx *ctx = fz_ctx();
	struct mt_split *s;
	struct mt_span span;
	struct mt_input in;
	uint64_t n = 0;
	int fd, r;

	fd = fz_memfd(data, size);
	if ((s = mt_split_new(fd)) == NULL)
		abort();
	mt_split_keep_body(s, MT_MAX_BODY_KEEP);
	while ((r = mt_split_next(s, &span)) == 1) {
		struct mt_msg *m;
		char *json = NULL;

		CHECK(span.index == n);
		n++;
		memset(&in, 0, sizeof(in));
		in.path = "fuzz";
		in.index = span.index;
		in.offset = span.offset;
		in.size = span.size;
		in.mbox_from = span.mbox_from;
		in.mbox_from_len = span.mbox_from_len;
		in.header_truncated = span.hdr_truncated;
		in.no_body_separator = span.no_body_separator;
		in.mbox_from_truncated = span.mbox_from_truncated;
		in.body = span.body;
		in.body_len = span.body_len;
		in.body_truncated = span.body_truncated;
		if ((m = mt_analyze(ctx, &in, span.hdr, span.hdr_len)) == NULL)
			abort();	/* out of memory only */
		CHECK(mt_msg_get_error(m) == NULL);
		CHECK(mt_msg_json(m, 0, &json) == 0);
		record(json, span.index, false);
		free(json);
		CHECK(mt_msg_json(m, MT_JSON_PRETTY, &json) == 0);
		record(json, span.index, true);
		free(json);
		mt_msg_free(m);
	}
	CHECK(r == 0);
	mt_split_free(s);
	close(fd);
	return 0;
}
