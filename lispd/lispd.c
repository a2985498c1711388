/* SPDX-License-Identifier: MIT */
/*
 * lispd: the LISP control plane (RFC 9301) for the lisp kernel data
 * plane.  One process, one event loop; each role (ITR, ETR, PITR,
 * Map-Server, Map-Resolver) is a module started from the configuration,
 * for every tenant (instance-id) it names.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core.h"
#include "log.h"
#include "event.h"
#include "conf.h"
#include "kernel.h"
#include "net.h"
#include "control.h"
#include "etr.h"
#include "fhr.h"
#include "gateway.h"
#include "hosts.h"
#include "itr.h"
#include "ms.h"
#include "publish.h"
#include "ddt.h"
#include "nat.h"
#include "packet.h"
#include "tenant.h"

static const char	*conffile = LISPD_CONF;
static bool		 kernel_up, net_up, control_up;

static void
usage(void)
{
	fprintf(stderr, "usage: lispd [-djnv] [-c file]\n");
	exit(2);
}

/* The handler of each kernel event: a role this configuration runs. */
static void
kernel_handlers_fill(struct kernel_handlers *h)
{
	memset(h, 0, sizeof(*h));
	if (conf->roles & (ROLE_ITR | ROLE_PITR))
		h->miss = itr_handle_miss;
	if (conf->roles & ROLE_ETR)
		h->smr = etr_send_smr;
	if (conf->roles & (ROLE_ETR | ROLE_FHR)) {
		h->detected = dyneid_detected;
		h->gone = dyneid_gone;
	}
	if (conf->roles & (ROLE_ETR | ROLE_RTR))
		h->ctrl = packet_ctrl_input;
}

/* A tenant's lisp device, when a role of this configuration uses one. */
static int
tenant_attach(const struct tenant_conf *tc, uint32_t *iid, int *ifindex)
{
	*ifindex = 0;
	if (!(conf->roles & (ROLE_ITR | ROLE_PITR | ROLE_ETR)) ||
	    !tc->iface[0])
		return 0;
	return kernel_attach(tc->iface, tc->netns, tc->iid_given, iid,
	    ifindex);
}

/*
 * A tenant dropped at a reload (its roles stopped): its hosts, away
 * entries and what it put in the kernel go.
 */
static void
tenant_gone(struct tenant *t)
{
	fhr_forget_tenant(t);
	gateway_forget_tenant(t);
	dyneid_forget_tenant(t);
	if (!t->ifindex)
		return;
	itr_forget(t);
	etr_forget(t);
	kernel_detach(t->iid);
}

/* The roles, in the order their dependencies come up. */
static int
roles_start(void)
{
	struct kernel_handlers	h;

	if (conf->roles & (ROLE_ITR | ROLE_PITR | ROLE_ETR | ROLE_FHR)) {
		if (!kernel_up && kernel_init())
			return -1;
		kernel_up = true;
	}
	if (tenants_sync(conf, tenant_attach, tenant_gone))
		return -1;
	if (!net_up && net_init())
		return -1;
	net_up = true;
	if (conf->roles & ROLE_MS) {
		ms_init();
		pub_init();
	}
	if ((conf->roles & ROLE_MR) && conf->nddt_root)
		ddt_mr_init();
	if (conf->roles & ROLE_ETR) {
		etr_init();
		nat_xtr_init();
	}
	if (conf->roles & (ROLE_ITR | ROLE_PITR))
		itr_init();
	if (conf->roles & ROLE_RTR)
		rtr_init();
	/*
	 * Misses, hosts found or gone, traffic for hosts that moved; after
	 * a reload without those roles, no handler.
	 */
	kernel_handlers_fill(&h);
	kernel_set_handlers(&h);
	if (kernel_up && kernel_events())
		return -1;
	if (tenants_have_dyneid()) {
		/* The host table's listeners first: it reports what it finds. */
		fhr_init();
		gateway_init();
		dyneid_init();
	}
	return 0;
}

