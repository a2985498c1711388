// SPDX-License-Identifier: GPL-2.0
/*
 * Dynamic EIDs (host mobility): a policy names an EID prefix and the LAN
 * interfaces where hosts of that prefix may appear; the namespace then
 * watches those interfaces and tells the control plane when a host shows
 * up (EID_DETECTED) and when it falls silent (EID_GONE).
 *
 * On a LAN stretched between data centres, traffic of a host at the other
 * site crosses our segment too, so only what is addressed to this router
 * detects a host: an IP packet sent to our MAC, an ARP request for one of
 * our addresses or an ARP reply to us, a neighbour solicitation for one of
 * our addresses or an advertisement unicast to us.  The interconnect
 * filters the gateway's MAC and address, so a remote host never reaches
 * us that way.  Announcements (gratuitous ARP, RARP, unsolicited NA) do
 * cross it: they only make us probe the host with a unicast ARP request
 * or NS from our address, and its reply detects it.
 *
 * Hooks are registered per namespace only while a policy exists.  The
 * host table is read under RCU from the hooks and changed under a
 * spinlock; a delayed work probes idle hosts and candidates.
 *
 * Anyone on the LAN may send, so what takes the lock is rate-limited per
 * policy interface (announcements, new hosts) and per host (another MAC,
 * announcements), without a shared lock; candidates live 4 s at most; a
 * second MAC for a known host raises one EID_FLAP and moves the host only
 * once its own MAC stops answering probes (see DYN_FLAP_SETTLE).
 */

#include <linux/etherdevice.h>
#include <linux/jhash.h>
#include <linux/hash.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <linux/lisp.h>

#include "dyneid.h"
#include "prefix.h"

static unsigned int dyn_net_id __read_mostly;

/* Given by lisp_dyn_module_init(), before any namespace's state exists. */
static const struct lisp_dyn_detect_ops *dyn_detect_ops;
static const struct lisp_dyn_event_ops *dyn_event_ops;

struct lisp_dyn_net *lisp_dyn_net(struct net *net)
{
	return net_generic(net, dyn_net_id);
}

static struct dyn_cfg *dyn_cfg(const struct lisp_dyn_net *dn,
			       const struct dyn_policy *p)
{
	return rcu_dereference_check(p->cfg, lockdep_is_held(&dn->lock) ||
				     lockdep_is_held(&dn->mutex));
}

/* One more event in this second, if fewer than @max came already. */
static bool dyn_rl_allow(struct dyn_rl *rl, unsigned int max)
{
	unsigned long now = jiffies;
	unsigned int n;

	if (now - READ_ONCE(rl->begin) >= HZ) {
		WRITE_ONCE(rl->begin, now);
		WRITE_ONCE(rl->count, 0);
	}
	n = READ_ONCE(rl->count);
	if (n >= max)
		return false;
	WRITE_ONCE(rl->count, n + 1);
	return true;
}

static bool cfg_covers(const struct dyn_cfg *cfg, u8 family, const u8 *addr,
		       int ifindex)
{
	return cfg->family == family && lisp_dyn_has_if(cfg, ifindex) &&
	       lisp_prefix_covers(cfg->addr, cfg->plen, addr);
}

/* Some policy watches @ifindex for @addr. */
bool lisp_dyn_watched(struct lisp_dyn_net *dn, u8 family, const u8 *addr,
		      int ifindex)
{
	struct dyn_policy *p;

	list_for_each_entry_rcu(p, &dn->policies, list)
		if (cfg_covers(rcu_dereference(p->cfg), family, addr, ifindex))
			return true;
	return false;
}

static struct hlist_head *host_bucket(struct lisp_dyn_net *dn,
				      const struct dyn_policy *p,
				      const u8 *addr)
{
	u32 h = jhash(addr, 16, dn->seed ^ hash_ptr(p, 32));

	return &dn->buckets[hash_32(h, DYN_HASH_BITS)];
}

static struct dyn_host *host_find(struct lisp_dyn_net *dn,
				  const struct dyn_policy *p, u8 family,
				  const u8 *addr)
{
	struct dyn_host *h;

	hlist_for_each_entry_rcu(h, host_bucket(dn, p, addr), node,
				 lockdep_is_held(&dn->lock))
		if (h->policy == p && h->family == family &&
		    !memcmp(h->addr, addr, 16))
			return h;
	return NULL;
}

