/* SPDX-License-Identifier: MIT */
/*
 * The control socket: a UNIX stream socket taking one JSON request per
 * connection, {"show": "map-cache" | "database" | "registration" |
 * "map-resolver" | "site" | "dynamic-eid" | "subscriptions" |
 * "referral-cache" | "nat" | "statistics"},
 * and answering {"ok": true, "data": ...} or {"ok": false, "error": ...}
 * before closing.  Clients are read and written from the event loop, so
 * a slow one cannot stall the daemon however long the answer (a big
 * Map-Server's sites run to megabytes); one that takes longer than
 * CLIENT_TIMEOUT is dropped.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <json-c/json.h>

#include "log.h"
#include "publish.h"
#include "event.h"
#include "conf.h"
#include "stats.h"
#include "control.h"
#include "etr.h"
#include "gateway.h"
#include "hosts.h"
#include "itr.h"
#include "ms.h"
#include "resolvers.h"
#include "ddt.h"
#include "nat.h"

#define REQ_MAX		4096
#define CLIENT_TIMEOUT	30000	/* ms for a request and its answer */

struct client {
	int		 fd;
	struct timer	 timeout;
	size_t		 len;
	char		 buf[REQ_MAX];
	char		*out;		/* the answer, once there is one */
	size_t		 outlen, outoff;
};

static int	 lfd = -1;
static char	*lpath;

static json_object *
show_stats(void)
{
	json_object	*o = json_object_new_object();
	int		 i, j;

	for (i = 0; i < ST__MAX; i++) {
		json_object_object_add(o, stat_name(i),
		    json_object_new_int64((int64_t)stats[i]));
		if (i != ST_RX_BAD)
			continue;
		/* rx-malformed's reasons follow it, "other" (slot 0) last. */
		for (j = 1; j <= LISP_E__MAX; j++)
			if (stat_malformed_name(j % LISP_E__MAX))
				json_object_object_add(o,
				    stat_malformed_name(j % LISP_E__MAX),
				    json_object_new_int64((int64_t)
				    stats_malformed[j % LISP_E__MAX]));
	}
	return o;
}

static json_object *
control_answer(const char *req)
{
	json_object	*r = json_tokener_parse(req), *what, *out, *data = NULL;
	const char	*w, *err = NULL;

	out = json_object_new_object();
	if (!r || !json_object_object_get_ex(r, "show", &what) ||
	    !json_object_is_type(what, json_type_string))
		err = "bad request: want {\"show\": WHAT}";
	else {
		w = json_object_get_string(what);
		if (!strcmp(w, "map-cache"))
			data = conf->roles & (ROLE_ITR | ROLE_PITR) ?
			    itr_show() : json_object_new_array();
		else if (!strcmp(w, "database"))
			data = conf->roles & ROLE_ETR ? etr_show() :
			    json_object_new_array();
		else if (!strcmp(w, "registration")) {
			data = json_object_new_array();
			if (conf->roles & ROLE_ETR)
				etr_show_registrations(data);
			gateway_show_registrations(data);
		} else if (!strcmp(w, "map-resolver"))
			data = conf->roles & (ROLE_ITR | ROLE_PITR) ?
			    resolvers_show() : json_object_new_array();
		else if (!strcmp(w, "site"))
			data = conf->roles & ROLE_MS ? ms_show() :
			    json_object_new_array();
		else if (!strcmp(w, "statistics"))
			data = show_stats();
		else if (!strcmp(w, "subscriptions")) {
			/* The Map-Server's subscribers, the ITR's own. */
			data = conf->roles & ROLE_MS ? pub_show() :
			    json_object_new_array();
			if (conf->roles & ROLE_ITR)
				itr_sub_show(data);
		}
		else if (!strcmp(w, "nat"))
			data = conf->roles & ROLE_RTR ?
			    rtr_show(conf->roles & ROLE_ETR ? nat_xtr_show() :
			    json_object_new_array()) :
			    conf->roles & ROLE_ETR ? nat_xtr_show() :
			    json_object_new_array();
		else if (!strcmp(w, "referral-cache"))
			data = (conf->roles & ROLE_MR) && conf->nddt_root ?
			    ddt_mr_show() : json_object_new_array();
		else if (!strcmp(w, "dynamic-eid")) {
			data = dyneid_show();
			gateway_show(data);
		}
		else
			err = "unknown object: map-cache, database, registration, map-resolver, site, dynamic-eid, subscriptions, referral-cache, nat or statistics";
	}
	json_object_put(r);
	json_object_object_add(out, "ok", json_object_new_boolean(!err));
	if (err)
		json_object_object_add(out, "error", json_object_new_string(err));
	else
		json_object_object_add(out, "data", data);
	return out;
}

