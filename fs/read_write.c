/*
 * read_write.c - moving bytes through open files: read(2), write(2),
 * readv(2), writev(2), pread64(2), pwrite64(2), lseek(2), and the
 * iterators that carry the bytes to the file's read_iter/write_iter
 * (Linux's fs/read_write.c and a cut-down lib/iov_iter.c).
 *
 * The checks come in Linux's order: the fd (-EBADF), the file's mode
 * (-EBADF when not open for it, -EINVAL when the file cannot do it), the
 * user range (-EFAULT, even for 0 bytes), the position (-EINVAL
 * negative), then the file's own operation. A position is updated under
 * the file's f_pos_lock for regular files and directories (Linux's
 * fdget_pos() with FMODE_ATOMIC_POS), so two threads sharing an fd never
 * read the same bytes; a stream (the console) keeps none.
 */
#include <kernel/compiler.h>
#include <kernel/errno.h>
#include <kernel/fdtable.h>
#include <kernel/fs.h>
#include <kernel/string.h>
#include <kernel/syscalls.h>
#include <mm/kmalloc.h>

#define IOV_MAX 1024 /* Linux's UIO_MAXIOV */

/* ---- iterators ---- */

/* Step over finished and empty user segments. */
static void iter_skip_empty(struct iov_iter *i)
{
	while (i->nr_segs && i->iov_offset == i->iov->iov_len) {
		i->iov++;
		i->nr_segs--;
		i->iov_offset = 0;
	}
}

/* Move bytes between kernel memory and i: to_user says which way. */
static size_t iter_copy(void *addr, size_t bytes, struct iov_iter *i, int dir)
{
	size_t done = 0;

	if (bytes > i->count)
		bytes = i->count;
	if (i->kernel) {
		if (dir > 0)
			memcpy(i->kbuf, addr, bytes);
		else if (dir < 0)
			memcpy(addr, i->kbuf, bytes);
		else
			memset(i->kbuf, 0, bytes);
		i->kbuf += bytes;
		i->count -= bytes;
		return bytes;
	}
	while (done < bytes) {
		char __user *u;
		size_t n, left;

		iter_skip_empty(i);
		if (!i->nr_segs)
			break;
		u = (char __user *)i->iov->iov_base + i->iov_offset;
		n = MIN(i->iov->iov_len - i->iov_offset, bytes - done);
		if (dir > 0)
			left = copy_to_user(u, (char *)addr + done, n);
		else if (dir < 0)
			left = copy_from_user((char *)addr + done, u, n);
		else
			left = clear_user(u, n);
		i->iov_offset += n - left;
		i->count -= n - left;
		done += n - left;
		if (left)
			break; /* a fault ends the copy */
	}
	return done;
}

size_t copy_to_iter(const void *addr, size_t bytes, struct iov_iter *i)
{
	return iter_copy((void *)addr, bytes, i, 1);
}

size_t copy_from_iter(void *addr, size_t bytes, struct iov_iter *i)
{
	return iter_copy(addr, bytes, i, -1);
}

size_t iov_iter_zero(size_t bytes, struct iov_iter *i)
{
	return iter_copy(NULL, bytes, i, 0);
}

static void iov_iter_user(struct iov_iter *i, const struct iovec *iov,
			  unsigned long nr_segs, size_t count)
{
	memset(i, 0, sizeof(*i));
	i->iov = iov;
	i->nr_segs = nr_segs;
	i->count = count;
}

/* ---- positions ---- */

/* Does reading or writing through f move a position under f_pos_lock? */
static bool file_pos_locked(struct file *f)
{
	return S_ISREG(f->f_inode->i_mode) || S_ISDIR(f->f_inode->i_mode);
}

/* Linux's fdget_pos(): the file at fd, its position lock taken when it
 * has one. NULL: -EBADF. */
static struct file *fget_pos(unsigned int fd)
{
	struct file *f = fget(fd);