static struct dyn_host *host_new(struct lisp_dyn_net *dn, struct dyn_policy *p,
				 u8 family, const u8 *addr)
{
	struct dyn_host *h;

	lockdep_assert_held(&dn->lock);
	/*
	 * Made in softirq from what the wire shows, so there is no task to
	 * charge: bounded per namespace instead, as neighbour and
	 * conntrack entries are.
	 */
	if (dn->count >= DYN_HOSTS_MAX) {
		p->overflow++;
		return NULL;
	}
	h = kzalloc(sizeof(*h), GFP_ATOMIC);
	if (!h)
		return NULL;
	h->policy = p;
	h->family = family;
	memcpy(h->addr, addr, 16);
	h->state = DYN_CANDIDATE;
	hlist_add_head_rcu(&h->node, host_bucket(dn, p, addr));
	dn->count++;
	return h;
}

static void host_free(struct lisp_dyn_net *dn, struct dyn_host *h)
{
	lockdep_assert_held(&dn->lock);
	hlist_del_rcu(&h->node);
	dn->count--;
	if (h->state == DYN_ACTIVE)
		h->policy->hosts--;
	kfree_rcu(h, rcu);
}

/*
 * Let the work look at the table soon; under the lock (see dyn_work).
 * Scans stay DYN_WORK_GAP apart however many hosts announce themselves.
 */
static void dyn_kick(struct lisp_dyn_net *dn)
{
	unsigned long at = dn->last_run + DYN_WORK_GAP, now = jiffies;

	lockdep_assert_held(&dn->lock);
	mod_delayed_work(system_wq, &dn->work,
			 time_after(at, now) ? at - now : 0);
}

/* A host stops being tracked without the control plane asking: say so. */
static void host_gone(struct lisp_dyn_net *dn, struct dyn_host *h,
		      const struct dyn_cfg *cfg)
{
	if (h->state == DYN_ACTIVE) {
		h->policy->gone++;
		dn->events->host(dn->net, h, cfg, LISP_CMD_EID_GONE);
	}
	host_free(dn, h);
}

/* ---- what the hooks found ---- */

/*
 * A second MAC (or interface) for an active host: the host stays, and
 * its own MAC is questioned (see DYN_FLAP_SETTLE and host_alt_tick).
 */
static void host_other_mac(struct lisp_dyn_net *dn, struct dyn_host *h,
			   const u8 *mac, int ifindex, u8 how,
			   unsigned long now)
{
	lockdep_assert_held(&dn->lock);
	if (!h->alt) {
		WRITE_ONCE(h->alt, true);
		h->flapped = false;
		h->alt_since = now;
		/* host_alt_tick probes it; silence probing starts over. */
		h->probing = false;
		h->probes = 0;
		dyn_kick(dn);
	}
	/* A third MAC replaces the second: one flap, reported once. */
	ether_addr_copy(h->alt_mac, mac);
	h->alt_ifindex = ifindex;
	h->alt_detect = how;
	h->alt_seen = now;
}

/* Both MACs heard since the second appeared: say so, once. */
static void host_flap_check(struct lisp_dyn_net *dn, struct dyn_host *h,
			    const struct dyn_cfg *cfg)
{
	lockdep_assert_held(&dn->lock);
	if (!h->alt || h->flapped ||
	    time_before(READ_ONCE(h->last_seen), h->alt_since))
		return;
	h->flapped = true;
	h->policy->flaps++;
	dn->events->host(dn->net, h, cfg, LISP_CMD_EID_FLAP);
}

/*
 * The hooks' slow path takes the lock: at most so often per known host, and
 * for addresses not known yet at most @if_max a second per interface, in
 * the limiter of @if_rl that belongs to @ifindex.
 */
