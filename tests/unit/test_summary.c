/*
 * test_summary.c - the batch aggregate over the seed samples.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mailtrace.h"
#include "t.h"

int
main(void)
{
	struct mt_ctx_opts o;
	struct mt_ctx *ctx;
	struct mt_split *sp;
	struct mt_span span;
	struct mt_sum *s;
	const char *keys[8];
	uint64_t counts[8], msgs, errs, labels[3];
	char err[256], *text = NULL;
	size_t n;
	int fd;

	memset(&o, 0, sizeof(o));
	o.no_dns = true;
	ctx = mt_ctx_new(&o, err, sizeof(err));
	s = mt_sum_new();
	fd = open(MT_SOURCE_DIR "/samples/seed.mbox", O_RDONLY);
	if (ctx == NULL || s == NULL || fd < 0) {
		fprintf(stderr, "setup failed\n");
		return 1;
	}
	sp = mt_split_new(fd);
	while (mt_split_next(sp, &span) == 1) {
		struct mt_input in;
		struct mt_msg *m;

		memset(&in, 0, sizeof(in));
		in.path = "seed.mbox";
		in.index = span.index;
		m = mt_analyze(ctx, &in, span.hdr, span.hdr_len);
		mt_sum_add(s, m);
		mt_msg_free(m);
	}
	/* An error record counts as not analyzed. */
	{
		struct mt_input in;
		struct mt_msg *m;

		memset(&in, 0, sizeof(in));
		in.path = "x";
		m = mt_msg_error(ctx, &in, "empty message");
		mt_sum_add(s, m);
		mt_msg_free(m);
	}
	mt_split_free(sp);
	close(fd);
	mt_sum_counts(s, &msgs, &errs, labels);
	T_INT("counts", "messages", msgs, 6);
	T_INT("counts", "errors", errs, 1);
	T_INT("counts", "all labelled", labels[0] + labels[1] + labels[2], 5);
	T_TRUE("counts", "one forged at least", labels[2] >= 1);
	/* Four seed spams come from 203.0.113.20 (linuxaid.com.cn); the
	 * relay spam reached the recipient from unwilling.intermedia.com. */
	n = mt_sum_top(s, MT_SUM_ORIGIN_IP, 8, keys, counts);
	T_TRUE("origins", "some", n >= 1);
	if (n >= 1) {
		T_STR("origins", "top address", keys[0], "203.0.113.20");
		T_INT("origins", "top count", counts[0], 3);
	}
	n = mt_sum_top(s, MT_SUM_NETWORK, 8, keys, counts);
	if (n >= 1)
		T_STR("networks", "top /24", keys[0], "203.0.113.0/24");
	n = mt_sum_top(s, MT_SUM_HELO, 8, keys, counts);
	if (n >= 1)
		T_STR("helo", "top HELO", keys[0], "galangal.org");
	n = mt_sum_top(s, MT_SUM_RELAY, 8, keys, counts);
	{
		size_t i;
		bool found = false;

		for (i = 0; i < n; i++)
			found |= strcmp(keys[i], "unwilling.intermedia.com") == 0;
		T_TRUE("relays", "intermedia is a relay", found);
	}
	n = mt_sum_top(s, MT_SUM_FINDING, 1, keys, counts);
	T_INT("findings", "top one only", n, 1);
	T_STR("table", "name", mt_sum_table_name(MT_SUM_NETWORK), "networks");
	/* Findings count messages: INJECTED_RECEIVED is raised twice in one
	 * seed message. */
	{
		const char *fk[64];
		uint64_t fc[64];
		size_t k, nf = mt_sum_top(s, MT_SUM_FINDING, 64, fk, fc);
		bool seen = false;

		T_TRUE("findings", "size", mt_sum_size(s, MT_SUM_FINDING) == nf);
		for (k = 0; k < nf; k++)
			if (strcmp(fk[k], "INJECTED_RECEIVED") == 0) {
				T_INT("findings", "INJECTED_RECEIVED messages",
				    fc[k], 1);
				seen = true;
			}
		T_TRUE("findings", "INJECTED_RECEIVED counted", seen);
	}
	{
		const char *head = "{\"type\":\"summary\",\"schema\":"
		    "\"mailtrace/1\",\"messages\":6,\"errors\":1,";
		char *json = NULL;

		T_INT("json", "renders", mt_sum_json(s, 5, 0, &json), 0);
		T_TRUE("json", "summary record", json != NULL &&
		    strncmp(json, head, strlen(head)) == 0);
		T_TRUE("json", "origin", json != NULL && strstr(json,
		    "\"origin_ips\":[{\"ip\":\"203.0.113.20\",\"count\":3}") !=
		    NULL);
		free(json);
		T_INT("json", "ecs renders", mt_sum_json(s, 5, MT_JSON_ECS,
		    &json), 0);
		T_TRUE("json", "ecs metric", json != NULL && strstr(json,
		    "\"kind\":\"metric\"") != NULL && strstr(json,
		    "\"summary\":{\"type\":\"summary\"") != NULL);
		free(json);
	}
	T_TRUE("asn", "no org without GeoIP",
	    mt_sum_asn_org(s, "AS4134") == NULL);
	T_INT("text", "renders", mt_sum_text(s, 5, &text), 0);
	T_TRUE("text", "has the verdict line", text != NULL &&
	    strstr(text, "Summary: 6 messages") != NULL);
	T_TRUE("text", "no failure", !mt_sum_failed(s));
	free(text);
	mt_sum_free(s);
	mt_sum_free(NULL);
	mt_ctx_free(ctx);
	return t_done("summary");
}