	if (f && file_pos_locked(f))
		mutex_lock(&f->f_pos_lock);
	return f;
}

static void fput_pos(struct file *f)
{
	if (file_pos_locked(f))
		mutex_unlock(&f->f_pos_lock);
	fput(f);
}

/* Linux's rw_verify_area(): a position that is negative, or would
 * overflow with count bytes, is -EINVAL. */
static int rw_verify_area(loff_t pos, size_t count)
{
	if (pos < 0)
		return -EINVAL;
	if ((loff_t)((unsigned long long)pos + count) < 0)
		return -EINVAL;
	return 0;
}

loff_t generic_file_llseek_size(struct file *file, loff_t offset, int whence,
				loff_t maxsize, loff_t eof)
{
	switch (whence) {
	case SEEK_END:
		offset = (loff_t)((unsigned long long)offset + (u64)eof);
		break;
	case SEEK_CUR:
		if (offset == 0)
			return file->f_pos;
		offset =
			(loff_t)((unsigned long long)offset + (u64)file->f_pos);
		break;
	case SEEK_DATA: /* all of a file is data: no holes are tracked */
		if ((unsigned long long)offset >= (unsigned long long)eof)
			return -ENXIO;
		break;
	case SEEK_HOLE:
		if ((unsigned long long)offset >= (unsigned long long)eof)
			return -ENXIO;
		offset = eof;
		break;
	case SEEK_SET:
		break;
	default:
		return -EINVAL;
	}
	if (offset < 0 || offset > maxsize)
		return -EINVAL;
	file->f_pos = offset;
	return offset;
}

loff_t null_lseek(struct file *file, loff_t offset, int whence)
{
	(void)offset;
	(void)whence;
	file->f_pos = 0;
	return 0;
}

/* ---- the common paths ---- */

/* Linux's do_iter_read() and do_iter_write(), which == READ (0) or
 * WRITE (1). */
static long do_iter_rw(struct file *f, struct iov_iter *iter, loff_t *pos,
		       int write)
{
	struct kiocb kiocb = { f, *pos };
	size_t count = iov_iter_count(iter);
	long ret;

	if (!(f->f_mode & (write ? FMODE_WRITE : FMODE_READ)))
		return -EBADF;
	if (!(f->f_mode & (write ? FMODE_CAN_WRITE : FMODE_CAN_READ)))
		return -EINVAL;
	ret = rw_verify_area(*pos, count);
	if (ret)
		return ret;
	ret = write ? f->f_op->write_iter(&kiocb, iter) :
		      f->f_op->read_iter(&kiocb, iter);
	if (ret > 0)
		*pos = kiocb.ki_pos;
	return ret;
}

/* Linux's vfs_read()/vfs_write(): buf, count for one file. */
static long vfs_rw(struct file *f, void __user *buf, size_t count, loff_t *pos,
		   int write)
{
	struct iovec iov;
	struct iov_iter iter;

	if (!(f->f_mode & (write ? FMODE_WRITE : FMODE_READ)))
		return -EBADF;
	if (!(f->f_mode & (write ? FMODE_CAN_WRITE : FMODE_CAN_READ)))
		return -EINVAL;
	if (!access_ok(buf, count))
		return -EFAULT;
	if (count > (size_t)MAX_RW_COUNT)
		count = MAX_RW_COUNT;
	iov.iov_base = buf;
	iov.iov_len = count;
	iov_iter_user(&iter, &iov, 1, count);
	return do_iter_rw(f, &iter, pos, write);
}

long kernel_read(struct file *file, void *buf, size_t count, loff_t *pos)
{
	struct iov_iter iter = { 0 };

	iter.kernel = true;
	iter.kbuf = buf;
	iter.count = count;
	return do_iter_rw(file, &iter, pos, 0);
}

/* kernel_write - write count bytes of the kernel buffer buf to file at
 * *pos: bytes or -errno. Linux's. */
