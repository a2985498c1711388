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
#include <linux/if_arp.h>
#include <linux/jhash.h>
#include <linux/hash.h>
#include <linux/random.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/lisp.h>

#include "socket.h"
#include "netlink.h"
#include "dyneid.h"
#include "prefix.h"
#include "compat.h"

const struct nla_policy lisp_dyn_nl_policy[LISP_A_MAX + 1] = {
	[LISP_A_IID]		= { .type = NLA_U32 },
	[LISP_A_EID_INET]	= NLA_POLICY_EXACT_LEN(sizeof(struct in_addr)),
	[LISP_A_EID_INET6]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[LISP_A_EID_PLEN]	= { .type = NLA_U8 },
	[LISP_A_DYN_NAME]	= { .type = NLA_NUL_STRING },
	[LISP_A_DYN_IFINDEXES]	= { .type = NLA_NESTED },
	[LISP_A_DYN_TIMEOUT]	= { .type = NLA_U32 },
	[LISP_A_RECHECK]	= { .type = NLA_FLAG },
};

static struct lisp_dyn_net *dyn_net(struct net *net)
{
	return lisp_net(net)->dyn;
}

static struct dyn_cfg *dyn_cfg(const struct lisp_dyn_net *dn,
			       const struct dyn_policy *p)
{
	return rcu_dereference_check(p->cfg, lockdep_is_held(&dn->lock) ||
				     lockdep_is_held(&dn->mutex));
}

/* Where @ifindex is in the policy's list, -1 when not there. */
static int cfg_if_pos(const struct dyn_cfg *cfg, int ifindex)
{
	unsigned int i;

	for (i = 0; i < cfg->nr_ifs; i++)
		if (cfg->ifindex[i] == ifindex)
			return i;
	return -1;
}

static bool cfg_has_if(const struct dyn_cfg *cfg, int ifindex)
{
	return cfg_if_pos(cfg, ifindex) >= 0;
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
	return cfg->family == family && cfg_has_if(cfg, ifindex) &&
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

/* ---- events ---- */

static int put_host(struct sk_buff *skb, const struct dyn_host *h,
		    const struct dyn_cfg *cfg, u8 cmd)
{
	unsigned long now = jiffies;
	u64 idle = jiffies_to_msecs(now - READ_ONCE(h->last_seen));

	if (nla_put_string(skb, LISP_A_DYN_NAME, h->policy->name) ||
	    nla_put_u32(skb, LISP_A_IID, cfg->iid) ||
	    lisp_nl_put_addr(skb, LISP_A_EID_INET, LISP_A_EID_INET6, h->family,
			     h->addr) ||
	    nla_put_u32(skb, LISP_A_IFINDEX, h->ifindex) ||
	    nla_put(skb, LISP_A_MAC, ETH_ALEN, h->mac))
		return -EMSGSIZE;
	if (cmd != LISP_CMD_EID_GONE &&
	    nla_put_u8(skb, LISP_A_DETECT, h->detect))
		return -EMSGSIZE;
	if ((cmd == LISP_CMD_EID_GONE || cmd == LISP_CMD_HOST_GET) &&
	    nla_put_u64_64bit(skb, LISP_A_IDLE_MS, idle, LISP_A_PAD))
		return -EMSGSIZE;
	if (cmd == LISP_CMD_HOST_GET &&
	    nla_put_u32(skb, LISP_A_AGE, (now - h->first_seen) / HZ))
		return -EMSGSIZE;
	if ((cmd == LISP_CMD_EID_FLAP ||
	     (cmd == LISP_CMD_HOST_GET && h->alt && h->flapped)) &&
	    (nla_put(skb, LISP_A_FLAP_MAC, ETH_ALEN, h->alt_mac) ||
	     nla_put_u32(skb, LISP_A_FLAP_IFINDEX, h->alt_ifindex)))
		return -EMSGSIZE;
	return 0;
}

static void dyn_notify(struct lisp_dyn_net *dn, const struct dyn_host *h,
		       const struct dyn_cfg *cfg, u8 cmd)
{
	struct sk_buff *msg;
	void *hdr;

	if (!genl_has_listeners(&lisp_genl_family, dn->net, 0))
		return;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_ATOMIC);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &lisp_genl_family, 0, cmd);
	if (!hdr || put_host(msg, h, cfg, cmd)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&lisp_genl_family, dn->net, msg, 0, 0,
				GFP_ATOMIC);
}

