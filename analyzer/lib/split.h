/*
 * split.h - the splitter's private header; its cap MT_MAX_MBOX_FROM is in
 * limits.h with the others.  The public API (struct mt_span, mt_split_*)
 * is in mailtrace.h.
 */
#ifndef MT_SPLIT_H
#define MT_SPLIT_H

#include "limits.h"


#endif
