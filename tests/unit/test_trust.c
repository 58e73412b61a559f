/*
 * test_trust.c - the configured recipient side: entries, matching, and the
 * boundary walked with --trusted/--internal instead of inferred.
 */
#include <stdlib.h>
#include <string.h>

#include "mt.h"
#include "t.h"
#include "trust.h"

/* analyze - a message header analyzed offline with the given lists. */
static struct mt_msg *
analyze(struct mt_ctx **ctxp, const char *const *trusted, size_t nt,
    const char *const *internal, size_t ni, const char *hdr)
{
	struct mt_ctx_opts o;
	struct mt_input in;
	char err[256];

	memset(&o, 0, sizeof(o));
	o.no_dns = true;
	o.no_geoip = true;
	o.trusted = trusted;
	o.ntrusted = nt;
	o.internal = internal;
	o.ninternal = ni;
	if ((*ctxp = mt_ctx_new(&o, err, sizeof(err))) == NULL) {
		T_FAIL("context: %s", err);
		return NULL;
	}
	memset(&in, 0, sizeof(in));
	in.path = "t.eml";
	return mt_analyze(*ctxp, &in, hdr, strlen(hdr));
}

int
main(void)
{
	static const char *const good[] = { "192.0.2.0/24", "2001:db8::/32",
	    "198.51.100.7", ".corp.example", "*.mail.example",
	    "mx1.example.net", "example.org" };
	static const struct {
		const char	*host;
		bool		 match;
	} hosts[] = {
		{ "a.corp.example", true }, { "corp.example", true },
		{ "xcorp.example", false }, { "in.mail.example", true },
		{ "MX1.Example.NET.", true }, { "mx2.example.net", false },
		{ "smtp.example.org", true }, { "example.org.evil.test", false },
	};
	static const struct {
		const char	*ip;
		bool		 match;
	} ips[] = {
		{ "192.0.2.200", true }, { "192.0.3.1", false },
		{ "2001:db8:ffff::1", true }, { "2001:db9::1", false },
		{ "198.51.100.7", true }, { "198.51.100.8", false },
	};
	/* A message that entered from outside at hop 1: hop 0 is the
	 * internal hand-over from the edge (10.1.1.5) to the mailbox host. */
	static const char *hdr =
	    "Received: from edge.corp.example (edge.corp.example [10.1.1.5])\r\n"
	    "\tby mbox.corp.example (Postfix) with ESMTP id A1;\r\n"
	    "\tTue, 18 Mar 2003 14:20:30 -0800\r\n"
	    "Received: from mail.sender.test (mail.sender.test [203.0.113.5])\r\n"
	    "\tby edge.corp.example (Postfix) with ESMTP id B2;\r\n"
	    "\tTue, 18 Mar 2003 14:20:24 -0800\r\n"
	    "From: a@sender.test\r\nMessage-ID: <1@sender.test>\r\n\r\n";
	/* The edge received from a private address where the Internet must
	 * have been crossed. */
	static const char *private_hdr =
	    "Received: from gw.sender.test (gw.sender.test [10.9.9.9])\r\n"
	    "\tby edge.corp.example (Postfix) with ESMTP id C3;\r\n"
	    "\tTue, 18 Mar 2003 14:20:24 -0800\r\n"
	    "Received: from x.sender.test (x.sender.test [203.0.113.9])\r\n"
	    "\tby gw.sender.test (Postfix) with ESMTP id D4;\r\n"
	    "\tTue, 18 Mar 2003 14:20:20 -0800\r\n"
	    "From: a@sender.test\r\nMessage-ID: <2@sender.test>\r\n\r\n";
	struct mt_trustcfg *t;
	struct mt_ctx *ctx;
	struct mt_msg *m;
	char err[256] = "";
	size_t i;

	t = mt_trust_new(good, sizeof(good) / sizeof(good[0]), NULL, 0, err,
	    sizeof(err));
	T_TRUE("compile", "good entries", t != NULL && err[0] == '\0');
	for (i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++)
		T_INT(hosts[i].host, "host match", mt_trust_host(t,
		    mt_str(hosts[i].host, strlen(hosts[i].host))),
		    hosts[i].match);
	for (i = 0; i < sizeof(ips) / sizeof(ips[0]); i++) {
		struct mt_ip ip;

		mt_ip_parse(mt_str(ips[i].ip, strlen(ips[i].ip)), &ip);
		T_INT(ips[i].ip, "ip match", mt_trust_ip(t, &ip),
		    ips[i].match);
	}
	mt_trust_free(t);
	mt_trust_free(NULL);
	err[0] = '\0';
	T_TRUE("compile", "none configured", mt_trust_new(NULL, 0, NULL, 0,
	    err, sizeof(err)) == NULL && err[0] == '\0');
	{
		static const char *const bad[] = { "192.0.2.0/33" };
		static const char *const bad2[] = { "host name with spaces" };

		T_TRUE("compile", "bad prefix", mt_trust_new(bad, 1, NULL, 0,
		    err, sizeof(err)) == NULL && strstr(err, "--trusted "
		    "192.0.2.0/33") != NULL);
		err[0] = '\0';
		T_TRUE("compile", "bad name", mt_trust_new(NULL, 0, bad2, 1,
		    err, sizeof(err)) == NULL && strstr(err, "--internal")
		    != NULL);
	}
	/* Configured: the walk passes the internal hand-over. */
	{
		static const char *const internal[] = { "10.0.0.0/8",
		    ".corp.example" };

		m = analyze(&ctx, NULL, 0, internal, 2, hdr);
		T_TRUE("configured", "analyzed", m != NULL);
		if (m != NULL) {
			T_TRUE("configured", "boundary", m->has_boundary &&
			    m->boundary_hop == 1);
			T_STR("configured", "reason", m->boundary_reason,
			    "configured");
			T_STR("configured", "origin", m->hops.v[1].from.ip.p,
			    "203.0.113.5");
		}
		mt_msg_free(m);
		mt_ctx_free(ctx);
	}
	/* A configured list that does not know the client stops at once. */
	{
		static const char *const trusted[] = { "192.0.2.0/24" };
		bool found = false;

		m = analyze(&ctx, trusted, 1, NULL, 0, private_hdr);
		if (m != NULL) {
			T_TRUE("private", "boundary", m->has_boundary &&
			    m->boundary_hop == 0);
			for (i = 0; i < m->findings.n; i++)
				found |= strcmp(m->findings.v[i].id,
				    "PRIVATE_IP_EXTERNAL") == 0 &&
				    m->findings.v[i].hop == 0;
			T_TRUE("private", "PRIVATE_IP_EXTERNAL on hop 0", found);
		}
		mt_msg_free(m);
		mt_ctx_free(ctx);
	}
	/* A bad entry makes the context fail with the reason. */
	{
		static const char *const bad[] = { "not/a/net" };
		struct mt_ctx_opts o;

		memset(&o, 0, sizeof(o));
		o.no_dns = true;
		o.trusted = bad;
		o.ntrusted = 1;
		err[0] = '\0';
		ctx = mt_ctx_new(&o, err, sizeof(err));
		T_TRUE("context", "refused", ctx == NULL &&
		    strstr(err, "not/a/net") != NULL);
		mt_ctx_free(ctx);
	}
	return t_done("trust");
}