long kernel_write(struct file *file, const void *buf, size_t count, loff_t *pos)
{
	struct iov_iter iter = { 0 };

	iter.kernel = true;
	iter.kbuf = (char *)buf;
	iter.count = count;
	return do_iter_rw(file, &iter, pos, 1);
}

static long ksys_rw(unsigned int fd, void __user *buf, size_t count, int write)
{
	struct file *f = fget_pos(fd);
	loff_t pos;
	long ret;

	if (!f)
		return -EBADF;
	pos = f->f_pos;
	ret = vfs_rw(f, buf, count, &pos, write);
	if (ret >= 0)
		f->f_pos = pos;
	fput_pos(f);
	return ret;
}

/*
 * sys_read - read(2): up to count bytes (at most MAX_RW_COUNT) from the
 * file at fd into buf, from its position, which advances. Returns the
 * bytes read (0 at the end of the file, or for count 0), or -EBADF (not
 * open, or not for reading), -EINVAL (the file cannot be read), -EFAULT
 * (buf outside user space, even when count is 0; or nothing copied),
 * -EISDIR (a directory), or the file's own (the console: -EINTR).
 * Linux's ksys_read() and vfs_read().
 */
long sys_read(unsigned int fd, char __user *buf, size_t count)
{
	return ksys_rw(fd, buf, count, 0);
}

/*
 * sys_write - write(2): up to count bytes from buf to the file at fd,
 * at its position (at its end with O_APPEND), which advances. Returns
 * the bytes written (fewer after a fault part-way), or -EBADF (not open
 * for writing), -EINVAL, -EFAULT, -EFBIG, -ENOMEM (ramfs has no page
 * left). Linux's ksys_write() and vfs_write().
 */
long sys_write(unsigned int fd, const char __user *buf, size_t count)
{
	return ksys_rw(fd, (void __user *)buf, count, 1);
}

/*
 * sys_pread64 - pread64(2): read(2) at offset pos, leaving the file's
 * position alone. -EINVAL (pos < 0, checked first), -EBADF, -ESPIPE (a
 * stream: the console), then read's errors. Linux's ksys_pread64().
 */
long sys_pread64(unsigned int fd, char __user *buf, size_t count, loff_t pos)
{
	struct file *f;
	long ret;

	if (pos < 0)
		return -EINVAL;
	f = fget(fd);
	if (!f)
		return -EBADF;
	ret = (f->f_mode & FMODE_PREAD) ? vfs_rw(f, buf, count, &pos, 0) :
					  -ESPIPE;
	fput(f);
	return ret;
}

/* sys_pwrite64 - pwrite64(2): write(2) at offset pos, as pread64. With
 * O_APPEND the bytes still go to the end (Linux's, a documented bug).
 * Linux's ksys_pwrite64(). */
long sys_pwrite64(unsigned int fd, const char __user *buf, size_t count,
		  loff_t pos)
{
	struct file *f;
	long ret;

	if (pos < 0)
		return -EINVAL;
	f = fget(fd);
	if (!f)
		return -EBADF;
	ret = (f->f_mode & FMODE_PWRITE) ?
		      vfs_rw(f, (void __user *)buf, count, &pos, 1) :
		      -ESPIPE;
	fput(f);
	return ret;
}

/*
 * Linux's import_iovec(): copy the user's iovec array (nr_segs of it)
 * into *kiov (kmalloc'ed, or NULL for none) and set up iter. -EINVAL
 * (more than IOV_MAX segments; a length that is negative as a ssize_t),
 * -EFAULT (the array; a segment outside user space), -ENOMEM. The total
 * is cut at MAX_RW_COUNT, as Linux cuts it.
 */
static long import_iovec(const struct iovec __user *uvec, unsigned long nr_segs,
			 struct iovec **kiov, struct iov_iter *iter)
{
	struct iovec *iov;
	size_t total = 0;

