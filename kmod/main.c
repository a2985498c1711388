// SPDX-License-Identifier: GPL-2.0
/*
 * LISP data plane (RFC 9300): module init and exit only.
 */

#include <linux/module.h>
#include <net/rtnetlink.h>
#include <net/net_namespace.h>
#include <net/genetlink.h>

#include "device.h"
#include "dyneid.h"
#include "mapcache.h"
#include "netlink.h"
#include "socket.h"

static int __init lisp_module_init(void)
{
	int err;

	err = lisp_mapcache_module_init();
	if (err)
		return err;
	err = register_pernet_device(&lisp_net_ops);
	if (err)
		goto err_mapcache;
	/* The layers meet here: the dynamic-EID table calls up by ops. */
	err = lisp_dyn_module_init(&lisp_detect_ops, &lisp_nl_dyn_events);
	if (err)
		goto err_pernet;
	err = rtnl_link_register(&lisp_link_ops);
	if (err)
		goto err_dyn;
	err = lisp_genl_init();
	if (err)
		goto err_link;
	pr_info("LISP data plane (RFC 9300) loaded\n");
	return 0;

err_link:
	rtnl_link_unregister(&lisp_link_ops);
err_dyn:
	lisp_dyn_module_exit();
err_pernet:
	unregister_pernet_device(&lisp_net_ops);
err_mapcache:
	lisp_mapcache_module_exit();
	return err;
}

static void __exit lisp_module_exit(void)
{
	lisp_genl_exit();
	rtnl_link_unregister(&lisp_link_ops);
	lisp_dyn_module_exit();
	unregister_pernet_device(&lisp_net_ops);
	/* call_rcu() callbacks of ours may still be queued. */
	rcu_barrier();
	lisp_mapcache_module_exit();
}

module_init(lisp_module_init);
module_exit(lisp_module_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("LISP (Locator/ID Separation Protocol) data plane");
MODULE_ALIAS_RTNL_LINK("lisp");
MODULE_ALIAS_GENL_FAMILY(LISP_GENL_NAME);
