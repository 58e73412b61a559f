/*
 * summary.c - the batch aggregate: messages by verdict, and among the
 * suspicious and forged ones the origins that sent them (addresses, /24
 * and /48 networks, AS numbers, countries), their HELO names, the relays
 * they passed, and how often each finding was raised.
 *
 * Keys are copied: an accumulator outlives the messages added to it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geoip.h"
#include "mt.h"
#include "text.h"

/* Columns of the tables (as the terminal report). */
#define SUM_WIDTH 100

struct entry {
	char		*key;
	char		*extra;		/* the AS organization first seen */
	uint64_t	 count;
};

/* An open-addressing table of counted strings. */
struct table {
	struct entry	*v;
	size_t		 cap, n;
};

struct mt_sum {
	uint64_t	 messages, errors;
	uint64_t	 labels[3];	/* clean, suspicious, forged */
	struct table	 t[MT_SUM__COUNT];
	bool		 failed;
};

static const char *const table_names[MT_SUM__COUNT] = {
	[MT_SUM_ORIGIN_IP] = "origin_ips",
	[MT_SUM_NETWORK] = "networks",
	[MT_SUM_ASN] = "asns",
	[MT_SUM_COUNTRY] = "countries",
	[MT_SUM_HELO] = "helo_names",
	[MT_SUM_RELAY] = "relay_hosts",
	[MT_SUM_FINDING] = "findings",
};

/* hash - FNV-1a. */
static uint64_t
hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* bump_x - count one more of key in t; extra (may be NULL) is kept with
 * the key the first time it is given. */
static bool
bump_x(struct table *t, const char *key, const char *extra)
{
	size_t i;

	if (t->n * 2 >= t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 64, j;
		struct entry *nv = calloc(ncap, sizeof(*nv));

		if (nv == NULL)
			return false;
		for (j = 0; j < t->cap; j++) {
			if (t->v[j].key == NULL)
				continue;
			i = hash(t->v[j].key) & (ncap - 1);
			while (nv[i].key != NULL)
				i = (i + 1) & (ncap - 1);
			nv[i] = t->v[j];
		}
		free(t->v);
		t->v = nv;
		t->cap = ncap;
	}
	i = hash(key) & (t->cap - 1);
	while (t->v[i].key != NULL) {
		if (strcmp(t->v[i].key, key) == 0) {
			t->v[i].count++;
			if (t->v[i].extra == NULL && extra != NULL)
				t->v[i].extra = strdup(extra);
			return true;
		}
		i = (i + 1) & (t->cap - 1);
	}
	if ((t->v[i].key = strdup(key)) == NULL)
		return false;
	if (extra != NULL && (t->v[i].extra = strdup(extra)) == NULL) {
		free(t->v[i].key);
		t->v[i].key = NULL;
		return false;
	}
	t->v[i].count = 1;
	t->n++;
	return true;
}

/* bump - count one more of key in t. */
static bool
bump(struct table *t, const char *key)
{
	return bump_x(t, key, NULL);
}

/* find - the entry of key in t, or NULL. */
static const struct entry *
find(const struct table *t, const char *key)
{
	size_t i;

	if (t->cap == 0)
		return NULL;
	i = hash(key) & (t->cap - 1);
	while (t->v[i].key != NULL) {
		if (strcmp(t->v[i].key, key) == 0)
			return &t->v[i];
		i = (i + 1) & (t->cap - 1);
	}
	return NULL;
}


/* mt_sum_new - an empty accumulator; NULL when out of memory. */
struct mt_sum *
mt_sum_new(void)
{
	return calloc(1, sizeof(struct mt_sum));
}

/* mt_sum_free - release an accumulator; NULL does nothing. */
void
mt_sum_free(struct mt_sum *s)
{
	size_t k, i;

	if (s == NULL)
		return;
	for (k = 0; k < MT_SUM__COUNT; k++) {
		for (i = 0; i < s->t[k].cap; i++) {
			free(s->t[k].v[i].key);
			free(s->t[k].v[i].extra);
		}
		free(s->t[k].v);
	}
	free(s);
}

/* key - a NUL-terminated copy of a slice into buf (cut to fit). */
static const char *
key(char *buf, size_t len, struct mt_str v)
{
	size_t n = v.len < len - 1 ? v.len : len - 1;

	memcpy(buf, v.p, n);
	buf[n] = '\0';
	return buf;
}

