/*
 * backtrack.c - a local rules file with a catastrophic-backtracking
 * pattern (tests/bad/backtrack.rules: /^(\w+\s?)*$/ on the Subject),
 * loaded the way --rules loads it (mt_ctx_opts.rules), on messages whose
 * subject makes the pattern try 2^n ways to fail.  Each match must stop
 * at the PCRE2 limits of limits.h: the analysis finishes, the anomaly
 * RULE_LIMIT is in the record, and the rule raises no finding.  The time
 * limit is generous (it catches a hang, not a slow machine).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mt.h"
#include "t.h"

#define TIME_LIMIT_S 60.0

/* main - three subjects, each made to backtrack. */
int
main(void)
{
	static const char *const rules[] = {
	    MT_SOURCE_DIR "/tests/bad/backtrack.rules" };
	static const size_t lens[] = { 30, 4000, 60000 };
	struct mt_ctx_opts o;
	struct mt_ctx *ctx;
	char err[512];
	size_t i;

	memset(&o, 0, sizeof(o));
	o.no_dns = true;
	o.rules = rules;
	o.nrules = 1;
	if ((ctx = mt_ctx_new(&o, err, sizeof(err))) == NULL) {
		fprintf(stderr, "backtrack: %s\n", err);
		return 1;
	}
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		static const char head[] = "Received: from a.example.test "
		    "(a.example.test [192.0.2.1]) by mx.example.org; Tue, 18 "
		    "Mar 2003 14:20:30 -0800\nFrom: a@example.test\nSubject: ";
		static const char tail[] = "!\nDate: Tue, 18 Mar 2003 14:20:24 "
		    "-0800\n\nbody\n";
		struct mt_input in;
		struct mt_msg *m;
		struct timespec a, b;
		char *msg, *json = NULL, name[64];
		size_t n = sizeof(head) - 1 + lens[i] + sizeof(tail) - 1;
		double secs;

		snprintf(name, sizeof(name), "subject of %zu letters", lens[i]);
		if ((msg = malloc(n)) == NULL)
			abort();
		memcpy(msg, head, sizeof(head) - 1);
		memset(msg + sizeof(head) - 1, 'a', lens[i]);
		memcpy(msg + sizeof(head) - 1 + lens[i], tail, sizeof(tail) - 1);
		memset(&in, 0, sizeof(in));
		in.path = "backtrack.eml";
		in.size = n;
		clock_gettime(CLOCK_MONOTONIC, &a);
		m = mt_analyze(ctx, &in, msg, n);
		clock_gettime(CLOCK_MONOTONIC, &b);
		secs = (double)(b.tv_sec - a.tv_sec) +
		    (double)(b.tv_nsec - a.tv_nsec) / 1e9;
		T_TRUE(name, "analyzed", m != NULL);
		T_TRUE(name, "within the time limit", secs < TIME_LIMIT_S);
		if (m != NULL) {
			T_TRUE(name, "record", mt_msg_json(m, 0, &json) == 0);
			T_TRUE(name, "RULE_LIMIT in the record", json != NULL &&
			    strstr(json, "\"RULE_LIMIT\"") != NULL);
			/* A subject over MT_MAX_RULE_SUBJECT is matched on its
			 * first bytes with '$' not matching at the cut, so
			 * no length lets the rule raise its finding. */
			T_TRUE(name, "no finding from the rule",
			    json != NULL &&
			    strstr(json, "\"BACKTRACK\"") == NULL);
			printf("%s: %.3f s\n", name, secs);
		}
		free(json);
		mt_msg_free(m);
		free(msg);
	}
	mt_ctx_free(ctx);
	return t_done("backtrack");
}