/* A host stops being tracked without the control plane asking: say so. */
static void host_gone(struct lisp_dyn_net *dn, struct dyn_host *h,
		      const struct dyn_cfg *cfg)
{
	if (h->state == DYN_ACTIVE) {
		h->policy->gone++;
		dyn_notify(dn, h, cfg, LISP_CMD_EID_GONE);
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
	dyn_notify(dn, h, cfg, LISP_CMD_EID_FLAP);
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
	pos = cfg_if_pos(cfg, ifindex);
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
	dyn_notify(dn, h, cfg, LISP_CMD_EID_DETECTED);
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
		pos = cfg_if_pos(cfg, ifindex);
		if (pos < 0)
			continue;
		if (dyn_rl_allow(&cfg->rl_announce[pos], DYN_RL_ANNOUNCE))
			return true;
		atomic64_inc(&p->rl_if);
		return false;
	}
	return false;
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
	    !cfg_has_if(cfg, h->alt_ifindex)) {
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
		dyn_notify(dn, h, cfg, LISP_CMD_EID_DETECTED);
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
		lisp_dyn_send_probe(dn, &dn->probe[i]);
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
	err = nf_register_net_hooks(dn->net, dn->hooks, dn->nr_hooks);
	if (err)
		return err;
	dev_add_pack(&dn->rarp);
	dn->watching = true;
	return 0;
}

static void dyn_stop(struct lisp_dyn_net *dn)
{
	lockdep_assert_held(&dn->mutex);
	if (!dn->watching)
		return;
	nf_unregister_net_hooks(dn->net, dn->hooks, dn->nr_hooks);
	dev_remove_pack(&dn->rarp);	/* waits for the hooks too */
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

static int name_from_attrs(struct nlattr **attrs, char *name,
			   struct netlink_ext_ack *extack)
{
	struct nlattr *a = attrs[LISP_A_DYN_NAME];

	if (!a || !nla_len(a) || !*(char *)nla_data(a)) {
		NL_SET_ERR_MSG(extack, "missing policy name (LISP_A_DYN_NAME)");
		return -EINVAL;
	}
	if (strlen(nla_data(a)) > DYN_NAME_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "policy name longer than 31 characters");
		return -EINVAL;
	}
	strscpy(name, nla_data(a), DYN_NAME_MAX + 1);
	return 0;
}

static int ifs_count(const struct nlattr *nest)
{
	const struct nlattr *a;
	int rem, n = 0;

	nla_for_each_nested(a, nest, rem)
		n++;
	return n;
}

static int ifs_from_attrs(struct net *net, struct nlattr *nest,
			  struct dyn_cfg *cfg, struct netlink_ext_ack *extack)
{
	struct net_device *dev;
	unsigned short type;
	struct nlattr *a;
	int rem, ifindex;

	if (!nest) {
		NL_SET_ERR_MSG(extack, "no interfaces (LISP_A_DYN_IFINDEXES)");
		return -EINVAL;
	}
	if (ifs_count(nest) > DYN_MAX_IFS) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "more than 16 interfaces in one policy");
		return -E2BIG;
	}
	nla_for_each_nested(a, nest, rem) {
		if (nla_len(a) != sizeof(u32)) {
			NL_SET_ERR_MSG_ATTR(extack, a, "an ifindex is a u32");
			return -EINVAL;
		}
		ifindex = nla_get_u32(a);
		if (cfg_has_if(cfg, ifindex)) {
			NL_SET_ERR_MSG_ATTR(extack, a, "interface given twice");
			return -EINVAL;
		}
		rcu_read_lock();
		dev = dev_get_by_index_rcu(net, ifindex);
		type = dev ? dev->type : 0;
		rcu_read_unlock();
		if (!dev) {
			NL_SET_ERR_MSG_ATTR(extack, a, "no such interface");
			return -ENODEV;
		}
		if (type != ARPHRD_ETHER) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "not an Ethernet interface");
			return -EINVAL;
		}
		cfg->ifindex[cfg->nr_ifs++] = ifindex;
	}
	if (!cfg->nr_ifs) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "no interfaces in the list");
		return -EINVAL;
	}
	return 0;
}