/* network - the /24 of an IPv4 or the /48 of an IPv6 address. */
static void
network(const struct mt_ip *ip, char *buf, size_t len)
{
	struct mt_ip net = *ip;
	char a[64];

	if (ip->family == 4) {
		net.addr[3] = 0;
		mt_ip_format(&net, a, sizeof(a));
		snprintf(buf, len, "%s/24", a);
	} else {
		memset(net.addr + 6, 0, 10);
		mt_ip_format(&net, a, sizeof(a));
		snprintf(buf, len, "%s/48", a);
	}
}

/* mt_sum_add - count one message. */
void
mt_sum_add(struct mt_sum *s, const struct mt_msg *m)
{
	char buf[512];
	bool ok = true;
	size_t i;
	int l;

	s->messages++;
	if (m->error.p != NULL || !m->has_verdict) {
		s->errors++;
		return;
	}
	l = strcmp(m->label, "forged") == 0 ? 2 :
	    strcmp(m->label, "suspicious") == 0 ? 1 : 0;
	s->labels[l]++;
	/* Messages raising each finding: an id once per message. */
	for (i = 0; i < m->findings.n; i++) {
		size_t k;

		for (k = 0; k < i; k++)
			if (strcmp(m->findings.v[k].id, m->findings.v[i].id) == 0)
				break;
		if (k == i)
			ok &= bump(&s->t[MT_SUM_FINDING], m->findings.v[i].id);
	}
	if (l == 0)
		goto out;
	if (m->has_origin) {
		const struct mt_hop *h = &m->hops.v[m->origin_hop];
		const struct mt_geo_info *g = h->geo;

		if (h->from.ip.p != NULL) {
			ok &= bump(&s->t[MT_SUM_ORIGIN_IP],
			    key(buf, sizeof(buf), h->from.ip));
			network(&h->from.addr, buf, sizeof(buf));
			ok &= bump(&s->t[MT_SUM_NETWORK], buf);
		}
		if (h->from.helo.p != NULL)
			ok &= bump(&s->t[MT_SUM_HELO],
			    key(buf, sizeof(buf), h->from.helo));
		if (g != NULL && g->asn >= 0) {
			char org[256];

			snprintf(buf, sizeof(buf), "AS%ld", g->asn);
			ok &= bump_x(&s->t[MT_SUM_ASN], buf, g->as_org.p != NULL ?
			    key(org, sizeof(org), g->as_org) : NULL);
		}
		if (g != NULL && g->country.p != NULL)
			ok &= bump(&s->t[MT_SUM_COUNTRY],
			    key(buf, sizeof(buf), g->country));
	}
	for (i = 0; i < m->findings.n; i++) {
		const struct mt_finding *f = &m->findings.v[i];

		if (strcmp(f->id, "RELAY_HOP") == 0 && f->hop >= 0 &&
		    (size_t)f->hop < m->hops.n &&
		    m->hops.v[f->hop].by.host.p != NULL)
			ok &= bump(&s->t[MT_SUM_RELAY],
			    key(buf, sizeof(buf), m->hops.v[f->hop].by.host));
	}
out:
	if (!ok)
		s->failed = true;
}

/* bycount - most first, then by key, for a stable order. */
static int
bycount(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->key, y->key);
}

/* mt_sum_top - the n most frequent keys of a table, most first; returns
 * how many were written to keys/counts (borrowed until the next add). */
size_t
mt_sum_top(struct mt_sum *s, enum mt_sum_table k, size_t n,
    const char **keys, uint64_t *counts)
{
	struct table *t = &s->t[k];
	struct entry *v;
	size_t i, j = 0;

	if (t->n == 0)
		return 0;
	if ((v = malloc(t->n * sizeof(*v))) == NULL)
		return 0;
	for (i = 0; i < t->cap; i++)
		if (t->v[i].key != NULL)
			v[j++] = t->v[i];
	qsort(v, j, sizeof(*v), bycount);
	if (n > j)
		n = j;
	for (i = 0; i < n; i++) {
		keys[i] = v[i].key;
		counts[i] = v[i].count;
	}
	free(v);
	return n;
}

/* mt_sum_counts - messages, errors and the three labels. */
void
mt_sum_counts(const struct mt_sum *s, uint64_t *messages, uint64_t *errors,
    uint64_t labels[3])
{
	*messages = s->messages;
	*errors = s->errors;
	memcpy(labels, s->labels, sizeof(s->labels));
}

/* mt_sum_table_name - the JSON name of a table. */
const char *
mt_sum_table_name(enum mt_sum_table k)
{
	return (unsigned)k < MT_SUM__COUNT ? table_names[k] : NULL;
}

/* mt_sum_failed - did counting run out of memory at some point. */
bool
mt_sum_failed(const struct mt_sum *s)
{
	return s->failed;
}

/* mt_sum_size - how many distinct keys a table holds. */
size_t
mt_sum_size(const struct mt_sum *s, enum mt_sum_table k)
{
	return (unsigned)k < MT_SUM__COUNT ? s->t[k].n : 0;
}

