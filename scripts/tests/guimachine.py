"""Tsubame booted headless with a GPU, a keyboard and a tablet, driven the
way a person at the screen would: QMP screendumps (PPM, read into memory)
and QMP input-send-event for the tablet (absolute 0..32767) and the
keyboard. The serial console is read in the background into self.log.
Used by gui-test.py and screenshot.py. Python 3 standard library only."""
import json
import os
import socket
import struct
import subprocess
import tempfile
import threading
import time
import zlib

ABS_MAX = 32767


class Image:
    """A screendump: width, height and RGB bytes."""

    def __init__(self, path):
        with open(path, "rb") as f:
            data = f.read()
        # P6\n<w> <h>\n255\n<rgb>: QEMU writes exactly this header.
        parts = data.split(b"\n", 3)
        if parts[0] != b"P6":
            raise ValueError("not a P6 PPM")
        self.w, self.h = (int(v) for v in parts[1].split())
        self.rgb = parts[3]

    def pixel(self, x, y):
        i = (y * self.w + x) * 3
        return (self.rgb[i] << 16) | (self.rgb[i + 1] << 8) | self.rgb[i + 2]

    def count(self, x0, y0, x1, y1, color):
        """Pixels of exactly `color` in [x0, x1) x [y0, y1)."""
        n = 0
        for y in range(max(0, y0), min(self.h, y1)):
            for x in range(max(0, x0), min(self.w, x1)):
                n += self.pixel(x, y) == color
        return n

    def diff(self, other, x0, y0, x1, y1):
        """Pixels that differ from `other` in the rectangle."""
        n = 0
        for y in range(max(0, y0), min(self.h, y1)):
            a = self.rgb[(y * self.w + x0) * 3:(y * self.w + x1) * 3]
            b = other.rgb[(y * self.w + x0) * 3:(y * self.w + x1) * 3]
            n += sum(1 for i in range(0, len(a), 3) if a[i:i + 3] != b[i:i + 3])
        return n

    def write_png(self, path):
        rows = b"".join(b"\0" + self.rgb[y * self.w * 3:(y + 1) * self.w * 3] for y in range(self.h))

        def chunk(kind, body):
            return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

        png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", self.w, self.h, 8, 2, 0, 0, 0))
        png += chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")
        with open(path, "wb") as f:
            f.write(png)


class Machine:
    def __init__(self, argv, log_path):
        self.dir = tempfile.mkdtemp(prefix="tsubame-gui-")
        self.qmp_path = os.path.join(self.dir, "qmp.sock")
        argv = argv + ["-qmp", "unix:%s,server=on,wait=off" % self.qmp_path]
        self.logf = open(log_path, "w")
        self.log = ""
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        threading.Thread(target=self._read, daemon=True).start()
        self.qmp = None
        self.shots = 0

    def _read(self):
        while True:
            b = self.proc.stdout.read1(4096) if hasattr(self.proc.stdout, "read1") else self.proc.stdout.read(1)
            if not b:
                return
            s = b.decode("utf-8", "replace")
            self.log += s
            self.logf.write(s)
            self.logf.flush()

    def wait_log(self, text, timeout):
        end = time.time() + timeout
        while time.time() < end:
            if text in self.log:
                return True
            if self.proc.poll() is not None:
                return False
            time.sleep(0.1)
        return False

    def connect(self, timeout=20):
        end = time.time() + timeout
        while True:
            try:
                s = socket.socket(socket.AF_UNIX)
                s.connect(self.qmp_path)
                break
            except OSError:
                if time.time() > end:
                    raise
                time.sleep(0.1)
        self.qmp = s.makefile("rw")
        json.loads(self.qmp.readline())  # greeting
        self.command("qmp_capabilities")

    def command(self, name, **args):
        msg = {"execute": name}
        if args:
            msg["arguments"] = args
        self.qmp.write(json.dumps(msg) + "\n")
        self.qmp.flush()
        while True:
            reply = json.loads(self.qmp.readline())
            if "return" in reply:
                return reply["return"]
            if "error" in reply:
                raise RuntimeError("QMP %s: %s" % (name, reply["error"]))
            # an asynchronous event: skip it

    def screendump(self):
        self.shots += 1
        path = os.path.join(self.dir, "shot%d.ppm" % self.shots)
        self.command("screendump", filename=path)
        img = Image(path)
        os.unlink(path)
        return img

    def settle(self, seconds=0.6):
        """Lets the guest react to input before the next screendump."""
        time.sleep(seconds)

    def pointer(self, x, y, w, h, down=None):
        """Moves the tablet to screen pixel (x, y); presses or releases the
        left button if `down` is given."""
        events = [{"type": "abs", "data": {"axis": "x", "value": x * ABS_MAX // (w - 1)}},
                  {"type": "abs", "data": {"axis": "y", "value": y * ABS_MAX // (h - 1)}}]
        self.command("input-send-event", events=events)
        if down is not None:
            self.command("input-send-event",
                         events=[{"type": "btn", "data": {"down": down, "button": "left"}}])

    def click(self, x, y, w, h):
        self.pointer(x, y, w, h)
        time.sleep(0.1)
        self.pointer(x, y, w, h, down=True)
        time.sleep(0.1)
        self.pointer(x, y, w, h, down=False)

    def drag(self, x0, y0, x1, y1, w, h, steps=6):
        self.pointer(x0, y0, w, h)
        time.sleep(0.1)
        self.pointer(x0, y0, w, h, down=True)
        for i in range(1, steps + 1):
            time.sleep(0.05)
            self.pointer(x0 + (x1 - x0) * i // steps, y0 + (y1 - y0) * i // steps, w, h)
        time.sleep(0.1)
        self.pointer(x1, y1, w, h, down=False)

    KEYS = {" ": "spc", "\n": "ret", "-": "minus", ".": "dot", "/": "slash", "=": "equal",
            "+": ("shift", "equal"), "*": ("shift", "8")}

    def type(self, text):
        for ch in text:
            k = self.KEYS.get(ch, ch)
            keys = list(k) if isinstance(k, tuple) else [k]
            evs = [{"type": "key", "data": {"down": True, "key": {"type": "qcode", "data": q}}} for q in keys]
            self.command("input-send-event", events=evs)
            evs = [{"type": "key", "data": {"down": False, "key": {"type": "qcode", "data": q}}}
                   for q in reversed(keys)]
            self.command("input-send-event", events=evs)
            time.sleep(0.03)

    def quit(self):
        try:
            if self.qmp:
                self.command("quit")
        except (OSError, RuntimeError, ValueError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.logf.close()