static void
roles_stop(bool reload)
{
	itr_shutdown();
	gateway_shutdown(reload);
	fhr_shutdown(reload);
	dyneid_shutdown(reload);
	nat_xtr_shutdown();
	rtr_shutdown();
	etr_shutdown();
	pub_shutdown(reload);
	ms_shutdown(reload);
	ddt_mr_shutdown();
}

/*
 * SIGHUP: a configuration that does not parse leaves the running one in
 * place; one that does replaces the roles.  The sockets stay open.
 */
static void
reload(int sig, void *arg)
{
	struct lispd_conf	*nc, *old;
	char			 r[64];

	(void)sig;
	(void)arg;
	log_info("reloading %s", conffile);
	nc = conf_load(conffile);
	if (!nc) {
		log_warnx("reload failed, keeping the running configuration");
		return;
	}
	if (strcmp(nc->control, conf->control)) {
		log_warnx("reload: control-socket needs a restart; keeping "
		    "the running configuration");
		conf_free(nc);
		return;
	}
	roles_stop(true);
	old = conf;
	conf = nc;
	if (roles_start()) {
		log_warnx("reload: the new configuration does not start, "
		    "back to the old one");
		roles_stop(true);
		conf = old;
		if (roles_start())
			fatalx("cannot restart the old configuration");
		if (!(conf->roles & ROLE_MS)) {
			pub_shutdown(false);
			ms_shutdown(false);
		}
		conf_free(nc);
		return;
	}
	/* Registrations kept for a role no longer run must go now. */
	if (!(conf->roles & ROLE_MS)) {
		pub_shutdown(false);
		ms_shutdown(false);
	}
	conf_free(old);
	log_info("running roles: %s", conf_roles_fmt(conf->roles, r,
	    sizeof(r)));
}

static void
terminate(int sig, void *arg)
{
	(void)arg;
	log_info("%s, exiting", strsignal(sig));
	ev_break();
}

int
main(int argc, char **argv)
{
	bool	foreground = false, check = false, journal = false;
	int	ch, verbose = 0;
	char	r[64];

	while ((ch = getopt(argc, argv, "c:djnv")) != -1) {
		switch (ch) {
		case 'c':
			conffile = optarg;
			break;
		case 'd':
			foreground = true;
			break;
		case 'j':
			journal = true;
			break;
		case 'n':
			check = true;
			break;
		case 'v':
			verbose++;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();

	log_init(true, verbose);
	/* Under systemd, structured lines from the first one on. */
	log_journal((journal || log_journal_stream()) &&
	    log_journal_present());
	conf = conf_load(conffile);
	if (!conf)
		exit(1);
	if (check) {
		fprintf(stderr, "configuration OK: roles %s\n",
		    conf_roles_fmt(conf->roles, r, sizeof(r)));
		conf_free(conf);
		exit(0);
	}
	log_init(foreground, verbose);
	log_timestamps(foreground);
	if (control_in_use(conf->control))
		fatalx("another lispd answers on %s: not starting a second",
		    conf->control);
	if (!foreground && daemon(0, 0))
		fatal("daemon");
	signal(SIGPIPE, SIG_IGN);
	if (ev_init())
		fatal("epoll");
	if (ev_signal(SIGHUP, reload, NULL) ||
	    ev_signal(SIGTERM, terminate, NULL) ||
	    ev_signal(SIGINT, terminate, NULL))
		fatal("signalfd");
	if (roles_start())
		fatalx("startup failed");
	if (control_init(conf->control))
		log_warnx("no control socket, continuing without");
	else
		control_up = true;
	log_info("lispd %s started, roles: %s", LISPD_VERSION,
	    conf_roles_fmt(conf->roles, r, sizeof(r)));

	if (ev_loop())
		log_warn("event loop");

	roles_stop(false);
	/* The kernel keeps their entries, for the next lispd to adopt. */
	tenants_free(NULL);
	if (control_up)
		control_close();
	net_close();
	kernel_close();
	conf_free(conf);
	return 0;
}
