#!/usr/bin/env python3
"""The desktop used like a person at the screen: boots Tsubame headless with
a GPU, a keyboard and a tablet, injects pointer and key events through QMP
(input-send-event) and checks the pixels of QMP screendumps.

Usage: gui-test.py ARCH BUILD_DIR -- QEMU_COMMAND...

Checks: the desktop and taskbar appear; clicking a launcher button opens
its window (found by its focused title-bar colour); dragging the title bar
moves it; typing into the calculator shows the result; the terminal runs
the shell, and typed text and the command's output appear, found as glyphs
of the gui's own font (read from user/gui/font.c); the close button removes
the window. Each check prints [PASS]/[FAIL]; the last line is
`gui-test-ARCH: N passed, M failed`, and the exit status is non-zero on any
failure. The serial log goes to BUILD_DIR/gui-test.log."""
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guimachine import Machine  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
# user/gui/compositor.h and the apps' colours.
DESKTOP = 0x2d5f73
TITLE_FOCUS = 0x3a6ea5
TASKBAR = 0x1e2328
TERM_FG = 0xd8d8d8
CALC_TEXT = 0x1a1a1a
TASKBAR_H = 28
LAUNCH = {"term": 0, "calc": 1}   # launcher buttons: 64 px wide, 4 px apart, from x = 4
FONT_W, FONT_H = 6, 10

passed = failed = 0


def check(name, ok, why=""):
    global passed, failed
    if ok:
        passed += 1
        print("[PASS] " + name)
    else:
        failed += 1
        print("[FAIL] %s: %s" % (name, why))
    sys.stdout.flush()
    return ok


def load_font():
    """The glyph pictures of user/gui/font.c: {char: [8 rows of 5 chars]}."""
    with open(os.path.join(ROOT, "user", "gui", "font.c")) as f:
        src = f.read()
    glyphs = re.findall(r'G\(((?:"[.#]{5}",\s*){7}"[.#]{5}")\)', src)
    font = {}
    for i, g in enumerate(glyphs):
        font[chr(0x20 + i)] = re.findall(r'"([.#]{5})"', g)
    # The box drawn for characters the font does not have (font.c: unknown).
    font["\x7f"] = ["#####", "#...#", "#...#", "#...#", "#...#", "#...#", "#####", "....."]
    return font


def find_text(img, font, text, color, region, scale=1):
    """Where `text` is drawn in `color` with the gui's font inside region
    (x0, y0, x1, y1), as the top-left of its first cell; None if nowhere.
    Every ink pixel must have the colour and every other pixel of the glyph
    box must not."""
    ink, blank = [], []
    for i, ch in enumerate(text):
        for r, row in enumerate(font[ch]):
            for c, px in enumerate(row):
                for sy in range(scale):
                    for sx in range(scale):
                        p = ((i * FONT_W + c) * scale + sx, (r + 1) * scale + sy)
                        (ink if px == "#" else blank).append(p)
    x0, y0, x1, y1 = region
    first = ink[0]
    w, h = len(text) * FONT_W * scale, FONT_H * scale
    for y in range(max(0, y0), min(img.h - h, y1)):
        for x in range(max(0, x0), min(img.w - w, x1)):
            if img.pixel(x + first[0], y + first[1]) != color:
                continue
            if all(img.pixel(x + dx, y + dy) == color for dx, dy in ink) and \
               not any(img.pixel(x + dx, y + dy) == color for dx, dy in blank):
                return (x, y)
    return None


