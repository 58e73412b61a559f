/*
 * fuzz_header.c - the header field splitter (mt_hdr_parse) on any bytes,
 * once as a header that ended at a blank line and once as a message
 * without one.  Every field must lie inside the kept header copy, in
 * order and within the caps; every anomaly offset inside the input.
 */
#include "fuzz.h"

/* run - parse the bytes as a header and check what came out. */
static void
run(const uint8_t *data, size_t size, bool nobody)
{
	struct mt_msg *m = fz_msg();
	const char *p = (const char *)data;
	uint64_t prev = 0;
	size_t i;

	m->no_body_separator = nobody;
	if (mt_hdr_parse(m, p, size) != 0)
		abort();	/* out of memory only */
	CHECK(m->hdr_len <= size);
	CHECK(m->hdr != NULL && memcmp(m->hdr, p, m->hdr_len) == 0);
	CHECK(m->fields.n <= MT_MAX_FIELDS);
	for (i = 0; i < m->fields.n; i++) {
		const struct mt_field *f = &m->fields.v[i];

		CHECK(f->index == i);
		CHECK(i == 0 || f->offset > prev);
		prev = f->offset;
		CHECK(f->offset < m->hdr_len);
		CHECK(f->raw.p == m->hdr + f->offset);
		CHECK(f->raw.len <= m->hdr_len - f->offset);
		CHECK(f->raw.len <= MT_MAX_FIELD_LEN);
		CHECK(f->name.p == f->raw.p && f->name.len <= f->raw.len);
		CHECK(f->value.p != NULL && f->value.p[f->value.len] == '\0');
		CHECK(f->value.len <= f->raw.len);
		CHECK(f->value_offset <= m->hdr_len);
		CHECK(memchr(f->name.p, ':', f->name.len) == NULL);
	}
	CHECK(m->anomalies.n <= MT_MAX_ANOMALIES);
	for (i = 0; i < m->anomalies.n; i++)
		CHECK(m->anomalies.v[i].offset <= size);
	(void)mt_hdr_find(m, "Received");
	(void)mt_hdr_count(m, "received");
	mt_msg_free(m);
}

/* LLVMFuzzerTestOneInput - one input; see the top of the file. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	run(data, size, false);
	run(data, size, true);
	return 0;
}
