/*
 * domain.h - host-name helpers for the chain engine (registrable domains
 * through the Public Suffix List; generic access-provider names).
 */
#ifndef MT_DOMAIN_H
#define MT_DOMAIN_H

#include "mt.h"

bool		mt_dom_is_fqdn(struct mt_str host);
struct mt_str	mt_dom_registrable(struct mt_ctx *ctx, struct mt_arena *a,
		    struct mt_str host);
bool		mt_dom_same(struct mt_ctx *ctx, struct mt_arena *a,
		    struct mt_str x, struct mt_str y);
bool		mt_dom_is_generic(struct mt_str name, const struct mt_ip *ip);
void		mt_dom_free(struct mt_ctx *ctx);

#endif