static bool slow_path_allowed(struct dyn_policy *p, struct dyn_host *h,
			      struct dyn_rl *if_rl, unsigned int if_max,
			      const struct dyn_cfg *cfg, int ifindex)
{
	int pos;

	if (h) {
		if (dyn_rl_allow(&h->rl, DYN_RL_HOST))
			return true;
		atomic64_inc(&p->rl_host);
		return false;
	}
	pos = lisp_dyn_if_pos(cfg, ifindex);
	if (pos < 0)
		return false;
	if (dyn_rl_allow(&if_rl[pos], if_max))
		return true;
	atomic64_inc(&p->rl_if);
	return false;
}

/* Traffic addressed to us from @addr: detect the host, or refresh it. */
static void host_detected(struct lisp_dyn_net *dn, struct dyn_policy *p,
			  struct dyn_cfg *rcfg, u8 family,
			  const u8 *addr, const u8 *mac, int ifindex, u8 how)
{
	struct dyn_host *h = host_find(dn, p, family, addr);
	unsigned long now = jiffies;
	const struct dyn_cfg *cfg;

	if (h && READ_ONCE(h->state) == DYN_ACTIVE &&
	    READ_ONCE(h->ifindex) == ifindex &&
	    ether_addr_equal_unaligned(h->mac, mac)) {
		if (READ_ONCE(h->last_seen) != now)
			WRITE_ONCE(h->last_seen, now);
		return;
	}
	if (!slow_path_allowed(p, h, rcfg->rl_new, DYN_RL_NEW, rcfg, ifindex))
		return;

	spin_lock_bh(&dn->lock);
	/* The policy may have been removed or changed meanwhile. */
	cfg = dyn_cfg(dn, p);
	if (p->dead || !cfg_covers(cfg, family, addr, ifindex))
		goto out;
	h = host_find(dn, p, family, addr);
	if (!h) {
		h = host_new(dn, p, family, addr);
		if (!h)
			goto out;
	}
	if (h->state == DYN_ACTIVE) {
		if (h->ifindex == ifindex &&
		    ether_addr_equal_unaligned(h->mac, mac)) {
			WRITE_ONCE(h->last_seen, now);
		} else {
			host_other_mac(dn, h, mac, ifindex, how, now);
			host_flap_check(dn, h, cfg);
		}
		goto out;
	}
	WRITE_ONCE(h->last_seen, now);
	h->state = DYN_ACTIVE;
	h->first_seen = now;
	p->hosts++;
	h->detect = how;
	WRITE_ONCE(h->ifindex, ifindex);
	ether_addr_copy(h->mac, mac);
	h->probing = false;
	h->probes = 0;
	p->detected++;
	dn->events->host(dn->net, h, cfg, LISP_CMD_EID_DETECTED);
	dyn_kick(dn);		/* to watch its silence */
out:
	spin_unlock_bh(&dn->lock);
}

/*
 * An announcement that may come from the other site: probe the host.  A
 * new address becomes a candidate; a known host is probed as if it had
 * fallen silent, so a host that moved away is found gone at once.
 */
static void host_announced(struct lisp_dyn_net *dn, struct dyn_policy *p,
			   struct dyn_cfg *rcfg, u8 family,
			   const u8 *addr, const u8 *mac, int ifindex)
{
	struct dyn_host *h = host_find(dn, p, family, addr);

	/* Being probed already, or questioned over another MAC. */
	if (h && (READ_ONCE(h->state) != DYN_ACTIVE ||
		  READ_ONCE(h->probing) || READ_ONCE(h->alt)))
		return;
	if (!slow_path_allowed(p, h, rcfg->rl_announce, DYN_RL_ANNOUNCE,
			       rcfg, ifindex))
		return;

	spin_lock_bh(&dn->lock);
	if (p->dead || !cfg_covers(dyn_cfg(dn, p), family, addr, ifindex))
		goto out;
	h = host_find(dn, p, family, addr);
	if (!h) {
		h = host_new(dn, p, family, addr);
		if (!h)
			goto out;
		WRITE_ONCE(h->ifindex, ifindex);
		ether_addr_copy(h->mac, mac);
		h->last_seen = jiffies;
		h->probe_start = h->last_seen;
		dyn_kick(dn);
	} else if (h->state == DYN_ACTIVE && !h->probing && !h->alt) {
		h->probing = true;
		h->probe_start = jiffies;
		h->probes = 0;
		dyn_kick(dn);
	}
out:
	spin_unlock_bh(&dn->lock);
}

