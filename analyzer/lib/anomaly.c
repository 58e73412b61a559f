/*
 * anomaly.c - evidence about malformed input.  An anomaly is not an error:
 * it is recorded with the byte offset where it was seen, and parsing goes
 * on (the rspamd way: broken input becomes a flag, never an abort).
 */
#include "mt.h"

static const char *const names[] = {
#define MT_X(name) #name,
	MT_ANOMALIES(MT_X)
#undef MT_X
};

/* mt_anomaly_name - the stable upper-case id of a code. */
const char *
mt_anomaly_name(enum mt_anomaly_code code)
{
	if ((unsigned)code >= MT_AN__COUNT)
		return "UNKNOWN";
	return names[code];
}

/* mt_anomaly_add - record code at offset once; past the cap, count only. */
void
mt_anomaly_add(struct mt_msg *m, enum mt_anomaly_code code, uint64_t offset)
{
	struct mt_anomaly *an;
	size_t i;

	if (m->anomalies.n >= MT_MAX_ANOMALIES) {
		m->anomalies_dropped++;
		return;
	}
	for (i = 0; i < m->anomalies.n; i++)
		if (m->anomalies.v[i].code == code &&
		    m->anomalies.v[i].offset == offset)
			return;
	if (m->anomalies.n == MT_MAX_ANOMALIES - 1)
		code = MT_AN_ANOMALIES_TRUNCATED;
	if ((an = mt_vec_push(&m->arena, &m->anomalies)) == NULL)
		return;
	an->code = code;
	an->offset = offset;
}
