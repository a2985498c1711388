/* SPDX-License-Identifier: MIT */
/*
 * Inside lnl: the attribute policies of the family and the one parser
 * that checks every attribute against them before a decoder reads it.
 */
#ifndef LISPD_LNL_ATTR_H
#define LISPD_LNL_ATTR_H

#include "lnl.h"

enum lnl_kind { LNL_NONE, LNL_U8, LNL_U32, LNL_U64, LNL_BIN, LNL_STR,
	LNL_NEST, LNL_FLAG, LNL_U16, LNL_RAW };	/* RAW: any length */

struct lnl_policy {
	uint8_t		 kind;
	uint8_t		 len;		/* BIN: exact; STR: at most, with NUL */
	const char	*name;
};

extern const struct lnl_policy lnl_top_policy[LISP_A_MAX + 1];
extern const struct lnl_policy lnl_rloc_policy[LISP_RLOC_A_MAX + 1];

/*
 * The attributes of a nest (or of a message after its genl header)
 * into tb[0..max], each checked against pol; types past max are a newer
 * kernel's and skipped.  0, or -EINVAL with why prefixed by ctx.
 */
int	lnl_parse_attrs(const void *start, size_t len,
	    const struct lnl_policy *pol, unsigned int max,
	    const struct nlattr **tb, const char *ctx, char *why);
int	lnl_parse_msg(const struct nlmsghdr *, const struct nlattr **tb,
	    char *why);
/*
 * The elements of a nest (an indexed array, or STATS) into el[0..max-1]:
 * their number, or -EINVAL when cut short or more than max.
 */
int	lnl_parse_array(const struct nlattr *nest, const struct nlattr **el,
	    int max, const char *name, char *why);
/*
 * The device and EID of a reply: EID_INET or EID_INET6 (required), its
 * EID_PLEN (absent: a host), IID, IFINDEX, IFNAME.
 */
int	lnl_get_key(const struct nlattr **tb, uint32_t *ifindex, char *ifname,
	    bool *has_iid, struct prefix *eid, char *why);
/* An address from whichever of its two attributes is present. */
void	lnl_get_addr(const struct nlattr *v4, const struct nlattr *v6,
	    struct laddr *);
void	lnl_put_addr(struct nlmsghdr *, uint16_t v4, uint16_t v6,
	    uint8_t family, const uint8_t *a);
void	lnl_get_str(const struct nlattr *, char *, size_t);
/* A CTRL event's attributes (ctrl.c): 0, or -EINVAL and why. */
int	lnl_ctrl_decode(const struct nlattr **tb, struct lnl_event *,
	    char *why);
int	lnl_why(char *why, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#endif /* LISPD_LNL_ATTR_H */