void lisp_dyn_seen(struct lisp_dyn_net *dn, const struct net_device *dev,
		   u8 family, const u8 *addr, const u8 *mac, u8 how)
{
	struct dyn_policy *p;
	struct dyn_cfg *cfg;

	list_for_each_entry_rcu(p, &dn->policies, list) {
		cfg = rcu_dereference(p->cfg);
		if (!cfg_covers(cfg, family, addr, dev->ifindex))
			continue;
		if (how == DYN_INVALID)
			atomic64_inc(&p->nd_invalid);
		else if (how == DYN_ANNOUNCE)
			host_announced(dn, p, cfg, family, addr, mac,
				       dev->ifindex);
		else
			host_detected(dn, p, cfg, family, addr, mac,
				      dev->ifindex, how);
	}
}

/*
 * A RARP on @ifindex: worth looking up which addresses its MAC had only on
 * an interface some policy watches, and only so often.
 */
bool lisp_dyn_rarp_allowed(struct lisp_dyn_net *dn, int ifindex)
{
	struct dyn_cfg *cfg;
	struct dyn_policy *p;
	int pos;

	list_for_each_entry_rcu(p, &dn->policies, list) {
		cfg = rcu_dereference(p->cfg);
		pos = lisp_dyn_if_pos(cfg, ifindex);
		if (pos < 0)
			continue;
		if (dyn_rl_allow(&cfg->rl_announce[pos], DYN_RL_ANNOUNCE))
			return true;
		atomic64_inc(&p->rl_if);
		return false;
	}
	return false;
}

/* Call @fn on each host known with @mac, under RCU: what a RARP announces. */
void lisp_dyn_for_mac(struct lisp_dyn_net *dn, const u8 *mac,
		      void (*fn)(void *arg, u8 family, const u8 *addr),
		      void *arg)
{
	struct dyn_host *h;
	unsigned int i;

	for (i = 0; dn->buckets && i < DYN_BUCKETS; i++)
		hlist_for_each_entry_rcu(h, &dn->buckets[i], node)
			if (ether_addr_equal_unaligned(h->mac, mac))
				fn(arg, h->family, h->addr);
}

/* ---- probes and silence ---- */

/* Queue a probe if one is due; when the next one is. */
static unsigned long host_probe(struct lisp_dyn_net *dn, struct dyn_host *h,
				unsigned long now)
{
	struct dyn_probe *pr;

	if (h->probes && time_before(now, h->probed_at + DYN_PROBE_INTERVAL))
		return h->probed_at + DYN_PROBE_INTERVAL;
	if (dn->nr_probes == DYN_PROBE_BATCH)
		return now;		/* the next run sends it */
	pr = &dn->probe[dn->nr_probes++];
	pr->ifindex = h->ifindex;
	pr->family = h->family;
	memcpy(pr->addr, h->addr, 16);
	ether_addr_copy(pr->mac, h->mac);
	h->probes++;
	h->probed_at = now;
	h->policy->probes++;
	return now + DYN_PROBE_INTERVAL;
}

static unsigned long earlier(unsigned long a, unsigned long b)
{
	return time_before(a, b) ? a : b;
}

/*
 * Another MAC claims the host's address: question the host's own MAC.
 * False once the question is settled, else when the next turn is due.
 */
