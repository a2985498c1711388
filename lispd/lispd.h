/* SPDX-License-Identifier: MIT */
/*
 * lispd: the LISP control plane daemon (RFC 9301).  Declarations shared
 * by its modules; the wire codec is proto/proto.h.
 */
#ifndef LISPD_H
#define LISPD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <net/if.h>
#include <linux/lisp.h>

#include "proto.h"
#include "addr.h"

#define LISPD_VERSION		"0.1"
#define LISPD_CONF		"/etc/lispd.conf"
#define LISPD_SOCK		"/run/lispd.sock"

/* RFC 9301 timers. */
#define REGISTER_INTERVAL	60	/* s between Map-Registers (8.2) */
#define REGISTER_TIMEOUT	180	/* s until an MS drops a registration */
#define REGISTER_BACKOFF_MAX	60	/* s, cap of the retransmit backoff */
#define MREQ_RETRIES		3	/* after the first: 1 s, 2 s, 4 s */
#define MREQ_HOLDDOWN		10	/* s before asking again after giving up */
#define MREQ_RATE		100	/* Map-Requests per second, at most */
#define TTL_DEFAULT		1440	/* minutes: a day, RFC 9301 5.4 */
#define TTL_NEG_HOLE		15	/* minutes: not in any site's prefix */
#define TTL_NEG_UNREG		1	/* minutes: a site's, not registered */

/* ---- log.c ---- */

void	log_init(bool foreground, int verbose);
void	log_timestamps(bool on);
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
/*
 * Lines a peer's message causes (a refusal, a failed reply): at most one
 * per key per second, key being the reason's counter name; the line ends
 * "[key]", and "(N more suppressed)" when some were.  Operator-triggered
 * and configuration messages use the unlimited ones above.
 */