static int cfg_from_attrs(struct net *net, struct nlattr **attrs,
			  struct dyn_cfg *cfg, struct netlink_ext_ack *extack)
{
	int err;

	err = lisp_nl_eid_from_attrs(attrs, &cfg->family, cfg->addr,
				     &cfg->plen, false, extack);
	if (err)
		return err;
	if (attrs[LISP_A_IID])
		cfg->iid = nla_get_u32(attrs[LISP_A_IID]);
	if (cfg->iid > LISP_IID_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[LISP_A_IID],
				    "instance-id longer than 24 bits");
		return -EINVAL;
	}
	cfg->timeout = DYN_TIMEOUT_DEFAULT;
	if (attrs[LISP_A_DYN_TIMEOUT])
		cfg->timeout = nla_get_u32(attrs[LISP_A_DYN_TIMEOUT]);
	if (!cfg->timeout || cfg->timeout > DYN_TIMEOUT_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[LISP_A_DYN_TIMEOUT],
				    "timeout must be 1..86400 seconds");
		return -EINVAL;
	}
	return ifs_from_attrs(net, attrs[LISP_A_DYN_IFINDEXES], cfg, extack);
}

static int policy_add(struct lisp_dyn_net *dn, const char *name,
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

int lisp_nl_dyn_add(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct lisp_dyn_net *dn = dyn_net(net);
	char name[DYN_NAME_MAX + 1];
	struct dyn_cfg *cfg;
	int err;

	err = name_from_attrs(info->attrs, name, info->extack);
	if (err)
		return err;
	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL_ACCOUNT);
	if (!cfg)
		return -ENOMEM;
	/*
	 * The interfaces are checked under the mutex the unregister
	 * notifier takes: one that goes away is either refused here or
	 * forgotten by dyn_forget_if once the policy is in.
	 */
	mutex_lock(&dn->mutex);
	err = cfg_from_attrs(net, info->attrs, cfg, info->extack);
	if (!err)
		err = policy_add(dn, name, cfg, info->extack);
	mutex_unlock(&dn->mutex);
	if (err)
		goto err;
	return 0;
err:
	kfree(cfg);
	return err;
}