static bool host_alt_tick(struct lisp_dyn_net *dn, struct dyn_host *h,
			  const struct dyn_cfg *cfg, unsigned long now,
			  unsigned long *due)
{
	unsigned long last = READ_ONCE(h->last_seen), next;

	/* Only the host's own MAC lately (or the other left the policy). */
	if (time_after_eq(now, h->alt_seen + DYN_FLAP_SETTLE) ||
	    !lisp_dyn_has_if(cfg, h->alt_ifindex)) {
		WRITE_ONCE(h->alt, false);
		h->probes = 0;
		return false;
	}
	if (h->probes && time_after_eq(last, h->probed_at))
		h->probes = 0;			/* it answered */
	if (!h->probes && time_before(now, last + DYN_PROBE_INTERVAL)) {
		next = last + DYN_PROBE_INTERVAL;	/* heard lately */
	} else if (h->probes < DYN_PROBES ||
		   time_before(now, h->probed_at + DYN_PROBE_INTERVAL)) {
		next = host_probe(dn, h, now);
	} else {
		/* Gone from its MAC, heard from the other: it moved. */
		WRITE_ONCE(h->alt, false);
		h->probes = 0;
		h->detect = h->alt_detect;
		WRITE_ONCE(h->ifindex, h->alt_ifindex);
		ether_addr_copy(h->mac, h->alt_mac);
		WRITE_ONCE(h->last_seen, h->alt_seen);
		h->policy->detected++;
		dn->events->host(dn->net, h, cfg, LISP_CMD_EID_DETECTED);
		return false;
	}
	host_flap_check(dn, h, cfg);
	*due = earlier(next, h->alt_seen + DYN_FLAP_SETTLE);
	return true;
}

/* One host's turn: when it next needs the work, or 0 when it is gone. */
static unsigned long host_tick(struct lisp_dyn_net *dn, struct dyn_host *h,
			       unsigned long now)
{
	const struct dyn_cfg *cfg = dyn_cfg(dn, h->policy);
	unsigned long last, until;
	bool exhausted;

	if (h->state == DYN_CANDIDATE) {
		until = h->probe_start + DYN_CANDIDATE_TTL;
		exhausted = h->probes >= DYN_PROBES &&
			time_after_eq(now, h->probed_at + DYN_PROBE_INTERVAL);
		if (!exhausted && time_before(now, until))
			return earlier(host_probe(dn, h, now), until);
		/* Never answered us: an announcement from elsewhere. */
		h->policy->ignored++;
		host_free(dn, h);
		return 0;
	}
	if (h->alt && host_alt_tick(dn, h, cfg, now, &until))
		return until;
	last = READ_ONCE(h->last_seen);
	exhausted = h->probes >= DYN_PROBES &&
		    time_after_eq(now, h->probed_at + DYN_PROBE_INTERVAL);
	if (h->probing && time_after_eq(last, h->probe_start))
		h->probing = false;	/* it answered */
	if (!h->probing) {
		if (time_before(now, last + cfg->timeout * HZ))
			return last + cfg->timeout * HZ;
		h->probing = true;
		h->probe_start = now;
		h->probes = 0;
		exhausted = false;
	}
	if (!exhausted)
		return host_probe(dn, h, now);
	host_gone(dn, h, cfg);
	return 0;
}

static void dyn_work(struct work_struct *work)
{
	struct lisp_dyn_net *dn = container_of(to_delayed_work(work),
					       struct lisp_dyn_net, work);
	unsigned long now = jiffies, next = 0, t;
	struct hlist_node *tmp;
	struct dyn_host *h;
	unsigned int i;
	bool due = false;

	rcu_read_lock();
	spin_lock_bh(&dn->lock);
	dn->last_run = now;
	dn->nr_probes = 0;
	for (i = 0; dn->buckets && i < DYN_BUCKETS; i++) {
		hlist_for_each_entry_safe(h, tmp, &dn->buckets[i], node) {
			t = host_tick(dn, h, now);
			if (t && (!due || time_before(t, next))) {
				next = t;
				due = true;
			}
		}
	}
	/* Under the lock, so that a hook's kick is never postponed. */
	if (due)
		mod_delayed_work(system_wq, &dn->work,
				 max_t(long, next - now, DYN_WORK_GAP));
	spin_unlock_bh(&dn->lock);
	for (i = 0; i < dn->nr_probes; i++)
		dn->detect->probe(dn, &dn->probe[i]);
	rcu_read_unlock();
}

/* ---- policies ---- */

static int dyn_start(struct lisp_dyn_net *dn)
{
	int err;

	lockdep_assert_held(&dn->mutex);
	if (dn->watching)
		return 0;
	if (!dn->buckets) {
		dn->buckets = kvcalloc(DYN_BUCKETS, sizeof(*dn->buckets),
				       GFP_KERNEL);
		if (!dn->buckets)
			return -ENOMEM;
	}
	err = dn->detect->start(dn);
	if (err)
		return err;
	dn->watching = true;
	return 0;
}

