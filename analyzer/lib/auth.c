/*
 * auth.c - authentication evidence: Authentication-Results (RFC 8601),
 * ARC, Received-SPF (RFC 7208 9.1), DKIM-Signature, vendor stamps.
 * Not yet implemented: the record's auth object stays empty.
 */
#include "mt.h"

/* mt_auth_run - read the authentication evidence of m; see mt.h. */
int
mt_auth_run(struct mt_msg *m, const struct mt_input *in)
{
	(void)m;
	(void)in;
	return 0;
}
