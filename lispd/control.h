/* SPDX-License-Identifier: MIT */
/* control.c: the control socket lispctl talks to. */
#ifndef LISPD_CONTROL_H
#define LISPD_CONTROL_H

int	control_in_use(const char *path);
int	control_init(const char *path);
void	control_close(void);

#endif /* LISPD_CONTROL_H */