static void dyn_stop(struct lisp_dyn_net *dn)
{
	lockdep_assert_held(&dn->mutex);
	if (!dn->watching)
		return;
	dn->detect->stop(dn);
	dn->watching = false;
	cancel_delayed_work_sync(&dn->work);
}

/* Forget the hosts of @p that @keep refuses, telling when @cfg is set. */
static void drop_hosts(struct lisp_dyn_net *dn, struct dyn_policy *p,
		       const struct dyn_cfg *keep, int gone_ifindex,
		       const struct dyn_cfg *cfg)
{
	struct hlist_node *tmp;
	struct dyn_host *h;
	unsigned int i;

	lockdep_assert_held(&dn->lock);
	for (i = 0; dn->buckets && i < DYN_BUCKETS; i++) {
		hlist_for_each_entry_safe(h, tmp, &dn->buckets[i], node) {
			if (h->policy != p)
				continue;
			if (keep && h->ifindex != gone_ifindex &&
			    cfg_covers(keep, h->family, h->addr, h->ifindex))
				continue;
			if (cfg)
				host_gone(dn, h, cfg);
			else
				host_free(dn, h);
		}
	}
}

static void policy_free_rcu(struct rcu_head *head)
{
	struct dyn_policy *p = container_of(head, struct dyn_policy, rcu);

	kfree(rcu_access_pointer(p->cfg));
	kfree(p);
}

static void policy_remove(struct lisp_dyn_net *dn, struct dyn_policy *p)
{
	lockdep_assert_held(&dn->mutex);
	spin_lock_bh(&dn->lock);
	p->dead = true;
	drop_hosts(dn, p, NULL, 0, NULL);
	list_del_rcu(&p->list);
	spin_unlock_bh(&dn->lock);
	call_rcu(&p->rcu, policy_free_rcu);
	if (!--dn->nr_policies)
		dyn_stop(dn);
}

