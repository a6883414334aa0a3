/*
 * sys/personality.h - personality(2): the process's execution domain and
 * flags (ADDR_NO_RANDOMIZE turns off exec's layout randomization).
 */
#ifndef _SYS_PERSONALITY_H
#define _SYS_PERSONALITY_H

#include <linux/personality.h>

/*
 * personality - set the personality to persona and return the old one;
 * persona 0xffffffff only returns it. Never fails on this kernel.
 */
int personality(unsigned long persona);

#endif
