// SPDX-License-Identifier: GPL-2.0
/*
 * The show commands of the kernel's tables: their words ("[dev] DEV",
 * "iid N" or "instance-id N"), the dump, and the instance-id filter; and
 * the lisp device that serves an instance-id.  The kernel gives every
 * row its device's instance-id and takes none in a request, so the
 * filter is applied to the rows as they come.  One device per
 * instance-id is the rule, but devices on different ports or underlays
 * may share one: a filter shows them all, and a single lookup
 * ("map-cache get [IID]ADDR") refuses to guess between them.
 */
#include <string.h>
#include <net/if.h>
#include <libmnl/libmnl.h>

#include "lispctl.h"

/*
 * The words of a show command: [ [KEY] OBJ ] [ iid IID ], in any order.
 * OBJ (a device, or a policy name when key is NULL) into *obj; the
 * instance-id into o, which is reset first.
 */
int lc_show_args(const char *what, const char *key, int argc, char **argv,
		 const char **obj, struct lc_out *o)
{
	int i;

	*obj = NULL;
	o->has_iid = false;
	o->iid = 0;
	for (i = 0; i < argc; i++) {
		const char *w = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(w, "iid") || !strcmp(w, "instance-id")) {
			if (!val)
				return lc_usage_err("%s: \"%s\" needs a value",
						    what, w);
			if (o->has_iid)
				return lc_usage_err("%s: one instance-id only",
						    what);
			if (lc_parse_u32(val, LISP_IID_MAX, &o->iid))
				return lc_usage_err("%s: invalid instance-id \"%s\" (0..%u)",
						    what, val, LISP_IID_MAX);
			o->has_iid = true;
			i++;
			continue;
		}
		if (key && !strcmp(w, key)) {
			if (!val)
				return lc_usage_err("%s: \"%s\" needs a value",
						    what, w);
			w = val;
			i++;
		}
		if (*obj)
			return lc_usage_err("%s: unexpected \"%s\"", what, w);
		*obj = w;
	}
	return 0;
}

/* A device name, checked before the kernel sees it. */
int lc_put_dev(struct nlmsghdr *nlh, const char *what, const char *dev)
{
	if (!dev)
		return lc_usage_err("%s: missing DEV", what);
	if (!*dev || strlen(dev) >= IFNAMSIZ || strchr(dev, '/'))
		return lc_usage_err("%s: \"%s\" is not a valid device name",
				    what, dev);
	if (nlh)
		lnl_put_dev(nlh, 0, dev);
	return 0;
}

/*
 * show [ [KEY] OBJ ] [ iid IID ]: the dump of cmd, of the one object
 * put() names, its rows through cb with the instance-id filter.
 */
int lc_show(struct lnl *nl, uint8_t cmd, const char *what, const char *key,
	    lc_put_obj put, int argc, char **argv, lnl_cb cb)
{
	char buf[LC_MSG_MAX];
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	const char *obj;
	struct lc_out o;
	int r;

	r = lc_show_args(what, key, argc, argv, &obj, &o);
	if (r)
		return r;
	lnl_msg_init(nlh, nl->family, NLM_F_DUMP);
	lnl_genl_put(nlh, cmd);
	if (obj) {
		r = put(nlh, what, obj);
		if (r)
			return r;
	}
	lc_out_begin(&o);
	r = lc_nl_request(nl, nlh, what, cb, &o);
	lc_out_end(&o);
	return r;
}

/* A row of instance-id iid (has: the row says which) is filtered out. */
bool lc_out_skip(const struct lc_out *o, bool has, uint32_t iid)
{
	return o->has_iid && (!has || iid != o->iid);
}

struct iid_devs {
	uint32_t iid;
	int n;
	uint32_t ifindex[2];	/* the first two are enough to complain */
};

static int iid_dev_cb(const struct nlmsghdr *nlh, void *data)
{
	struct iid_devs *d = data;
	char why[LNL_WHYLEN];
	struct lnl_stats st;

	if (lnl_stats_decode(nlh, &st, why) || !st.has_iid || st.iid != d->iid)
		return 0;
	if (d->n < 2)
		d->ifindex[d->n] = st.ifindex;
	d->n++;
	return 0;
}

/*
 * The lisp device of this namespace that serves instance-id iid, by the
 * STATS_GET dump (one small message per device): 0 and *ifindex, or
 * LC_ERR after saying that none does or which ones do.
 */
int lc_iid_dev(struct lnl *nl, const char *what, uint32_t iid,
	       uint32_t *ifindex)
{
	char buf[LC_MSG_MAX], a[IFNAMSIZ + 16], b[IFNAMSIZ + 16];
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct iid_devs d = { .iid = iid };
	int r;

	*ifindex = 0;
	if (!nl->sock)
		return 0;		/* --dry-run */
	lnl_msg_init(nlh, nl->family, NLM_F_DUMP);
	lnl_genl_put(nlh, LISP_CMD_STATS_GET);
	r = lc_nl_request(nl, nlh, what, iid_dev_cb, &d);
	if (r)
		return r;
	if (d.n == 0) {
		lc_err("%s: no lisp device in this namespace has instance-id %u",
		       what, iid);
		return LC_ERR;
	}
	if (d.n > 1) {
		lc_err("%s: instance-id %u is on %d devices (%s, %s%s): name the device",
		       what, iid, d.n, lc_ifname(d.ifindex[0], a),
		       lc_ifname(d.ifindex[1], b), d.n > 2 ? ", ..." : "");
		return LC_ERR;
	}
	*ifindex = d.ifindex[0];
	return 0;
}