def focused_title(img):
    """Bounding box (x0, y0, x1, y1) of the focused title bar's colour above
    the taskbar, or None."""
    rgb = bytes(((TITLE_FOCUS >> 16) & 255, (TITLE_FOCUS >> 8) & 255, TITLE_FOCUS & 255))
    limit = (img.h - TASKBAR_H) * img.w * 3
    xs, ys = [], []
    i = img.rgb.find(rgb)
    while 0 <= i < limit:
        if i % 3 == 0:
            xs.append((i // 3) % img.w)
            ys.append((i // 3) // img.w)
        i = img.rgb.find(rgb, i + 1)
    if len(xs) < 200:
        return None
    return (min(xs), min(ys), max(xs) + 1, max(ys) + 1)


def launch(m, img, app):
    m.click(4 + LAUNCH[app] * 68 + 30, img.h - TASKBAR_H // 2, img.w, img.h)


def wait_for(m, pred, timeout=20.0):
    """Screendumps until pred(img) is true; returns (img, result)."""
    end = time.time() + timeout
    while True:
        img = m.screendump()
        r = pred(img)
        if r or time.time() > end:
            return img, r
        time.sleep(0.5)


def main():
    arch, build = sys.argv[1], sys.argv[2]
    argv = sys.argv[sys.argv.index("--") + 1:]
    font = load_font()
    check("font table read from user/gui/font.c", len(font) == 96, "%d glyphs and the box" % (len(font) - 1))
    m = Machine(argv, os.path.join(build, "gui-test.log"))
    try:
        run(m, font)
    except Exception as e:  # a broken QMP link or a dead QEMU is a failure, not a crash
        check("test ran to the end", False, repr(e))
    finally:
        m.quit()
    print("gui-test-%s: %d passed, %d failed" % (arch, passed, failed))
    return 1 if failed else 0


def run(m, font):
    if not check("gui service started the desktop", m.wait_log("gui: desktop on a", 120),
                 "no 'gui: desktop' line (see gui-test.log)"):
        return
    m.connect()
    # (the pointer starts at the centre: look beside it)
    img, ok = wait_for(m, lambda i: i.pixel(i.w // 2 - 40, i.h // 2) == DESKTOP and
                       i.pixel(i.w // 2, i.h - 2) == TASKBAR)
    check("desktop and taskbar drawn (%dx%d)" % (img.w, img.h), ok,
          "centre %06x, bottom %06x" % (img.pixel(img.w // 2 - 40, img.h // 2), img.pixel(img.w // 2, img.h - 2)))
    check("no window before the launcher is used", focused_title(img) is None, "a title bar is there")

    # The calculator from its launcher button.
    launch(m, img, "calc")
    img, box = wait_for(m, focused_title)
    if not check("clicking the Calc launcher opens a window", box is not None, "no focused title bar"):
        return
    check("the window is titled Calculator",
          find_text(img, font, "Calculator", 0xffffff, box) is not None, "title text not found in %s" % (box,))
    x0, y0, x1, y1 = box
    # Drag the title bar by (+500, +300): out of the way of the next window.
    m.drag(x0 + 40, y0 + 8, x0 + 540, y0 + 308, img.w, img.h)
    img, moved = wait_for(m, lambda i: focused_title(i) and focused_title(i)[0] == x0 + 500 and
                          focused_title(i)[1] == y0 + 300 and focused_title(i))
    check("dragging the title bar moves the window by (500, 300)", bool(moved),
          "title bar now at %s, was %s" % (focused_title(img), box))
    check("the old place shows the desktop again", img.pixel(x0 + 5, y0 + 5) == DESKTOP,
          "pixel %06x" % img.pixel(x0 + 5, y0 + 5))
    if moved:
        box = moved
    # Keys go to the focused window: 12+30= shows 42 on the display.
    m.type("12+30=")
    region = (box[0], box[3], box[2], box[3] + 60)
    img, where = wait_for(m, lambda i: find_text(i, font, "42", CALC_TEXT, region, scale=2), 10)
    check("typing 12+30= into the calculator shows 42", where is not None, "no '42' on the display")

    # The terminal: a second window, on top, with the shell in it.
    launch(m, img, "term")
    img, tbox = wait_for(m, lambda i: focused_title(i) if focused_title(i) != box else None)
    if not check("clicking the Term launcher opens a second window", tbox is not None, "no new title bar"):
        return
    content = (tbox[0], tbox[3], tbox[2], tbox[3] + 25 * FONT_H + 10)
    img, prompt = wait_for(m, lambda i: find_text(i, font, "tsubame:/$", TERM_FG, content))
    check("the terminal shows the shell's prompt", prompt is not None, "no 'tsubame:/$' in the window")
    m.type("echo hi-there\n")
    img, echoed = wait_for(m, lambda i: find_text(i, font, "echo hi-there", TERM_FG, content), 15)
    check("typed keys appear on the terminal's command line", echoed is not None, "'echo hi-there' not drawn")
    out_region = (content[0], (echoed or prompt or (0, content[1]))[1] + FONT_H - 2, content[2], content[3])
    img, out = wait_for(m, lambda i: find_text(i, font, "hi-there", TERM_FG, (
        out_region[0], out_region[1], out_region[0] + 16, out_region[3])), 15)
    check("the shell's output appears on the next line", out is not None, "no 'hi-there' line under the command")

    # UTF-8 output: one box per character, in two cells for the
    # double-width 日本語 (not one box per byte); a broken sequence and a
    # stray byte are one box each.
    m.type("utest utf8\n")
    img, wide = wait_for(m, lambda i: find_text(i, font, "\x7f \x7f \x7f  ok", TERM_FG, content), 15)
    check("the terminal shows 日本語 as three double-width boxes", wide is not None, "not drawn")
    img, bad = wait_for(m, lambda i: find_text(i, font, "\x7f \x7f bad", TERM_FG, content), 15)
    check("broken UTF-8 shows as one box per bad sequence", bad is not None, "not drawn")

    # A client the gui did not start leaves its window behind when it
    # exits: the desktop must drop it (the next wake-up, here a pointer
    # move over the empty desktop, far from that window).
    m.type("utest guiwin 1500\n")
    img, gbox = wait_for(m, lambda i: focused_title(i) if focused_title(i) not in (box, tbox) else None, 15)
    time.sleep(3)
    m.click(img.w - 40, 40, img.w, img.h)
    img, dropped = wait_for(m, lambda i: gbox is not None and i.count(gbox[0], gbox[1], gbox[2], gbox[3], TITLE_FOCUS) < 50, 10)
    check("a window whose program exited without closing it goes away", gbox is not None and bool(dropped),
          "window at %s" % (gbox,))
    m.click(tbox[0] + 100, tbox[1] + 8, img.w, img.h)  # the terminal on top again for what follows
    img, _ = wait_for(m, lambda i: focused_title(i) == tbox, 10)

    # Clicking the calculator raises it and gives it the focus.
    m.click(box[0] + 100, box[1] + 8, img.w, img.h)
    img, raised = wait_for(m, lambda i: focused_title(i) == box, 10)
    check("clicking a window's title raises and focuses it", bool(raised),
          "focused title bar at %s" % (focused_title(img),))

    # Close both with their close buttons (the red box at the right end).
    for name, b in (("calculator", box), ("terminal", tbox)):
        m.click(b[2] - 11, b[1] + 10, img.w, img.h)
        img, gone = wait_for(m, lambda i: i.pixel(b[0] + 5, b[1] + 5) != TITLE_FOCUS and
                             i.count(b[0], b[1], b[2], b[3], TITLE_FOCUS) < 50, 10)
        check("the close button removes the %s window" % name, bool(gone),
              "its title bar is still at %s" % (b,))
    check("the desktop is empty again", focused_title(img) is None and
          img.pixel(img.w // 2 - 40, img.h // 2) == DESKTOP, "focused title bar at %s" % (focused_title(img),))
    check("no crash on the console", "crashed" not in m.log and "fault" not in m.log.lower(),
          "the log reports a crash or fault")


if __name__ == "__main__":
    sys.exit(main())
