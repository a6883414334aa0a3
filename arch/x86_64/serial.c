/*
 * serial.c - the 16550 UART on COM1 (I/O port 0x3f8), the kernel's only
 * console. printk() (kernel/printk.c) writes through serial_putc(); QEMU
 * connects the port to its stdio with -serial stdio.
 */
#include <asm/io.h>
#include <asm/serial.h>

#define COM1	      0x3f8
#define UART_THR      0	   /* transmit holding register (write) */
#define UART_RBR      0	   /* receive buffer (read) */
#define UART_IER      1	   /* interrupt enable */
#define UART_FCR      2	   /* FIFO control */
#define UART_LCR      3	   /* line control */
#define UART_MCR      4	   /* modem control */
#define UART_LSR      5	   /* line status */
#define UART_LSR_DR   0x01 /* data ready */
#define UART_LSR_THRE 0x20 /* transmit holding register empty */

void serial_init(void)
{
	outb(COM1 + UART_IER, 0x00); /* polled: no interrupts (yet) */
	outb(COM1 + UART_LCR, 0x80); /* DLAB on to set the divisor */
	outb(COM1 + 0, 1);	     /* divisor 1 = 115200 baud */
	outb(COM1 + 1, 0);
	outb(COM1 + UART_LCR, 0x03); /* 8 data bits, no parity, 1 stop */
	outb(COM1 + UART_FCR, 0xc7); /* FIFOs on, cleared, 14-byte level */
	outb(COM1 + UART_MCR, 0x03); /* DTR, RTS */
}

void serial_putc(char c)
{
	if (c == '\n')
		serial_putc('\r');
	while (!(inb(COM1 + UART_LSR) & UART_LSR_THRE))
		;
	outb(COM1 + UART_THR, (u8)c);
}

int serial_getc_nonblock(void)
{
	if (!(inb(COM1 + UART_LSR) & UART_LSR_DR))
		return -1;
	return inb(COM1 + UART_RBR);
}