/* mt_sum_asn_org - the organization first seen with an "AS4134" key of
 * MT_SUM_ASN, or NULL. */
const char *
mt_sum_asn_org(const struct mt_sum *s, const char *asn)
{
	const struct entry *e = find(&s->t[MT_SUM_ASN], asn);

	return e != NULL ? e->extra : NULL;
}

/* pct - a share in percent, 0 of nothing. */
static double
pct(uint64_t part, uint64_t whole)
{
	return whole == 0 ? 0.0 : 100.0 * (double)part / (double)whole;
}

/* row - one table row: count, then the key (and the extra text), escaped
 * and elided in the middle to fit SUM_WIDTH columns. */
static bool
row(FILE *f, uint64_t count, const char *k, const char *extra)
{
	char *a = NULL, *b = NULL;
	size_t wa, wb;
	bool ok;

	a = mt_text_fit(k, strlen(k), extra != NULL ? 40 : SUM_WIDTH - 12, &wa);
	if (a != NULL && extra != NULL)
		b = mt_text_fit(extra, strlen(extra), SUM_WIDTH - 14 - wa, &wb);
	ok = a != NULL && (extra == NULL || b != NULL);
	if (ok)
		fprintf(f, "  %8llu  %s%s%s\n", (unsigned long long)count, a,
		    b != NULL ? "  " : "", b != NULL ? b : "");
	free(a);
	free(b);
	return ok;
}

/* mt_sum_text - the aggregate as tables for a terminal. */
int
mt_sum_text(struct mt_sum *s, size_t top, char **out)
{
	static const char *const titles[MT_SUM__COUNT] = {
		[MT_SUM_ORIGIN_IP] = "Origin addresses",
		[MT_SUM_NETWORK] = "Origin networks, /24 and /48",
		[MT_SUM_ASN] = "Origin AS numbers",
		[MT_SUM_COUNTRY] = "Origin countries",
		[MT_SUM_HELO] = "HELO names the origins announced",
		[MT_SUM_RELAY] = "Relay hosts passed (RELAY_HOP)",
		[MT_SUM_FINDING] = "Findings: messages raising each",
	};
	const char **keys = NULL;
	uint64_t *counts = NULL, bad;
	char *buf = NULL;
	size_t size = 0, k, i, n, cap;
	FILE *f;

	*out = NULL;
	/* Findings are a closed set of ids: all of them, whatever top is. */
	cap = s->t[MT_SUM_FINDING].n > top ? s->t[MT_SUM_FINDING].n : top;
	if ((f = open_memstream(&buf, &size)) == NULL)
		return -1;
	keys = calloc(cap + 1, sizeof(*keys));
	counts = calloc(cap + 1, sizeof(*counts));
	if (keys == NULL || counts == NULL)
		goto fail;
	bad = s->labels[1] + s->labels[2];
	fprintf(f, "Summary: %llu messages\n", (unsigned long long)s->messages);
	for (i = 0; i < 3; i++)
		fprintf(f, "  %-12s %12llu  %5.1f%%\n", i == 0 ? "clean" :
		    i == 1 ? "suspicious" : "forged",
		    (unsigned long long)s->labels[i],
		    pct(s->labels[i], s->messages));
	fprintf(f, "  %-12s %12llu  %5.1f%%\n", "not analyzed",
	    (unsigned long long)s->errors, pct(s->errors, s->messages));
	if (s->failed)
		fprintf(f, "(out of memory while counting: the tables are "
		    "incomplete)\n");
	for (k = 0; k < MT_SUM__COUNT; k++) {
		n = mt_sum_top(s, (enum mt_sum_table)k,
		    k == MT_SUM_FINDING ? cap : top, keys, counts);
		if (n == 0)
			continue;
		if (k == MT_SUM_FINDING)
			fprintf(f, "\n%s (of %llu):\n", titles[k],
			    (unsigned long long)s->messages);
		else
			fprintf(f, "\n%s (of %llu suspicious and forged; top "
			    "%zu of %zu):\n", titles[k], (unsigned long long)bad,
			    n, s->t[k].n);
		for (i = 0; i < n; i++)
			if (!row(f, counts[i], keys[i], k == MT_SUM_ASN ?
			    mt_sum_asn_org(s, keys[i]) : NULL))
				goto fail;
	}
	free(keys);
	free(counts);
	if (fclose(f) != 0) {
		free(buf);
		return -1;
	}
	*out = buf;
	return 0;
fail:
	free(keys);
	free(counts);
	fclose(f);
	free(buf);
	return -1;
}
