/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SHIM_LINUX_SOCKET_H
#define _SHIM_LINUX_SOCKET_H

#include <sys/socket.h>		/* AF_INET, AF_INET6 */

#endif
