/*
 * mem.c - /dev/null (1:3) and /dev/zero (1:5), as Linux's
 * drivers/char/mem.c: null reads as end of file and swallows every
 * write; zero reads as an endless run of zero bytes and swallows writes
 * too. lseek on either sets the position to 0 (Linux's null_lseek()).
 */
#include <kernel/errno.h>
#include <kernel/fs.h>

static long read_null(struct kiocb *iocb, struct iov_iter *to)
{
	(void)iocb;
	(void)to;
	return 0;
}

/* Every byte is "written": the count, without reading them (Linux's
 * write_iter_null()). */
static long write_null(struct kiocb *iocb, struct iov_iter *from)
{
	(void)iocb;
	return (long)iov_iter_count(from);
}

/* Zeros into the whole iterator; -EFAULT when not one byte could be
 * stored. Linux's read_iter_zero(). */
static long read_zero(struct kiocb *iocb, struct iov_iter *to)
{
	size_t want = iov_iter_count(to), n;

	(void)iocb;
	n = iov_iter_zero(want, to);
	if (want && !n)
		return -EFAULT;
	return (long)n;
}

const struct file_operations null_fops = {
	.llseek = null_lseek,
	.read_iter = read_null,
	.write_iter = write_null,
};

const struct file_operations zero_fops = {
	.llseek = null_lseek,
	.read_iter = read_zero,
	.write_iter = write_null,
};