	*kiov = NULL;
	if (nr_segs == 0) {
		iov_iter_user(iter, NULL, 0, 0);
		return 0;
	}
	if (nr_segs > IOV_MAX)
		return -EINVAL;
	iov = kmalloc(nr_segs * sizeof(*iov));
	if (!iov)
		return -ENOMEM;
	if (copy_from_user(iov, uvec, nr_segs * sizeof(*iov))) {
		kfree(iov);
		return -EFAULT;
	}
	for (unsigned long s = 0; s < nr_segs; s++)
		if ((long)iov[s].iov_len < 0) {
			kfree(iov);
			return -EINVAL;
		}
	for (unsigned long s = 0; s < nr_segs; s++) {
		size_t len = iov[s].iov_len;

		if (!access_ok(iov[s].iov_base, len)) {
			kfree(iov);
			return -EFAULT;
		}
		if (len > (size_t)MAX_RW_COUNT - total)
			iov[s].iov_len = len = (size_t)MAX_RW_COUNT - total;
		total += len;
	}
	*kiov = iov;
	iov_iter_user(iter, iov, nr_segs, total);
	return (long)total;
}

static long do_rwv(unsigned int fd, const struct iovec __user *vec,
		   unsigned long vlen, int write)
{
	struct file *f = fget_pos(fd);
	struct iov_iter iter;
	struct iovec *iov;
	loff_t pos;
	long ret;

	if (!f)
		return -EBADF;
	ret = import_iovec(vec, vlen, &iov, &iter);
	if (ret >= 0) {
		pos = f->f_pos;
		if (!(f->f_mode & (write ? FMODE_WRITE : FMODE_READ)))
			ret = -EBADF;
		else if (!(f->f_mode &
			   (write ? FMODE_CAN_WRITE : FMODE_CAN_READ)))
			ret = -EINVAL;
		else if (iov_iter_count(&iter) == 0)
			ret = 0;
		else
			ret = do_iter_rw(f, &iter, &pos, write);
		if (ret >= 0)
			f->f_pos = pos;
		kfree(iov);
	}
	fput_pos(f);
	return ret;
}

/*
 * sys_readv - readv(2): read into the vlen buffers of vec in turn, as
 * one read. Returns the bytes read, or -EBADF, -EINVAL (vlen above
 * IOV_MAX, 1024; a negative length), -EFAULT (vec; a buffer outside user
 * space), then read's errors. Linux's do_readv().
 */
long sys_readv(unsigned long fd, const struct iovec __user *vec,
	       unsigned long vlen)
{
	return do_rwv((unsigned int)fd, vec, vlen, 0);
}

/* sys_writev - writev(2): write from the vlen buffers of vec, as one
 * write; readv's errors. Linux's do_writev(). */
long sys_writev(unsigned long fd, const struct iovec __user *vec,
		unsigned long vlen)
{
	return do_rwv((unsigned int)fd, vec, vlen, 1);
}

/*
 * sys_lseek - lseek(2): set the position of the file at fd to offset
 * from SEEK_SET (the start), SEEK_CUR (the position), SEEK_END (the
 * end), or with SEEK_DATA/SEEK_HOLE (a regular file is all data). Returns
 * the new position, or -EBADF, -EINVAL (whence; a negative result),
 * -ESPIPE (a stream: the console), -ENXIO (SEEK_DATA/HOLE at or past the
 * end). /dev/null and /dev/zero always go to 0. Linux's ksys_lseek().
 */
long sys_lseek(unsigned int fd, long offset, unsigned int whence)
{
	struct file *f = fget_pos(fd);
	long ret;

	if (!f)
		return -EBADF;
	if (whence > SEEK_HOLE)
		ret = -EINVAL;
	else if (!(f->f_mode & FMODE_LSEEK) || !f->f_op->llseek)
		ret = -ESPIPE;
	else
		ret = f->f_op->llseek(f, offset, (int)whence);
	fput_pos(f);
	return ret;
}

#define SENDFILE_CHUNK 4096 /* bytes: one page, a pipe's PIPE_BUF */

