/* SPDX-License-Identifier: MIT */
/* Why a message was rejected, one phrase per LISP_E_* reason. */
#include "proto.h"

#define REASON(id, name, phrase)	[LISP_E_##id] = phrase,
static const char *const reasons[LISP_E__MAX] = {
	[LISP_OK] = "success",
	LISP_ERRORS(REASON)
};
#undef REASON

const char *
lisp_strerror(int err)
{
	if (err < 0)
		err = -err;
	if (err >= LISP_E__MAX || reasons[err] == NULL)
		return "unknown error";
	return reasons[err];
}
