/*
 * trust.c - the configured recipient side (--trusted, --internal, and the
 * same keys in a config file): networks in CIDR notation, host names, and
 * domains.  When a list is configured, the trust boundary is walked with it
 * instead of being inferred.
 *
 * An entry is one of:
 *   192.0.2.0/24, 2001:db8::/32, 198.51.100.7   an address or network
 *   .example.com, *.example.com                  a domain and every host in it
 *   mx1.example.com                              one host (or, with no host
 *                                                of that name seen, a domain:
 *                                                "example.com" matches
 *                                                "mx.example.com" too)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mt.h"
#include "trust.h"

struct entry {
	bool		 is_net;
	struct mt_ip	 net;
	unsigned	 bits;
	char		*name;		/* lowercased host or domain, no dot */
	bool		 internal;	/* --internal rather than --trusted */
};

struct mt_trustcfg {
	struct entry	*v;
	size_t		 n;
};

/* parse_net - "a.b.c.d[/n]" or "v6[/n]" into e. */
static bool
parse_net(const char *s, struct entry *e)
{
	char buf[64];
	const char *slash = strchr(s, '/');
	size_t len = slash ? (size_t)(slash - s) : strlen(s);
	long bits;

	if (len == 0 || len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (!mt_ip_parse(mt_str(buf, len), &e->net))
		return false;
	if (slash == NULL)
		bits = e->net.family == 4 ? 32 : 128;
	else if (!mt_parse_int(mt_str(slash + 1, strlen(slash + 1)), 0,
	    e->net.family == 4 ? 32 : 128, &bits))
		return false;
	e->bits = (unsigned)bits;
	e->is_net = true;
	return true;
}

/* parse_name - a host or domain name: letters, digits, '-', '.', '_'. */
static bool
parse_name(const char *s, struct entry *e)
{
	size_t i, n;

	if (s[0] == '*' && s[1] == '.')
		s += 2;
	else if (s[0] == '.')
		s++;
	n = strlen(s);
	while (n > 0 && s[n - 1] == '.')
		n--;
	if (n == 0 || n > 253)
		return false;
	for (i = 0; i < n; i++)
		if (!mt_is((unsigned char)s[i], MT_C_HOST))
			return false;
	if ((e->name = malloc(n + 1)) == NULL)
		return false;
	for (i = 0; i < n; i++)
		e->name[i] = (char)mt_lower((unsigned char)s[i]);
	e->name[n] = '\0';
	return true;
}

/* add - compile one entry. */
static int
add(struct mt_trustcfg *t, const char *s, bool internal, char *err,
    size_t errlen)
{
	struct entry e;
	struct entry *nv;

	memset(&e, 0, sizeof(e));
	e.internal = internal;
	if (!parse_net(s, &e) && !parse_name(s, &e)) {
		snprintf(err, errlen, "--%s %s: not an address, a network "
		    "(CIDR), a host or a domain", internal ? "internal" :
		    "trusted", s);
		return -1;
	}
	if ((nv = realloc(t->v, (t->n + 1) * sizeof(*nv))) == NULL) {
		free(e.name);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	t->v = nv;
	t->v[t->n++] = e;
	return 0;
}

/* mt_trust_new - compile the lists; NULL with err on a bad entry, and
 * *none set when both lists are empty (then NULL is not an error). */
struct mt_trustcfg *
mt_trust_new(const char *const *trusted, size_t ntrusted,
    const char *const *internal, size_t ninternal, char *err, size_t errlen)
{
	struct mt_trustcfg *t;
	size_t i;

	if (ntrusted == 0 && ninternal == 0)
		return NULL;
	if ((t = calloc(1, sizeof(*t))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	for (i = 0; i < ntrusted; i++)
		if (add(t, trusted[i], false, err, errlen) != 0)
			goto fail;
	for (i = 0; i < ninternal; i++)
		if (add(t, internal[i], true, err, errlen) != 0)
			goto fail;
	return t;
fail:
	mt_trust_free(t);
	return NULL;
}

/* mt_trust_free - release the lists; NULL does nothing. */
void
mt_trust_free(struct mt_trustcfg *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->n; i++)
		free(t->v[i].name);
	free(t->v);
	free(t);
}

/* in_net - is ip inside e's network. */
static bool
in_net(const struct entry *e, const struct mt_ip *ip)
{
	unsigned full = e->bits / 8, rest = e->bits % 8;

	if (ip->family != e->net.family)
		return false;
	if (memcmp(ip->addr, e->net.addr, full) != 0)
		return false;
	return rest == 0 || ((ip->addr[full] ^ e->net.addr[full]) &
	    (uint8_t)(0xff << (8 - rest))) == 0;
}

/* mt_trust_ip - does an address belong to the configured side. */
bool
mt_trust_ip(const struct mt_trustcfg *t, const struct mt_ip *ip)
{
	size_t i;

	if (t == NULL || ip == NULL || ip->family == 0)
		return false;
	for (i = 0; i < t->n; i++)
		if (t->v[i].is_net && in_net(&t->v[i], ip))
			return true;
	return false;
}

/* mt_trust_host - does a host name belong to the configured side: equal
 * to an entry, or inside an entry's domain. */
bool
mt_trust_host(const struct mt_trustcfg *t, struct mt_str host)
{
	size_t i;

	if (t == NULL || host.p == NULL || host.len == 0)
		return false;
	if (host.len > 0 && host.p[host.len - 1] == '.')
		host.len--;
	for (i = 0; i < t->n; i++) {
		const struct entry *e = &t->v[i];
		size_t n;

		if (e->is_net)
			continue;
		n = strlen(e->name);
		if (mt_str_ieq(host, mt_str(e->name, n)))
			return true;
		if (host.len > n && host.p[host.len - n - 1] == '.' &&
		    mt_str_ieq(mt_str(host.p + host.len - n, n),
		    mt_str(e->name, n)))
			return true;
	}
	return false;
}
