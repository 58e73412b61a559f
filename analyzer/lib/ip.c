/*
 * ip.c - IP literals: strict parsing, canonical text (RFC 5952) and the
 * address classes that decide what is sent to DNS and what counts as a
 * public hand-over.
 */
#include <arpa/inet.h>
#include <string.h>

#include "mt.h"

/* v4 - strict dotted quad: four decimal parts 0..255, no leading zeros
 * beyond a lone "0" (so "300.1.2.3" and "01.2.3.4" are refused). */
static bool
v4(struct mt_str s, uint8_t out[4])
{
	size_t i = 0, part = 0;

	while (part < 4) {
		size_t start = i;
		unsigned v = 0;

		while (i < s.len && mt_is((unsigned char)s.p[i], MT_C_DIGIT)) {
			v = v * 10 + (unsigned)(s.p[i] - '0');
			if (i - start >= 3 || v > 255)
				return false;
			i++;
		}
		if (i == start || (i - start > 1 && s.p[start] == '0'))
			return false;
		out[part++] = (uint8_t)v;
		if (part < 4) {
			if (i >= s.len || s.p[i] != '.')
				return false;
			i++;
		}
	}
	return i == s.len;
}

/* mt_ip_parse - IPv4 or IPv6 literal, see mt.h. */
bool
mt_ip_parse(struct mt_str s, struct mt_ip *ip)
{
	char buf[64];
	size_t i;

	memset(ip, 0, sizeof(*ip));
	if (s.p == NULL || s.len == 0)
		return false;
	if (v4(s, ip->addr)) {
		ip->family = 4;
		return true;
	}
	if (mt_str_istarts(s, "IPv6:")) {
		s.p += 5;
		s.len -= 5;
	}
	for (i = 0; i < s.len; i++)
		if (s.p[i] == '%') {	/* zone id: not part of the address */
			s.len = i;
			break;
		}
	if (s.len < 2 || s.len >= sizeof(buf))
		return false;
	for (i = 0; i < s.len; i++)
		if (!mt_is((unsigned char)s.p[i], MT_C_HEX) && s.p[i] != ':' &&
		    s.p[i] != '.')
			return false;
	memcpy(buf, s.p, s.len);
	buf[s.len] = '\0';
	if (inet_pton(AF_INET6, buf, ip->addr) != 1)
		return false;
	ip->family = 6;
	/* IPv4-mapped (::ffff:a.b.c.d) is written and treated as IPv4. */
	{
		static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		    0xff, 0xff };

		if (memcmp(ip->addr, mapped, 12) == 0) {
			memmove(ip->addr, ip->addr + 12, 4);
			memset(ip->addr + 4, 0, 12);
			ip->family = 4;
		}
	}
	return true;
}

/* quad - "a.b.c.d" of four bytes at d; returns the end. */
static char *
quad(char *d, const uint8_t *a)
{
	size_t i;

	for (i = 0; i < 4; i++) {
		unsigned v = a[i];

		if (i > 0)
			*d++ = '.';
		if (v >= 100)
			*d++ = (char)('0' + v / 100);
		if (v >= 10)
			*d++ = (char)('0' + v / 10 % 10);
		*d++ = (char)('0' + v % 10);
	}
	return d;
}

/*
 * v6text - RFC 5952 text of an IPv6 address, the very text inet_ntop()
 * of glibc writes: lower-case hex without leading zeros, the first
 * longest run of two or more zero words as "::", and an embedded IPv4
 * dotted quad for ::a.b.c.d and ::ffff:a.b.c.d.  buf has 46 bytes.
 */
