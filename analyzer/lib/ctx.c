/*
 * ctx.c - the analysis context: what outlives a message (charset
 * converters, compiled rules, the public suffix list, the resolver and its
 * answer cache, the GeoIP databases).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "domain.h"
#include "enrich.h"
#include "mt.h"
#include "rules.h"
#include "trust.h"

/* is_dir - does path name a directory. */
static bool
is_dir(const char *path)
{
	struct stat st;

	return path != NULL && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/*
 * rules_dir - where the shipped rules are: the option, the environment
 * (MAILTRACE_RULES_DIR), the installed data directory, else the source
 * tree the program was built from (running from the build directory).
 */
static const char *
rules_dir(const struct mt_ctx_opts *o)
{
	const char *env;

	if (o->rules_dir != NULL)
		return o->rules_dir;
	if ((env = getenv("MAILTRACE_RULES_DIR")) != NULL && *env != '\0')
		return env;
#ifdef MT_RULES_DIR
	if (is_dir(MT_RULES_DIR))
		return MT_RULES_DIR;
#endif
#ifdef MT_SOURCE_RULES_DIR
	if (is_dir(MT_SOURCE_RULES_DIR))
		return MT_SOURCE_RULES_DIR;
#endif
	return NULL;
}

/* load_rules - the shipped rules, then every extra file or directory. */
static int
load_rules(struct mt_ctx *ctx, char *err, size_t errlen)
{
	const char *dir = rules_dir(&ctx->opts);
	size_t i;

	if ((ctx->rules = mt_rules_new()) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (dir != NULL && mt_rules_load_dir(ctx->rules, dir, err, errlen) != 0)
		return -1;
	for (i = 0; i < ctx->opts.nrules; i++) {
		const char *p = ctx->opts.rules[i];
		int r = is_dir(p) ?
		    mt_rules_load_dir(ctx->rules, p, err, errlen) :
		    mt_rules_load_file(ctx->rules, p, err, errlen);

		if (r != 0)
			return -1;
	}
	return 0;
}

/* mt_ctx_new - a context with opts (NULL for defaults). */
struct mt_ctx *
mt_ctx_new(const struct mt_ctx_opts *opts, char *err, size_t errlen)
{
	struct mt_ctx *ctx = NULL;
	char buf[512];

	if ((ctx = calloc(1, sizeof(*ctx))) == NULL)
		goto nomem;
	if (opts != NULL)
		ctx->opts = *opts;
	if ((ctx->conv = mt_conv_new()) == NULL)
		goto nomem;
	buf[0] = '\0';
	ctx->trust = mt_trust_new(ctx->opts.trusted, ctx->opts.ntrusted,
	    ctx->opts.internal, ctx->opts.ninternal, buf, sizeof(buf));
	/* The lists are compiled: the caller's arrays are not kept. */
	ctx->opts.trusted = ctx->opts.internal = NULL;
	ctx->opts.ntrusted = ctx->opts.ninternal = 0;
	if (buf[0] != '\0' || load_rules(ctx, buf, sizeof(buf)) != 0 ||
	    mt_enrich_ctx_new(ctx, buf, sizeof(buf)) != 0) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "%s", buf);
		mt_ctx_free(ctx);
		return NULL;
	}
	return ctx;
nomem:
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "out of memory");
	mt_ctx_free(ctx);
	return NULL;
}

/* mt_ctx_free - release a context; NULL does nothing. */
void
mt_ctx_free(struct mt_ctx *ctx)
{
	if (ctx == NULL)
		return;
	mt_enrich_ctx_free(ctx);
	mt_rules_free(ctx->rules);
	mt_trust_free(ctx->trust);
	mt_dom_free(ctx);
	mt_conv_free(ctx->conv);
	free(ctx);
}

/* mt_ctx_conv - the context's charset converters. */
struct mt_conv *
mt_ctx_conv(struct mt_ctx *ctx)
{
	return ctx->conv;
}

/* mt_ctx_dns_unavailable - why the resolver is unreachable, or NULL. */
const char *
mt_ctx_dns_unavailable(struct mt_ctx *ctx)
{
	return mt_enrich_unavailable(ctx);
}

/* mt_ctx_dns_save - write the answer cache to the cache file. */
int
mt_ctx_dns_save(struct mt_ctx *ctx, char *err, size_t errlen)
{
	return mt_enrich_save(ctx, err, errlen);
}
