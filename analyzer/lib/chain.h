/*
 * chain.h - the chain engine's first pass, for the enrichment stage.
 * (mt_chain_run(), the full judgement, is declared in mt.h.)
 */
#ifndef MT_CHAIN_H
#define MT_CHAIN_H

#include "mt.h"

/*
 * mt_chain_plan - the trust boundary, the links and the injected hops of
 * m as they stand without DNS, with no findings and no verdict: the
 * enrichment stage asks DNS about the boundary and the hops below it that
 * are not injected.  mt_chain_run() later judges everything again, with
 * the answers.  Returns 0, -1 when out of memory.
 */
int	mt_chain_plan(struct mt_msg *m);

#endif
