#!/usr/bin/env python3
"""make screenshot: boots Tsubame headless with the GPU, waits for the
desktop, opens the apps given on the command line from the launcher (a
demo scene), and writes the screen as a PNG.

Usage: screenshot.py OUT.png BUILD_DIR -- QEMU_COMMAND..."""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "tests"))
from guimachine import Machine  # noqa: E402

# Launcher buttons: 64 px wide, 4 px apart, from x = 4, in the 28 px taskbar.
LAUNCH = {"term": 0, "calc": 1, "life": 2, "mandel": 3, "snake": 4}


def main():
    out, build = sys.argv[1], sys.argv[2]
    argv = sys.argv[sys.argv.index("--") + 1:]
    m = Machine(argv, os.path.join(build, "screenshot.log"))
    try:
        if not m.wait_log("gui: desktop on a", 120):
            print("screenshot: the desktop did not start (see %s/screenshot.log)" % build)
            return 1
        m.connect()
        img = m.screendump()
        for name in ("mandel", "life", "calc", "term"):
            m.click(4 + LAUNCH[name] * 68 + 30, img.h - 14, img.w, img.h)
            time.sleep(2.5)
        m.type("ls /bin\n")
        time.sleep(3)
        img = m.screendump()
        img.write_png(out)
        print("screenshot: wrote %s (%dx%d)" % (out, img.w, img.h))
        return 0
    finally:
        m.quit()


if __name__ == "__main__":
    sys.exit(main())