int lisp_nl_dyn_del(struct sk_buff *skb, struct genl_info *info)
{
	struct lisp_dyn_net *dn = dyn_net(genl_info_net(info));
	char name[DYN_NAME_MAX + 1];
	struct dyn_policy *p;
	int err;

	err = name_from_attrs(info->attrs, name, info->extack);
	if (err)
		return err;
	mutex_lock(&dn->mutex);
	p = policy_find(dn, name);
	if (p)
		policy_remove(dn, p);
	mutex_unlock(&dn->mutex);
	if (!p) {
		NL_SET_ERR_MSG(info->extack, "no such dynamic-EID policy");
		return -ENOENT;
	}
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

int lisp_nl_host_del(struct sk_buff *skb, struct genl_info *info)
{
	struct lisp_dyn_net *dn = dyn_net(genl_info_net(info));
	char name[DYN_NAME_MAX + 1];
	struct dyn_policy *p;
	struct dyn_host *h = NULL;
	u8 family, plen, addr[16];
	int err;

	err = name_from_attrs(info->attrs, name, info->extack);
	if (!err)
		err = lisp_nl_eid_from_attrs(info->attrs, &family, addr, &plen,
					     true, info->extack);
	if (err)
		return err;
	spin_lock_bh(&dn->lock);
	p = policy_find(dn, name);
	if (p)
		h = host_find(dn, p, family, addr);
	if (!p) {
		NL_SET_ERR_MSG(info->extack, "no such dynamic-EID policy");
		err = -ENOENT;
	} else if (!h || h->state != DYN_ACTIVE) {
		NL_SET_ERR_MSG(info->extack, "no such host in the policy");
		err = -ENOENT;
	} else if (nla_get_flag(info->attrs[LISP_A_RECHECK])) {
		host_recheck(dn, h);
	} else {
		host_free(dn, h);
	}
	spin_unlock_bh(&dn->lock);
	return err;
}

/* ---- dumps ---- */

static const char *dump_name(struct netlink_callback *cb)
{
	struct nlattr **attrs = lisp_dump_attrs(cb);

	return attrs && attrs[LISP_A_DYN_NAME] ?
	       nla_data(attrs[LISP_A_DYN_NAME]) : NULL;
}

static int put_policy(struct sk_buff *skb, const struct dyn_policy *p,
		      const struct dyn_cfg *cfg)
{
	struct nlattr *nest;
	unsigned int i;

	if (nla_put_string(skb, LISP_A_DYN_NAME, p->name) ||
	    nla_put_u32(skb, LISP_A_IID, cfg->iid) ||
	    lisp_nl_put_addr(skb, LISP_A_EID_INET, LISP_A_EID_INET6,
			     cfg->family, cfg->addr) ||
	    nla_put_u8(skb, LISP_A_EID_PLEN, cfg->plen) ||
	    nla_put_u32(skb, LISP_A_DYN_TIMEOUT, cfg->timeout) ||
	    nla_put_u32(skb, LISP_A_DYN_HOSTS, READ_ONCE(p->hosts)) ||
	    nla_put_u64_64bit(skb, LISP_A_DYN_DETECTED, READ_ONCE(p->detected),
			      LISP_A_PAD) ||
	    nla_put_u64_64bit(skb, LISP_A_DYN_GONE, READ_ONCE(p->gone),
			      LISP_A_PAD) ||
	    nla_put_u64_64bit(skb, LISP_A_DYN_PROBES, READ_ONCE(p->probes),
			      LISP_A_PAD) ||
	    nla_put_u64_64bit(skb, LISP_A_DYN_IGNORED, READ_ONCE(p->ignored),
			      LISP_A_PAD) ||
	    nla_put_u64_64bit(skb, LISP_A_DYN_OVERFLOW, READ_ONCE(p->overflow),
			      LISP_A_PAD) ||
	    nla_put_u64_64bit(skb, LISP_A_DYN_RATELIMITED_IF,
			      atomic64_read(&p->rl_if), LISP_A_PAD) ||
	    nla_put_u64_64bit(skb, LISP_A_DYN_RATELIMITED_HOST,
			      atomic64_read(&p->rl_host), LISP_A_PAD) ||
	    nla_put_u64_64bit(skb, LISP_A_DYN_ND_INVALID,
			      atomic64_read(&p->nd_invalid), LISP_A_PAD) ||
	    nla_put_u64_64bit(skb, LISP_A_DYN_FLAPS, READ_ONCE(p->flaps),
			      LISP_A_PAD))
		return -EMSGSIZE;
	nest = nla_nest_start(skb, LISP_A_DYN_IFINDEXES);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < cfg->nr_ifs; i++)
		if (nla_put_u32(skb, i + 1, cfg->ifindex[i]))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

int lisp_nl_dyn_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct lisp_dyn_net *dn = dyn_net(sock_net(skb->sk));
	const char *only = dump_name(cb);
	struct dyn_policy *p;
	long i = 0;
	void *hdr;

	rcu_read_lock();
	list_for_each_entry_rcu(p, &dn->policies, list) {
		if (i++ < cb->args[0] || (only && strcmp(only, p->name)))
			continue;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &lisp_genl_family,
				  NLM_F_MULTI, LISP_CMD_DYN_GET);
		if (!hdr)
			break;
		if (put_policy(skb, p, rcu_dereference(p->cfg))) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = i;
	}
	rcu_read_unlock();
	return skb->len;
}

