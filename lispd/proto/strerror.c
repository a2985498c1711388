/* SPDX-License-Identifier: MIT */
/* Why a message was rejected, one phrase per LISP_E_* reason. */
#include "proto.h"

static const char *const reasons[LISP_E__MAX] = {
	[LISP_OK] = "success",
	[LISP_E_TRUNC] = "message truncated",
	[LISP_E_NOSPACE] = "output buffer too small",
	[LISP_E_INVAL] = "message cannot be encoded as given",
	[LISP_E_TYPE] = "unexpected message type",
	[LISP_E_TRAILING] = "trailing bytes after message",
	[LISP_E_AFI] = "unknown address family (AFI)",
	[LISP_E_AFI_NONE] = "AFI 0 where an address is required",
	[LISP_E_LCAF_LEN] = "LCAF length disagrees with its contents",
	[LISP_E_LCAF_TYPE] = "unsupported LCAF type",
	[LISP_E_LCAF_NEST] = "nested LCAF not supported",
	[LISP_E_AFI_LIST_EMPTY] = "empty AFI-list LCAF",
	[LISP_E_AFI_LIST_MANY] = "too many addresses in AFI-list LCAF",
	[LISP_E_MASKLEN] = "EID mask-len exceeds address length",
	[LISP_E_IID_MASKLEN] = "instance-id mask-len exceeds 32",
	[LISP_E_NO_RECORDS] = "Map-Request without records",
	[LISP_E_NO_ITR] = "Map-Request without a usable ITR-RLOC",
	[LISP_E_RECORDS] = "too many records",
	[LISP_E_LOCATORS] = "too many locators in a record",
	[LISP_E_PROBE_NOT_AUTH] = "probe Map-Reply record without A bit",
	[LISP_E_AUTH_ALG] = "unsupported authentication algorithm",
	[LISP_E_AUTH_LEN] = "authentication data length wrong for algorithm",
	[LISP_E_AUTH_FAIL] = "authentication data does not verify",
	[LISP_E_CRYPTO] = "cryptographic library failure",
	[LISP_E_ECM_SEC] = "ECM security data (S bit) not supported",
	[LISP_E_IP_VERSION] = "inner header is neither IPv4 nor IPv6",
	[LISP_E_IP_HLEN] = "bad inner IPv4 header length",
	[LISP_E_IP_LEN] = "inner IP length disagrees with packet",
	[LISP_E_IP_PROTO] = "inner packet is not UDP",
	[LISP_E_IP_FRAG] = "inner packet is a fragment",
	[LISP_E_IP_CSUM] = "bad inner IPv4 header checksum",
	[LISP_E_UDP_LEN] = "inner UDP length disagrees with IP length",
	[LISP_E_UDP_CSUM_ZERO] = "inner UDP checksum is zero",
	[LISP_E_UDP_CSUM] = "bad inner UDP checksum",
};

const char *
lisp_strerror(int err)
{
	if (err < 0)
		err = -err;
	if (err >= LISP_E__MAX || reasons[err] == NULL)
		return "unknown error";
	return reasons[err];
}