static struct dyn_policy *policy_find(struct lisp_dyn_net *dn,
				      const char *name)
{
	struct dyn_policy *p;

	list_for_each_entry_rcu(p, &dn->policies, list,
				lockdep_is_held(&dn->mutex) ||
				lockdep_is_held(&dn->lock))
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

/*
 * Add policy @name watching @cfg, or give an existing one @cfg; @cfg is
 * the policy's from then on. With dn->mutex held, so that the interfaces
 * of @cfg, checked under it, do not go away meanwhile.
 */
int lisp_dyn_policy_set(struct lisp_dyn_net *dn, const char *name,
			struct dyn_cfg *cfg, struct netlink_ext_ack *extack)
{
	struct dyn_policy *p;
	struct dyn_cfg *old;
	int err;

	lockdep_assert_held(&dn->mutex);
	p = policy_find(dn, name);
	if (p) {
		spin_lock_bh(&dn->lock);
		old = rcu_dereference_protected(p->cfg, true);
		rcu_assign_pointer(p->cfg, cfg);
		drop_hosts(dn, p, cfg, 0, old);
		dyn_kick(dn);		/* the timeout may be shorter */
		spin_unlock_bh(&dn->lock);
		kfree_rcu(old, rcu);
		return 0;
	}
	if (dn->nr_policies == DYN_MAX_POLICIES) {
		NL_SET_ERR_MSG(extack, "too many dynamic-EID policies (256)");
		return -ENOSPC;
	}
	p = kzalloc(sizeof(*p), GFP_KERNEL_ACCOUNT);
	if (!p)
		return -ENOMEM;
	err = dyn_start(dn);
	if (err) {
		kfree(p);
		return err;
	}
	strscpy(p->name, name, sizeof(p->name));
	RCU_INIT_POINTER(p->cfg, cfg);
	spin_lock_bh(&dn->lock);
	list_add_tail_rcu(&p->list, &dn->policies);
	spin_unlock_bh(&dn->lock);
	dn->nr_policies++;
	return 0;
}

/*
 * The control plane heard that the host lives at another site now, and
 * may have heard wrong (a registration from the other site that was
 * stale by the time it arrived).  Keep the host only as a candidate,
 * probed as an announced address is: if it answers it is detected again
 * (EID_DETECTED) and reclaimed; if not it is dropped without an event.
 */
static void host_recheck(struct lisp_dyn_net *dn, struct dyn_host *h)
{
	lockdep_assert_held(&dn->lock);
	h->policy->hosts--;
	h->state = DYN_CANDIDATE;
	h->alt = false;
	h->flapped = false;
	h->probing = false;
	h->probes = 0;
	h->probe_start = jiffies;
	dyn_kick(dn);
}

int lisp_dyn_policy_del(struct lisp_dyn_net *dn, const char *name,
			struct netlink_ext_ack *extack)
{
	struct dyn_policy *p;

	mutex_lock(&dn->mutex);
	p = policy_find(dn, name);
	if (p)
		policy_remove(dn, p);
	mutex_unlock(&dn->mutex);
	if (!p) {
		NL_SET_ERR_MSG(extack, "no such dynamic-EID policy");
		return -ENOENT;
	}
	return 0;
}

/* The control plane forgets an active host, or has it checked again. */
int lisp_dyn_host_del(struct lisp_dyn_net *dn, const char *name, u8 family,
		      const u8 *addr, bool recheck,
		      struct netlink_ext_ack *extack)
{
	struct dyn_host *h = NULL;
	struct dyn_policy *p;
	int err = 0;

	spin_lock_bh(&dn->lock);
	p = policy_find(dn, name);
	if (p)
		h = host_find(dn, p, family, addr);
	if (!p) {
		NL_SET_ERR_MSG(extack, "no such dynamic-EID policy");
		err = -ENOENT;
	} else if (!h || h->state != DYN_ACTIVE) {
		NL_SET_ERR_MSG(extack, "no such host in the policy");
		err = -ENOENT;
	} else if (recheck) {
		host_recheck(dn, h);
	} else {
		host_free(dn, h);
	}
	spin_unlock_bh(&dn->lock);
	return err;
}

/*
 * Call @fn on each policy from the @*pos th on, under RCU, until it
 * returns non-zero; @*pos is then where to resume.
 */
int lisp_dyn_policy_walk(struct lisp_dyn_net *dn, long *pos,
			 int (*fn)(void *arg, const struct dyn_policy *p,
				   const struct dyn_cfg *cfg),
			 void *arg)
{
	struct dyn_policy *p;
	long i = 0;
	int err = 0;

	rcu_read_lock();
	list_for_each_entry_rcu(p, &dn->policies, list) {
		if (i++ < *pos)
			continue;
		err = fn(arg, p, rcu_dereference(p->cfg));
		if (err)
			break;
		*pos = i;
	}
	rcu_read_unlock();
	return err;
}

/*
 * Call @fn on each active host, under the table's lock, from position
 * @pos (pos[0] the bucket, pos[1] the entries of it done) until it
 * returns non-zero; @pos is then where to resume.
 */
int lisp_dyn_host_walk(struct lisp_dyn_net *dn, long *pos,
		       int (*fn)(void *arg, const struct dyn_host *h,
				 const struct dyn_cfg *cfg),
		       void *arg)
{
	struct dyn_host *h;
	int err = 0;
	long skip;

	spin_lock_bh(&dn->lock);
	for (; dn->buckets && pos[0] < DYN_BUCKETS; pos[0]++) {
		skip = pos[1];
		hlist_for_each_entry(h, &dn->buckets[pos[0]], node) {
			if (skip-- > 0)
				continue;
			if (h->state == DYN_ACTIVE) {
				err = fn(arg, h, dyn_cfg(dn, h->policy));
				if (err)
					goto out;
			}
			pos[1]++;
		}
		pos[1] = 0;
	}
out:
	spin_unlock_bh(&dn->lock);
	return err;
}

/* ---- interfaces and namespaces ---- */

/* An interface goes away: policies stop watching it, its hosts go. */
static void dyn_forget_if(struct lisp_dyn_net *dn, int ifindex)
{
	struct dyn_cfg *cfg, *new;
	struct dyn_policy *p;
	unsigned int i, j;

	mutex_lock(&dn->mutex);
	list_for_each_entry(p, &dn->policies, list) {
		cfg = rcu_dereference_protected(p->cfg,
						lockdep_is_held(&dn->mutex));
		if (!lisp_dyn_has_if(cfg, ifindex))
			continue;
		new = kmemdup(cfg, sizeof(*cfg), GFP_KERNEL);
		if (new) {
			for (i = 0, j = 0; i < cfg->nr_ifs; i++) {
				if (cfg->ifindex[i] == ifindex)
					continue;
				new->ifindex[j] = cfg->ifindex[i];
				new->rl_announce[j] = cfg->rl_announce[i];
				new->rl_new[j++] = cfg->rl_new[i];
			}
			new->nr_ifs = j;
		}
		spin_lock_bh(&dn->lock);
		drop_hosts(dn, p, cfg, ifindex, cfg);
		if (new)
			rcu_assign_pointer(p->cfg, new);
		spin_unlock_bh(&dn->lock);
		if (new)
			kfree_rcu(cfg, rcu);
	}
	mutex_unlock(&dn->mutex);
}

static bool dyn_unloading;

static int dyn_netdev_event(struct notifier_block *nb, unsigned long event,
			    void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct lisp_dyn_net *dn;

	/*
	 * Unregistering the notifier replays UNREGISTER for every device:
	 * the namespaces' state goes with the module, leave it alone.
	 */
	if (event != NETDEV_UNREGISTER || READ_ONCE(dyn_unloading))
		return NOTIFY_DONE;
	/*
	 * A namespace still being set up may not have our state yet; one
	 * being torn down keeps it until its devices are gone (dyn_net_ops).
	 */
	dn = lisp_dyn_net(dev_net(dev));
	if (dn && dn->net)
		dyn_forget_if(dn, dev->ifindex);
	return NOTIFY_DONE;
}

static struct notifier_block dyn_netdev_notifier = {
	.notifier_call = dyn_netdev_event,
};

static int __net_init dyn_net_init(struct net *net)
{
	struct lisp_dyn_net *dn = lisp_dyn_net(net);

	dn->detect = dyn_detect_ops;
	dn->events = dyn_event_ops;
	mutex_init(&dn->mutex);
	spin_lock_init(&dn->lock);
	INIT_LIST_HEAD(&dn->policies);
	INIT_DELAYED_WORK(&dn->work, dyn_work);
	dn->seed = get_random_u32();
	dn->net = net;		/* last: the unregister handler's sign */
	return 0;
}

static void __net_exit dyn_net_exit(struct net *net)
{
	struct lisp_dyn_net *dn = lisp_dyn_net(net);
	struct dyn_policy *p, *tmp;

	mutex_lock(&dn->mutex);
	list_for_each_entry_safe(p, tmp, &dn->policies, list)
		policy_remove(dn, p);
	mutex_unlock(&dn->mutex);
	cancel_delayed_work_sync(&dn->work);
	WARN_ON_ONCE(dn->count);
	kvfree(dn->buckets);
}

/*
 * A subsystem's, not a device's: a dying namespace runs this exit after
 * its devices are gone, so no unregister event finds the state freed.
 * The core allocates and frees the struct lisp_dyn_net itself.
 */
static struct pernet_operations dyn_net_ops = {
	.init = dyn_net_init,
	.exit = dyn_net_exit,
	.id   = &dyn_net_id,
	.size = sizeof(struct lisp_dyn_net),
};

int lisp_dyn_module_init(const struct lisp_dyn_detect_ops *detect,
			 const struct lisp_dyn_event_ops *events)
{
	int err;

	dyn_detect_ops = detect;
	dyn_event_ops = events;
	err = register_pernet_subsys(&dyn_net_ops);
	if (err)
		return err;
	/* After the pernet ops: the handler needs dyn_net_id. */
	err = register_netdevice_notifier(&dyn_netdev_notifier);
	if (err)
		unregister_pernet_subsys(&dyn_net_ops);
	return err;
}

void lisp_dyn_module_exit(void)
{
	WRITE_ONCE(dyn_unloading, true);
	unregister_netdevice_notifier(&dyn_netdev_notifier);
	unregister_pernet_subsys(&dyn_net_ops);
}