static void
v6text(const uint8_t *a, char *buf)
{
	static const char hex[] = "0123456789abcdef";
	unsigned w[8];
	int i, best = -1, bestlen = 0, cur = -1, curlen = 0;
	char *d = buf;

	for (i = 0; i < 8; i++)
		w[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
	for (i = 0; i < 8; i++) {
		if (w[i] == 0) {
			if (cur < 0) {
				cur = i;
				curlen = 0;
			}
			curlen++;
		} else if (cur >= 0) {
			if (best < 0 || curlen > bestlen) {
				best = cur;
				bestlen = curlen;
			}
			cur = -1;
		}
	}
	if (cur >= 0 && (best < 0 || curlen > bestlen)) {
		best = cur;
		bestlen = curlen;
	}
	if (best >= 0 && bestlen < 2)
		best = -1;
	for (i = 0; i < 8; i++) {
		if (best >= 0 && i >= best && i < best + bestlen) {
			if (i == best)
				*d++ = ':';
			continue;
		}
		if (i != 0)
			*d++ = ':';
		if (i == 6 && best == 0 && (bestlen == 6 ||
		    (bestlen == 5 && w[5] == 0xffff))) {
			d = quad(d, a + 12);
			break;
		}
		if (w[i] >= 0x1000)
			*d++ = hex[w[i] >> 12];
		if (w[i] >= 0x100)
			*d++ = hex[w[i] >> 8 & 15];
		if (w[i] >= 0x10)
			*d++ = hex[w[i] >> 4 & 15];
		*d++ = hex[w[i] & 15];
	}
	if (best >= 0 && best + bestlen == 8)
		*d++ = ':';
	*d = '\0';
}

/* mt_ip_format - canonical text of ip into buf (inet_ntop()'s text,
 * written without printf: records and rules format one per hop). */
const char *
mt_ip_format(const struct mt_ip *ip, char *buf, size_t len)
{
	if ((ip->family == 4 || ip->family == 6) && len >= 46) {
		if (ip->family == 4)
			*quad(buf, ip->addr) = '\0';
		else
			v6text(ip->addr, buf);
		return buf;
	}
	if (ip->family == 4)
		return inet_ntop(AF_INET, ip->addr, buf, (socklen_t)len);
	if (ip->family == 6)
		return inet_ntop(AF_INET6, ip->addr, buf, (socklen_t)len);
	if (len > 0)
		buf[0] = '\0';
	return NULL;
}

struct net {
	uint8_t		 family;
	uint8_t		 prefix[16];
	unsigned	 bits;
	enum mt_ip_class cls;
};

/* First match wins; order specific before general. */
static const struct net nets[] = {
	{ 4, { 192, 0, 2 }, 24, MT_IPC_DOCUMENTATION },
	{ 4, { 198, 51, 100 }, 24, MT_IPC_DOCUMENTATION },
	{ 4, { 203, 0, 113 }, 24, MT_IPC_DOCUMENTATION },
	{ 4, { 10 }, 8, MT_IPC_PRIVATE },
	{ 4, { 172, 16 }, 12, MT_IPC_PRIVATE },
	{ 4, { 192, 168 }, 16, MT_IPC_PRIVATE },
	{ 4, { 127 }, 8, MT_IPC_LOOPBACK },
	{ 4, { 169, 254 }, 16, MT_IPC_LINK_LOCAL },
	{ 4, { 100, 64 }, 10, MT_IPC_CGNAT },
	{ 4, { 0 }, 8, MT_IPC_RESERVED },
	{ 4, { 192, 0, 0 }, 24, MT_IPC_RESERVED },
	{ 4, { 198, 18 }, 15, MT_IPC_RESERVED },	/* benchmarking */
	{ 4, { 224 }, 4, MT_IPC_RESERVED },		/* multicast */
	{ 4, { 240 }, 4, MT_IPC_RESERVED },		/* and broadcast */
	{ 6, { 0x20, 0x01, 0x0d, 0xb8 }, 32, MT_IPC_DOCUMENTATION },
	{ 6, { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 }, 128,
	    MT_IPC_LOOPBACK },
	{ 6, { 0 }, 128, MT_IPC_RESERVED },		/* :: */
	{ 6, { 0xfe, 0x80 }, 10, MT_IPC_LINK_LOCAL },
	{ 6, { 0xfc }, 7, MT_IPC_PRIVATE },		/* unique local */
	{ 6, { 0xff }, 8, MT_IPC_RESERVED },		/* multicast */
	{ 6, { 0x01, 0x00 }, 64, MT_IPC_RESERVED },	/* discard */
	{ 6, { 0x20, 0x01, 0, 0 }, 23, MT_IPC_RESERVED }, /* IETF protocol */
	{ 6, { 0 }, 8, MT_IPC_RESERVED },		/* other ::/8 */
};

/* match - does ip fall in n. */
static bool
match(const struct mt_ip *ip, const struct net *n)
{
	unsigned full = n->bits / 8, rest = n->bits % 8;

	if (ip->family != n->family)
		return false;
	if (memcmp(ip->addr, n->prefix, full) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((ip->addr[full] ^ n->prefix[full]) &
	    (uint8_t)(0xff << (8 - rest))) == 0;
}

/* mt_ip_classify - the class of an address (SCHEMA.md ip_class). */
enum mt_ip_class
mt_ip_classify(const struct mt_ip *ip)
{
	size_t i;

	if (ip->family == 0)
		return MT_IPC_NONE;
	for (i = 0; i < sizeof(nets) / sizeof(nets[0]); i++)
		if (match(ip, &nets[i]))
			return nets[i].cls;
	return MT_IPC_PUBLIC;
}

/* mt_ip_class_name - JSON name of a class, NULL for none. */
const char *
mt_ip_class_name(enum mt_ip_class c)
{
	switch (c) {
	case MT_IPC_PUBLIC: return "public";
	case MT_IPC_PRIVATE: return "private";
	case MT_IPC_LOOPBACK: return "loopback";
	case MT_IPC_LINK_LOCAL: return "link-local";
	case MT_IPC_CGNAT: return "cgnat";
	case MT_IPC_DOCUMENTATION: return "documentation";
	case MT_IPC_RESERVED: return "reserved";
	case MT_IPC_NONE: break;
	}
	return NULL;
}