/* Position: args[0] the bucket, args[1] hosts of it already sent. */
int lisp_nl_host_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct lisp_dyn_net *dn = dyn_net(sock_net(skb->sk));
	const char *only = dump_name(cb);
	struct dyn_host *h;
	long skip;
	void *hdr;

	spin_lock_bh(&dn->lock);
	for (; dn->buckets && cb->args[0] < DYN_BUCKETS; cb->args[0]++) {
		skip = cb->args[1];
		hlist_for_each_entry(h, &dn->buckets[cb->args[0]], node) {
			if (skip-- > 0)
				continue;
			if (h->state != DYN_ACTIVE ||
			    (only && strcmp(only, h->policy->name))) {
				cb->args[1]++;
				continue;
			}
			hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
					  cb->nlh->nlmsg_seq,
					  &lisp_genl_family, NLM_F_MULTI,
					  LISP_CMD_HOST_GET);
			if (!hdr)
				goto out;
			if (put_host(skb, h, dyn_cfg(dn, h->policy),
				     LISP_CMD_HOST_GET)) {
				genlmsg_cancel(skb, hdr);
				goto out;
			}
			genlmsg_end(skb, hdr);
			cb->args[1]++;
		}
		cb->args[1] = 0;
	}
out:
	spin_unlock_bh(&dn->lock);
	return skb->len;
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
		if (!cfg_has_if(cfg, ifindex))
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
	struct lisp_net *ln;

	/*
	 * Unregistering the notifier replays UNREGISTER for every device:
	 * the namespaces' state goes with the module, leave it alone.
	 */
	if (event != NETDEV_UNREGISTER || READ_ONCE(dyn_unloading))
		return NOTIFY_DONE;
	/* A namespace still being set up may not have our state yet. */
	ln = lisp_net(dev_net(dev));
	/* RTNL keeps the namespace's state from being torn down. */
	dn = ln ? ln->dyn : NULL;
	if (dn)
		dyn_forget_if(dn, dev->ifindex);
	return NOTIFY_DONE;
}

static struct notifier_block dyn_netdev_notifier = {
	.notifier_call = dyn_netdev_event,
};

int lisp_dyn_net_init(struct net *net)
{
	struct lisp_dyn_net *dn;

	dn = kzalloc(sizeof(*dn), GFP_KERNEL);
	if (!dn)
		return -ENOMEM;
	dn->net = net;
	mutex_init(&dn->mutex);
	spin_lock_init(&dn->lock);
	INIT_LIST_HEAD(&dn->policies);
	INIT_DELAYED_WORK(&dn->work, dyn_work);
	dn->seed = get_random_u32();
	lisp_dyn_hooks_init(dn);
	lisp_net(net)->dyn = dn;
	return 0;
}

void lisp_dyn_net_exit(struct net *net)
{
	struct lisp_dyn_net *dn = dyn_net(net);
	struct dyn_policy *p, *tmp;

	if (!dn)
		return;
	rtnl_lock();
	lisp_net(net)->dyn = NULL;
	rtnl_unlock();
	mutex_lock(&dn->mutex);
	list_for_each_entry_safe(p, tmp, &dn->policies, list)
		policy_remove(dn, p);
	mutex_unlock(&dn->mutex);
	cancel_delayed_work_sync(&dn->work);
	WARN_ON_ONCE(dn->count);
	kvfree(dn->buckets);
	kfree(dn);
}

/* After register_pernet_device(): the handler needs lisp_net_id. */
int lisp_dyn_module_init(void)
{
	return register_netdevice_notifier(&dyn_netdev_notifier);
}

/* Before unregister_pernet_device(), which frees what the handler reads. */
void lisp_dyn_module_exit(void)
{
	WRITE_ONCE(dyn_unloading, true);
	unregister_netdevice_notifier(&dyn_netdev_notifier);
}
