/* The taskbar along the bottom: launcher buttons for the installed apps,
 * one button per open window (click: raise and focus), and a clock of the
 * time since boot (hours:minutes, so the desktop wakes once a minute). */
#include <stdio.h>
#include <string.h>

#include "compositor.h"
#include "tsubame.h"

#define BUTTON_H (TASKBAR_H - 6)
#define LAUNCH_W 64
#define WINBTN_W 110
#define CLOCK_W 80

struct app {
	const char *label, *path;
	bool installed;
};

static struct app apps[] = {
	{ "Term", "/bin/term.elf", false },
	{ "Calc", "/bin/calc.elf", false },
	{ "Life", "/bin/life.elf", false },
	{ "Mandel", "/bin/mandel.elf", false },
	{ "Snake", "/bin/snake.elf", false },
};
#define NAPPS (int)(sizeof apps / sizeof apps[0])
static int shown_minute = -1;

struct rect taskbar_rect(void)
{
	return (struct rect){ 0, screen.h - TASKBAR_H, screen.w, TASKBAR_H };
}

void taskbar_init(void)
{
	struct tsb_stat st;

	for (int i = 0; i < NAPPS; i++)
		apps[i].installed = stat(apps[i].path, &st) == 0;
}

/* The i-th app's launcher button: fixed places (a missing app leaves a
 * gap), so that scripts can click them (scripts/screenshot.py). */
static struct rect launch_rect(int i)
{
	return (struct rect){ 4 + i * (LAUNCH_W + 4), screen.h - TASKBAR_H + 3, LAUNCH_W, BUTTON_H };
}

static struct rect winbtn_rect(int i)
{
	int x0 = launch_rect(NAPPS).x + 12;
	return (struct rect){ x0 + i * (WINBTN_W + 4), screen.h - TASKBAR_H + 3, WINBTN_W, BUTTON_H };
}

static struct rect clock_rect(void)
{
	return (struct rect){ screen.w - CLOCK_W, screen.h - TASKBAR_H, CLOCK_W, TASKBAR_H };
}

static void button(struct surface *s, struct rect clip, struct rect r, const char *label,
		   uint32_t color)
{
	draw_fill(s, clip, r, color);
	size_t n = strlen(label), fit = (size_t)(r.w - 8) / GUIP_FONT_W;
	draw_text(s, clip, r.x + 4, r.y + (r.h - GUIP_FONT_H) / 2, label, n < fit ? n : fit,
		  COLOR_TEXT, GUIP_TRANSPARENT, 1);
}

static int minute_now(void)
{
	return (int)(clock_ns() / 60000000000ull);
}

void taskbar_paint(struct surface *s, struct rect clip)
{
	struct rect bar = taskbar_rect();

	if (!rect_clip(&bar, clip))
		return;
	draw_fill(s, clip, taskbar_rect(), COLOR_TASKBAR);
	for (int i = 0; i < NAPPS; i++)
		if (apps[i].installed)
			button(s, clip, launch_rect(i), apps[i].label, 0x2e6b4fu);
	struct window *focus = window_focused();
	for (int i = 0; window_nth(i); i++) {
		struct rect r = winbtn_rect(i);
		if (r.x + r.w > clock_rect().x)
			break;
		button(s, clip, r, window_nth(i)->title,
		       window_nth(i) == focus ? COLOR_BUTTON_ACTIVE : COLOR_BUTTON);
	}
	char t[16];
	int m = minute_now();
	shown_minute = m;
	snprintf(t, sizeof t, "up %02d:%02d", (m / 60) % 100, m % 60);
	draw_text(s, clip, clock_rect().x + 8, clock_rect().y + (TASKBAR_H - GUIP_FONT_H) / 2, t,
		  strlen(t), COLOR_TEXT, GUIP_TRANSPARENT, 1);
}

int taskbar_clock_wait_ms(void)
{
	uint64_t ns = clock_ns(), next = (ns / 60000000000ull + 1) * 60000000000ull;
	return (int)((next - ns) / 1000000ull) + 1;
}

void taskbar_tick(void)
{
	if (minute_now() != shown_minute)
		damage(clock_rect());
}

void taskbar_click(int x, int y)
{
	for (int i = 0; i < NAPPS; i++) {
		if (apps[i].installed && rect_contains(launch_rect(i), x, y)) {
			char *argv[] = { (char *)apps[i].path, NULL };
			char *envp[] = { "PATH=/bin", NULL };
			int pid = spawn(apps[i].path, argv, envp);
			if (pid < 0)
				printf("gui: cannot start %s: %s\n", apps[i].path, strerror(pid));
			return;
		}
	}
	for (int i = 0; window_nth(i); i++)
		if (rect_contains(winbtn_rect(i), x, y)) {
			window_raise(window_nth(i));
			return;
		}
}
