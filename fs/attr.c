/*
 * attr.c - changing a file's attributes: notify_change(), the one place
 * chmod(2), chown(2) and utimensat(2) set the mode, the owner and the
 * times of an inode, as Linux's fs/attr.c. Every task is root (Linux's
 * CAP_CHOWN, CAP_FOWNER, CAP_FSETID): no change is refused, and only
 * chown's clearing of the set-id bits is left of Linux's checks.
 */
#include <kernel/fs.h>

int notify_change(struct inode *inode, struct iattr *attr)
{
	unsigned int valid = attr->ia_valid;
	struct timespec64 now = current_time();

	mutex_lock(&inode->i_mutex);
	/* Linux's notify_change(): the set-id bits a chown kills become a
	 * mode change (setattr_should_drop_sgid(): S_ISGID only with
	 * S_IXGRP, for a caller in the group or capable). */
	if (valid & (ATTR_KILL_SUID | ATTR_KILL_SGID)) {
		umode_t mode = (valid & ATTR_MODE) ? attr->ia_mode :
						     inode->i_mode;

		if ((valid & ATTR_KILL_SUID) && (mode & S_ISUID))
			mode &= (umode_t)~S_ISUID;
		if ((valid & ATTR_KILL_SGID) && (mode & S_ISGID) &&
		    (mode & S_IXGRP))
			mode &= (umode_t)~S_ISGID;
		attr->ia_mode = mode;
		valid |= ATTR_MODE;
	}
	/* setattr_copy() */
	if (valid & ATTR_UID)
		inode->i_uid = attr->ia_uid;
	if (valid & ATTR_GID)
		inode->i_gid = attr->ia_gid;
	if (valid & ATTR_MODE)
		inode->i_mode = (umode_t)((inode->i_mode & ~S_IALLUGO) |
					  (attr->ia_mode & S_IALLUGO));
	if (valid & ATTR_ATIME)
		inode->i_atime = (valid & ATTR_ATIME_SET) ? attr->ia_atime :
							    now;
	if (valid & ATTR_MTIME)
		inode->i_mtime = (valid & ATTR_MTIME_SET) ? attr->ia_mtime :
							    now;
	if (valid & ATTR_CTIME)
		inode->i_ctime = now;
	mutex_unlock(&inode->i_mutex);
	return 0;
}