void	log_peer_warn(const char *key, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	log_peer_warnx(const char *key, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	log_peer_info(const char *key, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* The limiter: true when a line for key may go out at now_ms (ms, any
 * monotonic clock), with *suppressed the lines held back since the last. */
bool	log_ratelimit(const char *key, uint64_t now_ms, uint64_t *suppressed);
void	log_ratelimit_reset(void);
void	fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

/* ---- event.c: epoll, timers, signals ---- */

struct timer {
	TAILQ_ENTRY(timer) entry;
	uint64_t	 when;		/* ev_now_ms() deadline */
	void		(*cb)(void *);
	void		*arg;
	bool		 armed;
};

int		 ev_init(void);
int		 ev_add(int fd, void (*cb)(int, void *), void *arg);
void		 ev_del(int fd);
int		 ev_want_write(int fd, bool on);
int		 ev_signal(int signo, void (*cb)(int, void *), void *arg);
int		 ev_loop(void);
void		 ev_break(void);
uint64_t	 ev_now_ms(void);
time_t		 ev_now(void);		/* monotonic seconds */
void		 timer_set(struct timer *, void (*)(void *), void *);
void		 timer_add(struct timer *, uint64_t ms);
void		 timer_del(struct timer *);
/* Fire the timers due at now_ms; the loop's job, exported for tests. */
void		 timer_run(uint64_t now_ms);
/* Tests: make ev_now_ms() return ms from now on (0: the real clock). */
void		 ev_set_clock(uint64_t ms);

/* ---- config.c ---- */

#define ROLE_ITR	0x01
#define ROLE_ETR	0x02
#define ROLE_PITR	0x04
#define ROLE_MS		0x08
#define ROLE_MR		0x10
#define ROLE_FHR	0x20	/* first-hop router: detect, tell the gateway */

struct dbmap {
	struct prefix	eid;
	int		nrloc;
	struct rloc	rloc[LISP_MAX_RLOCS];
};

struct mserver {
	struct laddr	addr;
	char		*key;
	uint8_t		key_id;
	uint8_t		alg;
	bool		proxy_reply;
	bool		full_hmac;	/* untruncated MAC, for RFC 6833 peers */
};

struct site_eid {
	struct prefix	eid;
	bool		more_specifics;
};

struct site {
	char		*name;
	char		*key;
	int		neid;
	struct site_eid	*eid;
};

#define DYNEID_MAX_IFACES	16
#define DYNEID_NAME_MAX		32	/* with the NUL, as the kernel's */

struct dyneid_conf {
	char		 name[DYNEID_NAME_MAX];
	struct prefix	 eid;
	int		 nrloc;
	struct rloc	 rloc[LISP_MAX_RLOCS];
	int		 nif;
	char		 ifname[DYNEID_MAX_IFACES][IFNAMSIZ];
	uint32_t	 timeout;	/* s of silence before a host is gone */
	char		*notify_key;	/* gateway: EID-notifies signed so */
	struct mserver	 gateway;	/* FHR: where EID-notifies go */
};

struct lispd_conf {
	char		*file;
	unsigned int	 roles;
	char		 iface[IFNAMSIZ];
	uint32_t	 iid;
	char		*control;
	int		 ndb;
	struct dbmap	*db;
	int		 nms;
	struct mserver	*ms;
	int		 nmr;
	struct laddr	*mr;
	int		 npetr;
	struct rloc	*petr;
	int		 nsite;
	struct site	*site;
	int		 ndyn;
	struct dyneid_conf *dyn;
	bool		 rloc_probing;
	unsigned int	 probe_interval;	/* s */
	unsigned int	 register_interval;	/* s, ETR */
	unsigned int	 record_ttl;		/* minutes, ETR */
	unsigned int	 registration_timeout;	/* s, Map-Server */
};

/* Parse; NULL on error after logging "file:line: why" for each. */
struct lispd_conf *conf_load(const char *file);
void		 conf_free(struct lispd_conf *);
const char	*conf_roles_fmt(unsigned int, char *, size_t);
/* The last conf_load()'s error text (tests). */
const char	*conf_errors(void);
const char	*alg_name(uint8_t);

extern struct lispd_conf *conf;

/* s between Map-Registers and EID-notify refreshes: map-register-interval. */
static inline unsigned int
register_interval(void)
{
	return conf && conf->register_interval ? conf->register_interval :
	    REGISTER_INTERVAL;
}

/* Minutes an ITR may cache our mappings: record-ttl. */
static inline unsigned int
record_ttl(void)
{
	return conf && conf->record_ttl ? conf->record_ttl : TTL_DEFAULT;
}

/* ---- kernel.c: the "lisp" generic netlink family ---- */

struct kmap {
	struct prefix	eid;
	uint8_t		action;
	uint32_t	ttl;		/* seconds */
	uint32_t	age;
	uint32_t	flags;
	uint64_t	idle_ms;	/* since it last carried a packet */
	uint32_t	down;		/* bit i: rloc[i] failed its probes */
	int		nrloc;
	struct rloc	rloc[LISP_MAX_RLOCS];
};

int	kernel_init(void);
void	kernel_close(void);
int	kernel_ifindex(void);
int	kernel_map_replace(const struct kmap *);
int	kernel_map_del(const struct prefix *);
/* The entry for exactly p; -ENOENT when there is none. */
int	kernel_map_get(const struct prefix *, struct kmap *);
int	kernel_db_add(const struct prefix *);
int	kernel_db_del(const struct prefix *);
int	kernel_map_dump(void (*)(const struct kmap *, void *), void *);
int	kernel_db_dump(void (*)(const struct prefix *, void *), void *);
int	kernel_events(void);	/* join "events"; MISS to itr_handle_miss */
struct nlmsghdr;
struct nlmsghdr *kernel_msg(char *buf, uint8_t cmd, uint16_t flags);
int	kernel_request(struct nlmsghdr *, const char *what,
	    int (*cb)(const struct nlmsghdr *, void *), void *, int expected);

/* ---- kernel_dyn.c: dynamic-EID policies and the hosts they detect ---- */

struct khost {
	char		policy[DYNEID_NAME_MAX];
	struct prefix	eid;		/* a host prefix */
	int		ifindex;
	uint8_t		mac[6];
	uint8_t		detect;		/* enum lisp_detect */
	uint64_t	idle_ms;
};

int	kernel_dyn_set(const struct dyneid_conf *, const int *ifindex, int n);
int	kernel_dyn_del(const char *name);
/* Policies the kernel has, by name. */
int	kernel_dyn_dump(void (*)(const char *, void *), void *);
int	kernel_host_del(const char *policy, const struct prefix *eid,
	    bool recheck);
int	kernel_host_dump(void (*)(const struct khost *, void *), void *);
void	kernel_dyn_event(const struct nlmsghdr *, uint8_t cmd);

/* ---- route.c: host routes of dynamic EIDs ---- */

#define LISPD_RTPROT	43	/* rtm_protocol of our routes */

int	route_init(void);
void	route_close(void);
int	route_host_add(const struct prefix *, const struct laddr *via,
	    int ifindex);
int	route_host_del(const struct prefix *);

/* ---- net.c: UDP 4342 ---- */

int	net_init(void);
void	net_close(void);
int	net_send(const struct laddr *to, uint16_t port, const void *, size_t);
/* Wrap msg in an ECM whose inner header goes src -> dst, port 4342. */
int	net_send_ecm(const struct laddr *to, const struct laddr *isrc,
	    const struct laddr *idst, uint16_t isport, const void *, size_t);
/* Our source address towards dst, as the kernel would choose it. */
int	net_local_addr(const struct laddr *dst, struct laddr *src);

/* ---- packet.c: receive and dispatch ---- */

struct pkt {
	struct laddr	src;		/* outer source */
	uint16_t	sport;
	struct laddr	dst;		/* outer destination, family 0: unknown */
	bool		ecm;		/* came inside an ECM */
	struct laddr	isrc;		/* the ECM's inner source */
	struct laddr	idst;		/* and destination */
	uint16_t	isport;		/* and inner source port */
};

void	packet_input(const uint8_t *, size_t, const struct laddr *src,
	    uint16_t sport);

enum lispd_stat {
	ST_RX, ST_RX_BAD, ST_RX_UNEXPECTED, ST_TX, ST_TX_ERR,
	ST_MREQ_TX, ST_MREQ_RETRY, ST_MREQ_GIVEUP, ST_MREQ_RATELIMIT,
	ST_MREQ_RX, ST_MREP_TX, ST_MREP_RX, ST_MREP_NONCE,
	ST_MREG_TX, ST_MREG_RX, ST_MREG_AUTH, ST_MREG_REJECT, ST_MREG_REPLAY,
	ST_MNOT_TX, ST_MNOT_RX, ST_MNOT_ACK_TX, ST_MNOT_ACK_RX,
	ST_MISS, ST_INSTALL, ST_EXPIRE, ST_FORWARD, ST_NEGATIVE,
	ST_NEGATIVE_WARMUP,
	ST_SMR_TX, ST_SMR_RATELIMIT, ST_SMR_RX, ST_SMR_UNCACHED,
	ST_PROBE_TX, ST_PROBE_RX, ST_PROBE_REPLY_TX, ST_PROBE_REPLY_RX,
	ST_RLOC_DOWN, ST_RLOC_UP, ST_MREG_WITHDRAWN,
	ST_REFRESH,
	ST_REFRESH_NEGATIVE,
	ST_RX_REFUSED, ST_MNOT_ACK_NONCE, ST_MREQ_NO_ITR,
	ST__MAX
};
extern uint64_t	stats[ST__MAX];
/* rx-malformed by the codec's reason: rx-malformed-<reason> (stats.c). */
extern uint64_t	stats_malformed[LISP_E__MAX];
const char	*stat_name(int);
const char	*stat_malformed_name(int err);
/*
 * A peer's message (or one record of it) refused: counted under its
 * reason st and in rx-refused.  refuse_malformed: the codec's err
 * (negative or not), under rx-malformed and rx-malformed-<reason>.
 * Each returns the reason's counter name, the key of its log line.
 */
const char	*refuse(enum lispd_stat st);
const char	*refuse_malformed(int err);

/* ---- roles ---- */

/* itr.c */
void	itr_init(void);
void	itr_shutdown(void);
void	itr_handle_miss(int ifindex, uint32_t iid, const struct laddr *seid,
	    const struct laddr *deid);
void	itr_handle_reply(const struct pkt *, const struct lisp_mapreply *);
void	itr_adopt(const struct kmap *);
void	itr_handle_smr(const struct pkt *, const struct lisp_mapreq *);
int	itr_locate(const struct prefix *eid);
struct json_object *itr_show(void);

/* register.c: one mapping kept registered with one peer */
struct registration;
struct registration_ops {
	/* Put the records to register in m; false: nothing to send now. */
	bool	(*build)(struct registration *, struct lisp_mapreg *m);
	/* m was sent (optional: for the role's log). */
	void	(*sent)(struct registration *, const struct lisp_mapreg *m);
};
struct registration {
	struct timer	 timer;
	const struct mserver *peer;	/* Map-Server or site gateway */
	uint32_t	 flags;		/* LISP_MREG_E: an EID-notify */
	const struct registration_ops *ops;
	void		*owner;
	uint64_t	 nonce;		/* of the unacknowledged message */
	uint64_t	 acked_nonce;	/* of the last acknowledged one */
	unsigned int	 backoff;	/* s, 0 when acknowledged */
	time_t		 acked;		/* last Map-Notify, 0: never */
	uint64_t	 sent;
};
void	registration_init(struct registration *, const struct mserver *,
	    uint32_t flags, const struct registration_ops *, void *owner);
/* Send now, a new message, and keep it registered. */
void	registration_start(struct registration *);
void	registration_stop(struct registration *);
/*
 * After a reload, with peer the new configuration's section: at its
 * next period when acknowledged, else now.
 */
void	registration_resume(struct registration *, const struct mserver *peer);
/* A Map-Notify from "from" with nonce: true when it acknowledges r. */
bool	registration_acked(struct registration *, const struct laddr *from,
	    uint64_t nonce);
/* The shared message to fill for register_send(): zeroed, a Map-Register. */
struct lisp_mapreg *register_msg(void);
/* Sign m as peer's section says and send it, once; 0 when sent. */
int	register_send(const struct mserver *peer, struct lisp_mapreg *m);

/* etr.c */
void	etr_init(void);
void	etr_shutdown(void);
bool	etr_owns(const struct prefix *);
/* A database-mapping as an EID record: our locators, L and R set. */
void	etr_record(const struct dbmap *, struct lisp_rec *);
void	etr_handle_request(const struct pkt *, const struct lisp_mapreq *);
void	etr_handle_notify(const struct pkt *, const uint8_t *, size_t,
	    const struct lisp_mapreg *);
struct json_object *etr_show(void);
/* Tell the ITR at itr_rloc, which sent seid's traffic to eid, to ask again. */
void	etr_send_smr(uint32_t iid, const struct laddr *eid,
	    const struct laddr *seid, const struct laddr *itr_rloc);

/* ms.c */
struct ms_reg;
void	ms_init(void);
void	ms_shutdown(bool keep_registrations);
void	ms_handle_register(const struct pkt *, const uint8_t *, size_t,
	    time_t now);
void	ms_handle_notify_ack(const struct pkt *, const uint8_t *, size_t);
void	ms_expire(time_t now);
/* Registered record covering eid, or NULL; *site its configured site. */
const struct lisp_rec *ms_lookup(const struct prefix *eid, bool *proxy,
	    struct laddr *etr, const struct site **site,
	    const struct site_eid **se);
/* Is anything registered, or a site's, inside p (p included)? */
bool	ms_registered_within(const struct prefix *);
bool	ms_site_within(const struct prefix *);
/* Started less than a registration timeout ago: registrations may be lost. */
bool	ms_warming_up(void);
struct json_object *ms_show(void);

/* mr.c */
/* Copy a record, only as many locators as it has. */
void	mr_rec_copy(struct lisp_rec *dst, const struct lisp_rec *src);
void	mr_handle_request(const struct pkt *, const uint8_t *, size_t,
	    const struct lisp_mapreq *);
/* Send a Map-Reply for mreq to its first usable ITR-RLOC. */
int	mr_send_reply(const struct pkt *, const struct lisp_mapreq *,
	    const struct lisp_rec *, size_t nrec);
/* The same with Map-Reply flags (LISP_MREP_P for a probe reply). */
int	mr_send_reply_flags(const struct pkt *, const struct lisp_mapreq *,
	    uint32_t flags, const struct lisp_rec *, size_t nrec);

/* notify.c: Map-Notify of the mobility roles */
/* Encode and sign type NOTIFY or NOTIFY_ACK with auth's key; length or -1. */
int	notify_encode(uint8_t *, size_t, uint8_t type, uint64_t nonce,
	    const struct mserver *auth, const struct lisp_rec *, int nrec);
/* Unsolicited: sent again until acknowledged. */
int	notify_reliable(const struct laddr *to, uint16_t port,
	    const struct mserver *auth, const struct lisp_rec *, int nrec);
/* A Map-Notify-Ack for one of ours: consumed (true) or not ours. */
bool	notify_ack_input(const struct pkt *, const uint8_t *, size_t);
void	notify_flush(void);

/* dyneid.c: dynamic EIDs of a site gateway, and of a first-hop router */
void	dyneid_init(void);
void	dyneid_shutdown(bool reload);
void	dyneid_detected(const struct khost *);
void	dyneid_gone(const struct khost *);
/* An EID-notify (Map-Register with the E bit) from a first-hop router. */
void	dyneid_eid_notify(const struct pkt *, const uint8_t *, size_t);
/* Map-Notify from a Map-Server: ours (true), else look for moves. */
bool	dyneid_notify_acked(const struct pkt *, const struct lisp_mapreg *);
void	dyneid_moved(const struct pkt *, const struct lisp_mapreg *);
/* itr_locate()'s answer: where eid is registered now. */
void	dyneid_located(const struct prefix *eid, const struct lisp_rec *,
	    const struct laddr *from);
/* A dynamic EID of ours: as a database-mapping in *out. */
bool	dyneid_owns(const struct prefix *, struct dbmap *out);
/* A host that moved away: drop it, its routes and the kernel's record. */
void	dyneid_forget(const struct prefix *);
struct json_object *dyneid_show(void);

/* fhr.c: first-hop router */
void	fhr_host_up(const struct dyneid_conf *, const struct prefix *eid);
void	fhr_host_down(const struct dyneid_conf *, const struct prefix *eid,
	    bool withdraw);
bool	fhr_is_gateway(const struct laddr *);
void	fhr_handle_notify(const struct pkt *, const uint8_t *, size_t,
	    const struct lisp_mapreg *);
void	fhr_init(void);
/* reload: the hosts stay for fhr_init(). */
void	fhr_shutdown(bool reload);

/* ---- control.c ---- */
int	control_in_use(const char *path);
int	control_init(const char *path);
void	control_close(void);

#endif /* LISPD_H */