static void
client_close(struct client *c)
{
	timer_del(&c->timeout);
	ev_del(c->fd);
	close(c->fd);
	free(c->out);
	free(c);
}

static void
client_timeout(void *arg)
{
	client_close(arg);
}

/* Write what the socket takes; the rest when it is writable again. */
static void
client_write(struct client *c)
{
	ssize_t	n;

	while (c->outoff < c->outlen) {
		n = write(c->fd, c->out + c->outoff, c->outlen - c->outoff);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			if (ev_want_write(c->fd, true))
				break;
			return;
		}
		if (n <= 0)
			break;
		c->outoff += (size_t)n;
	}
	client_close(c);
}

static void
client_io(int fd, void *arg)
{
	struct client	*c = arg;
	json_object	*ans;
	const char	*txt;
	ssize_t		 n;
	size_t		 tl;

	if (c->out) {
		client_write(c);
		return;
	}
	n = read(fd, c->buf + c->len, sizeof(c->buf) - 1 - c->len);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n > 0)
		c->len += (size_t)n;
	c->buf[c->len] = '\0';
	/* A whole request is a line, or everything up to the client's EOF. */
	if (n > 0 && !strchr(c->buf, '\n') && c->len < sizeof(c->buf) - 1)
		return;
	if (n < 0 || c->len == 0) {
		client_close(c);
		return;
	}
	ans = control_answer(c->buf);
	txt = json_object_to_json_string_ext(ans, JSON_C_TO_STRING_PLAIN);
	tl = strlen(txt);
	c->out = malloc(tl + 1);
	if (c->out) {
		memcpy(c->out, txt, tl);
		c->out[tl] = '\n';
		c->outlen = tl + 1;
	}
	json_object_put(ans);
	if (!c->out) {
		client_close(c);
		return;
	}
	client_write(c);
}

static void
control_accept(int fd, void *arg)
{
	struct client	*c;
	int		 cfd;

	(void)arg;
	cfd = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (cfd < 0)
		return;
	if (!(c = calloc(1, sizeof(*c))) || ev_add(cfd, client_io, c)) {
		free(c);
		close(cfd);
		return;
	}
	c->fd = cfd;
	timer_set(&c->timeout, client_timeout, c);
	timer_add(&c->timeout, CLIENT_TIMEOUT);
}

static int
control_addr(const char *path, struct sockaddr_un *sun)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun->sun_path)) {
		log_warnx("control-socket %s: path too long", path);
		return -1;
	}
	strcpy(sun->sun_path, path);
	return 0;
}

/*
 * A lispd that answers on the control socket is running: starting a
 * second one would take its socket and fight it over the kernel's state.
 * A socket nobody answers on is what a crash leaves; control_init
 * replaces it.
 */
int
control_in_use(const char *path)
{
	struct sockaddr_un	sun;
	int			fd, used;

	if (control_addr(path, &sun))
		return 0;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	used = connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0;
	close(fd);
	return used;
}

/*
 * The socket's directory (/run/lispd, which lispd.service makes): made
 * when lispd runs without the unit, for its owner and group only.
 */
static int
control_dir(const char *path)
{
	char		 dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char		*slash;
	struct stat	 st;

	snprintf(dir, sizeof(dir), "%s", path);
	if (!(slash = strrchr(dir, '/')) || slash == dir)
		return 0;
	*slash = '\0';
	if (!stat(dir, &st))
		return 0;
	if (errno != ENOENT || mkdir(dir, 0750)) {
		log_warn("control socket directory %s", dir);
		return -1;
	}
	return 0;
}

int
control_init(const char *path)
{
	struct sockaddr_un	sun;
	mode_t			old;

	if (control_addr(path, &sun) || control_dir(path))
		return -1;
	lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (lfd < 0) {
		log_warn("control socket");
		return -1;
	}
	unlink(path);
	/*
	 * Its owner and group only (lispd.service: the lispd user and
	 * group): it shows keys' sites and the whole map-cache.
	 */
	old = umask(0007);
	if (bind(lfd, (struct sockaddr *)&sun, sizeof(sun)) ||
	    listen(lfd, 16) || ev_add(lfd, control_accept, NULL)) {
		umask(old);
		log_warn("control socket %s", path);
		close(lfd);
		lfd = -1;
		return -1;
	}
	umask(old);
	lpath = strdup(path);
	return 0;
}

void
control_close(void)
{
	if (lfd < 0)
		return;
	ev_del(lfd);
	close(lfd);
	if (lpath)
		unlink(lpath);
	free(lpath);
	lfd = -1;
	lpath = NULL;
}
