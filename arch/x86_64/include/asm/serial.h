/*
 * serial.h - the COM1 console (arch/x86_64/serial.c).
 */
#ifndef ASM_SERIAL_H
#define ASM_SERIAL_H

/* serial_init - 115200 8N1, FIFOs on, polled. Safe to call again. */
void serial_init(void);

/* serial_putc - write one byte, busy-waiting for the UART; '\n' -> "\r\n". */
void serial_putc(char c);

/* serial_getc_nonblock - a received byte (0..255), or -1 when none waits. */
int serial_getc_nonblock(void);

#endif