/*
 * Move up to count bytes from in at *pos to out at *out_pos through a
 * kernel page: the bytes moved, or -errno when none moved. A short
 * write gives the unwritten bytes back to in (*pos goes back).
 */
static long sendfile_copy(struct file *in, loff_t *pos, struct file *out,
			  loff_t *out_pos, size_t count)
{
	char *buf = kmalloc(SENDFILE_CHUNK);
	size_t done = 0;
	long ret = 0;

	if (!buf)
		return -ENOMEM;
	while (done < count) {
		size_t chunk = MIN(count - done, (size_t)SENDFILE_CHUNK);
		long n = kernel_read(in, buf, chunk, pos), w;

		if (n <= 0) {
			ret = n;
			break;
		}
		w = kernel_write(out, buf, (size_t)n, out_pos);
		if (w < n) {
			*pos -= n - (w > 0 ? w : 0);
			if (w > 0)
				done += (size_t)w;
			ret = w < 0 ? w : 0;
			break;
		}
		done += (size_t)n;
	}
	kfree(buf);
	return done ? (long)done : ret;
}

/*
 * sys_sendfile64 - sendfile(2): copy up to count bytes (at most
 * MAX_RW_COUNT) from the regular file open at in_fd to the file open at
 * out_fd (a file, a pipe, the console), from *offset when offset is not
 * NULL (which then gets the position after the last byte read, and
 * in_fd's position stays), else from in_fd's position, which advances;
 * out_fd's position advances (a file's). Returns the bytes copied (0 at
 * the end of the input), or, in Linux's order: -EFAULT (offset),
 * -EBADF (in_fd not open for reading), -ESPIPE (offset on a stream),
 * -EINVAL (a negative position), -EBADF (out_fd not open for writing),
 * -EINVAL (in_fd not a regular file: a pipe, a directory; out_fd
 * O_APPEND), then the read's or the write's errors (-EPIPE, -EAGAIN,
 * -ENOMEM) when nothing was copied. No f_pos_lock is taken, as in
 * Linux's do_sendfile(), which copies through a pipe with splice
 * instead of a kernel page.
 */
long sys_sendfile64(int out_fd, int in_fd, long long __user *offset,
		    size_t count)
{
	struct file *in, *out;
	loff_t pos, out_pos;
	long ret;

	if (offset && copy_from_user(&pos, offset, sizeof(pos)))
		return -EFAULT;
	in = fget((unsigned int)in_fd);
	if (!in)
		return -EBADF;
	ret = -EBADF;
	if (!(in->f_mode & FMODE_READ))
		goto put_in;
	ret = -ESPIPE;
	if (offset && !(in->f_mode & FMODE_PREAD))
		goto put_in;
	if (!offset)
		pos = in->f_pos;
	ret = rw_verify_area(pos, count);
	if (ret)
		goto put_in;
	if (count > (size_t)MAX_RW_COUNT)
		count = MAX_RW_COUNT;
	out = fget((unsigned int)out_fd);
	ret = -EBADF;
	if (!out)
		goto put_in;
	if (!(out->f_mode & FMODE_WRITE))
		goto put_out;
	/* Linux's splice_read exists for files only here; do_splice_direct()
	 * refuses O_APPEND (pipes take the other path). */
	ret = -EINVAL;
	if (!S_ISREG(in->f_inode->i_mode) ||
	    (!S_ISFIFO(out->f_inode->i_mode) && (out->f_flags & O_APPEND)))
		goto put_out;
	out_pos = out->f_pos;
	ret = sendfile_copy(in, &pos, out, &out_pos, count);
	if (S_ISREG(out->f_inode->i_mode))
		out->f_pos = out_pos;
	if (!offset)
		in->f_pos = pos;
put_out:
	fput(out);
put_in:
	fput(in);
	if (offset && copy_to_user(offset, &pos, sizeof(pos)))
		return -EFAULT;
	return ret;
}
