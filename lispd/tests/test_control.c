/* SPDX-License-Identifier: MIT */
/*
 * The control socket: made with its directory when that is missing
 * (lispd run without lispd.service), usable by its owner and group
 * only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <json-c/json.h>

#include "tap.h"
#include "core.h"
#include "log.h"
#include "event.h"
#include "conf.h"
#include "control.h"
#include "etr.h"
#include "gateway.h"
#include "hosts.h"
#include "itr.h"
#include "ms.h"
#include "publish.h"
#include "resolvers.h"
#include "ddt.h"
#include "nat.h"

struct lispd_conf *conf;

/* The roles' tables: not asked in this test. */
json_object *itr_show(void) { return json_object_new_array(); }
json_object *etr_show(void) { return json_object_new_array(); }
json_object *ms_show(void) { return json_object_new_array(); }
json_object *pub_show(void) { return json_object_new_array(); }
void itr_sub_show(json_object *a) { (void)a; }
json_object *ddt_mr_show(void) { return json_object_new_array(); }
json_object *nat_xtr_show(void) { return json_object_new_array(); }
json_object *rtr_show(json_object *arr) { return arr; }
json_object *dyneid_show(void) { return json_object_new_array(); }
void gateway_show(json_object *a) { (void)a; }
void etr_show_registrations(json_object *a) { (void)a; }
void gateway_show_registrations(json_object *a) { (void)a; }
json_object *resolvers_show(void) { return json_object_new_array(); }

static void
t_dir_and_mode(void **state)
{
	char		 dir[] = "/tmp/test_control.XXXXXX", sub[64], sock[96];
	struct stat	 st;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(sub, sizeof(sub), "%s/run", dir);
	snprintf(sock, sizeof(sock), "%s/lispd.sock", sub);
	assert_int_equal(ev_init(), 0);
	assert_int_equal(control_init(sock), 0);
	assert_int_equal(stat(sub, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0750);
	assert_int_equal(stat(sock, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	/* The group may connect (lispctl as a member of lispd's group). */
	assert_int_equal(st.st_mode & 0777, 0770);
	control_close();
	assert_int_not_equal(stat(sock, &st), 0);
	rmdir(sub);
	rmdir(dir);
}

/* A directory that cannot be made: no socket, said why. */
static void
t_no_dir(void **state)
{
	(void)state;
	assert_int_equal(control_init("/nonexistent-dir/sub/lispd.sock"), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_dir_and_mode),
		cmocka_unit_test(t_no_dir),
	};

	log_init(true, 0);
	return TAP_RUN("control socket", tests);
}
