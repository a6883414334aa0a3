/*
 * rmap.c - the reverse mapping of anonymous user pages (include/mm/
 * rmap.h), as Linux's mm/rmap.c, reduced to one (mm, address) record per
 * page kept in struct page.
 */
#include <mm/page.h>
#include <mm/rmap.h>

void page_remove_rmap(struct page *page, struct mm_struct *mm)
{
	if (page->rmap_mm == mm)
		page->rmap_mm = NULL;
}
