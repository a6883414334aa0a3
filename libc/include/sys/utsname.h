/*
 * sys/utsname.h - uname(2), with Linux's struct layout (six 65-byte fields).
 */
#ifndef _SYS_UTSNAME_H
#define _SYS_UTSNAME_H

struct utsname {
	char sysname[65];
	char nodename[65];
	char release[65];
	char version[65];
	char machine[65];
	char domainname[65];
};

/* uname - fill *buf (our kernel: sysname "POE"); 0, or -1 with EFAULT. */
int uname(struct utsname *buf);

#endif
