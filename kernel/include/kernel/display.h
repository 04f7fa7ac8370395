/* The display: one framebuffer in physically contiguous RAM that a GPU
 * driver scans out. The gui service maps it and asks for rectangles to be
 * shown; only what was flushed reaches the screen. */
#ifndef KERNEL_DISPLAY_H
#define KERNEL_DISPLAY_H

#include <stddef.h>
#include <stdint.h>

struct display {
	const char *name;
	uint32_t width, height, stride; /* pixels, pixels, bytes per row */
	uint64_t fb_pa;                 /* page-aligned, fb_bytes long */
	size_t fb_bytes;
	/* Shows the rectangle (already clipped to the screen, non-empty). */
	int (*flush)(struct display *d, uint32_t x, uint32_t y, uint32_t w, uint32_t h);
	void *priv;
};

int display_register(struct display *d);
struct display *display_get(void); /* NULL when there is no display */

#endif
