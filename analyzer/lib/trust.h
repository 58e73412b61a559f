/*
 * trust.h - the configured recipient side (--trusted, --internal).
 * Compiled once per context; read-only afterwards.
 */
#ifndef MT_TRUST_H
#define MT_TRUST_H

#include "mt.h"

struct mt_trustcfg;

/* mt_trust_new - compile the lists; returns NULL when both are empty (no
 * configuration, not an error) or, with a one-line reason in err, when an
 * entry is neither an address, a CIDR network, a host nor a domain.  Tell
 * the two apart by err[0] (set to '\0' by the caller first). */
struct mt_trustcfg	*mt_trust_new(const char *const *trusted, size_t ntrusted,
		    const char *const *internal, size_t ninternal, char *err,
		    size_t errlen);
void		 mt_trust_free(struct mt_trustcfg *t);
/* mt_trust_ip - is the address in a configured network. */
bool		 mt_trust_ip(const struct mt_trustcfg *t, const struct mt_ip *ip);
/* mt_trust_host - is the host a configured host, or in a configured
 * domain. */
bool		 mt_trust_host(const struct mt_trustcfg *t, struct mt_str host);

#endif
