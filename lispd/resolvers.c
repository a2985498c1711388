/* SPDX-License-Identifier: MIT */
/*
 * The map-resolvers of the ITR (RFC 9301 8.1): with several configured,
 * a request no Map-Reply answers in time goes to the next one, and the
 * one that was silent is remembered as such for RESOLVER_HOLD_MIN s,
 * doubling up to RESOLVER_HOLD_MAX while it stays silent: new requests
 * ask the others first, and once its hold is over it gets its turn in
 * the configured order again, so a map-resolver that came back is used
 * again.  A Map-Reply comes from the ETR or the Map-Server, not from the
 * map-resolver, and only its nonce says which request it answers: it is
 * credited to the map-resolver that request was last sent to.
 *
 * Kept per address, whatever the tenant: a map-resolver that does not
 * answer one tenant's requests is down for the others too.
 */
#include <string.h>
#include <json-c/json.h>

#include "core.h"
#include "log.h"
#include "event.h"
#include "conf.h"
#include "tenant.h"
#include "resolvers.h"

#define RESOLVER_SLOTS	64

struct resolver {
	struct laddr	 addr;
	uint64_t	 sent, answered, unanswered;
	uint64_t	 used_ms;	/* asked or answered last; 0: free slot */
	uint64_t	 held_until_ms;	/* silent: skipped first until then */
	unsigned int	 hold;		/* s, the next hold */
};

static struct resolver	slots[RESOLVER_SLOTS];

/* The slot of a; a new one, the least recently used, when make. */
static struct resolver *
resolver_get(const struct laddr *a, bool make)
{
	struct resolver	*r, *old = &slots[0];

	for (r = slots; r < slots + RESOLVER_SLOTS; r++) {
		if (r->used_ms && addr_eq(&r->addr, a))
			return r;
		if (r->used_ms < old->used_ms)
			old = r;
	}
	if (!make)
		return NULL;
	memset(old, 0, sizeof(*old));
	old->addr = *a;
	old->hold = RESOLVER_HOLD_MIN;
	old->used_ms = ev_now_ms() ? ev_now_ms() : 1;
	return old;
}

static bool
held(const struct resolver *r)
{
	return r && r->held_until_ms > ev_now_ms();
}

int
resolver_pick(const struct laddr *mr, int n, uint32_t tried)
{
	const struct resolver	*r, *best = NULL;
	int			 i, pick = -1;

	if (n > RESOLVERS_MAX)
		n = RESOLVERS_MAX;
	for (i = 0; i < n; i++) {
		if (tried & (1u << i))
			continue;
		r = resolver_get(&mr[i], false);
		if (!held(r))
			return i;
		if (!best || r->held_until_ms < best->held_until_ms) {
			best = r;
			pick = i;
		}
	}
	return pick;
}

void
resolver_sent(const struct laddr *a)
{
	struct resolver	*r = resolver_get(a, true);

	r->sent++;
	r->used_ms = ev_now_ms() ? ev_now_ms() : 1;
}

void
resolver_answered(const struct laddr *a)
{
	struct resolver	*r = resolver_get(a, true);
	char		 s[ADDRSTRLEN];

	if (held(r))
		log_info("map-resolver %s answers again",
		    addr_fmt(a, s, sizeof(s)));
	r->answered++;
	r->held_until_ms = 0;
	r->hold = RESOLVER_HOLD_MIN;
	r->used_ms = ev_now_ms() ? ev_now_ms() : 1;
}

void
resolver_unanswered(const struct laddr *a)
{
	struct resolver	*r = resolver_get(a, true);
	char		 s[ADDRSTRLEN];

	r->unanswered++;
	if (held(r))
		return;		/* other requests found it silent already */
	log_info("map-resolver %s did not answer in time: asked after the "
	    "others for %u s", addr_fmt(a, s, sizeof(s)), r->hold);
	r->held_until_ms = ev_now_ms() + (uint64_t)r->hold * 1000;
	r->hold = r->hold * 2 > RESOLVER_HOLD_MAX ? RESOLVER_HOLD_MAX :
	    r->hold * 2;
}

void
resolvers_reset(void)
{
	memset(slots, 0, sizeof(slots));
}

static void
show_one(json_object *arr, const struct tenant *t, const struct laddr *a,
    int rank)
{
	const struct resolver	*r = resolver_get(a, false);
	json_object		*o = json_object_new_object();
	uint64_t		 now = ev_now_ms();
	char			 s[ADDRSTRLEN];

	json_object_object_add(o, "iid", json_object_new_int64(t->iid));
	json_object_object_add(o, "map-resolver", json_object_new_string(
	    addr_fmt(a, s, sizeof(s))));
	json_object_object_add(o, "order", json_object_new_int(rank + 1));
	json_object_object_add(o, "state", json_object_new_string(
	    !r || !r->sent ? "unused" : held(r) ? "silent" : "up"));
	json_object_object_add(o, "sent",
	    json_object_new_int64(r ? (int64_t)r->sent : 0));
	json_object_object_add(o, "answered",
	    json_object_new_int64(r ? (int64_t)r->answered : 0));
	json_object_object_add(o, "unanswered",
	    json_object_new_int64(r ? (int64_t)r->unanswered : 0));
	if (held(r))
		json_object_object_add(o, "held-for", json_object_new_int64(
		    (int64_t)((r->held_until_ms - now + 999) / 1000)));
	json_object_array_add(arr, o);
}

json_object *
resolvers_show(void)
{
	json_object		*arr = json_object_new_array();
	const struct tenant	*t;
	int			 i;

	TENANT_FOREACH(t)
		for (i = 0; t->itr && i < t->conf->nmr; i++)
			show_one(arr, t, &t->conf->mr[i], i);
	return arr;
}
