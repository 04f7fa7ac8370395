"""Shared by the reliability campaigns (docs/RELIABILITY.md): a Tsubame
machine booted in QEMU with its serial console on a pty (shell-session.py's
Console) and host ports forwarded to httpd and telnetd, plus what every
campaign checks afterwards: no kernel fault, the kernel heap and free
frames back at their baseline, the shell, files and HTTP still served, and
fsck.fat clean on the images once the guest has shut down.

The QEMU command comes from the Makefile (`campaign-*` targets) with two
forwarded ports: HTTP_PORT and TELNET_PORT in the environment.
Python 3 standard library only."""
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import checks  # noqa: E402

shell = checks.shell_session()
FAULT = re.compile(r"KERNEL (FAULT|PANIC)")


def scale():
    """`bounded` (make test) or `long` (make soak): CAMPAIGN_SCALE."""
    return os.environ.get("CAMPAIGN_SCALE", "bounded")


class Machine:
    def __init__(self, name, argv, build, timeout):
        self.build = build
        self.http_port = int(os.environ["HTTP_PORT"])
        self.telnet_port = int(os.environ["TELNET_PORT"])
        self.results = checks.Checks(name)
        self.con = shell.Console(argv, os.path.join(build, name + ".log"), time.monotonic() + timeout)
        self.images = [shell.qemu_disk(argv, 0), shell.qemu_disk(argv, 1)]

    def check(self, what, ok, why=""):
        self.results.check(what, ok, why)
        return ok

    def boot(self):
        """Up to the prompt, fat32d running and httpd answering. (Not from
        boot messages, which may go to the kernel log instead.)"""
        try:
            self.con.expect(shell.PROMPT, shell.BOOT_TIMEOUT)
            end = time.monotonic() + 120
            while "fat32d" not in self.services() and time.monotonic() < end:
                self.con.settle(1.0)
            self.wait_http(end - time.monotonic())
            return self.check("boots to the prompt with fat32d, netd and httpd", "fat32d" in self.services())
        except (shell.Timeout, OSError) as e:
            return self.check("boots to the prompt with fat32d, netd and httpd", False, str(e))

    def wait_http(self, timeout):
        end = time.monotonic() + timeout
        while True:
            try:
                return self.http("/HELLO.TXT", 10)
            except OSError:
                if time.monotonic() > end:
                    raise
                self.con.settle(1.0)

    def services(self):
        """{name: pid} of the system's services from `ps` (the first of each)."""
        found = {}
        for l in self.run("ps").splitlines():
            m = re.match(r"\s*(\d+)\s+1\s+\S+\s+\d+\s+\d+\s+(\w+)\.elf", l)
            if m and m.group(2) not in found:
                found[m.group(2)] = int(m.group(1))
        return found

    def check_services(self, what, before):
        """The services seen before are still the same processes."""
        now = self.services()
        gone = ["%s (pid %d -> %s)" % (n, p, now.get(n)) for n, p in before.items()
                if n != "shell" and now.get(n) != p]
        return self.check("no service died %s" % what, not gone, ", ".join(gone))

    def wait_for(self, rx, timeout):
        """A line that may already have gone by."""
        end = time.monotonic() + timeout
        while not re.search(rx, self.con.text):
            if time.monotonic() > end:
                raise shell.Timeout("no %r in %d s" % (rx, timeout))
            self.con.pump(0.2)

    def run(self, line, timeout=shell.CMD_TIMEOUT):
        return self.con.run(line, timeout)

    def faulted(self):
        return FAULT.search(self.con.text) is not None

    def mem(self):
        """(heap bytes used, free frames) from the shell's `mem`."""
        out = self.run("mem")
        h = re.search(r"kernel heap: (\d+) KiB used", out)
        f = re.search(r"frames: (\d+) free of \d+ \((\d+) KiB pages\).*the heap holds (\d+) KiB", out)
        if not h or not f:
            return None
        # Frames the heap keeps for small objects are not lost: count them as available.
        return int(h.group(1)), int(f.group(1)) + int(f.group(3)) // int(f.group(2))

    def mem_settled(self, base, seconds=30, heap_slack_kib=0):
        """Polls `mem` until it is back at base (or seconds pass)."""
        end = time.monotonic() + seconds
        now = self.mem()
        while now and (now[0] > base[0] + heap_slack_kib or now[1] < base[1]) and time.monotonic() < end:
            self.con.settle(1.0)
            now = self.mem()
        return now

    def check_mem(self, what, base, seconds=30):
        now = self.mem_settled(base, seconds)
        ok = now is not None and now[0] <= base[0] and now[1] >= base[1]
        return self.check("%s: kernel heap %s KiB -> %s KiB, free frames (with the heap's) %s -> %s" %
                          (what, base[0], now and now[0], base[1], now and now[1]), ok)

    def http(self, path, timeout=60):
        with urllib.request.urlopen("http://127.0.0.1:%d%s" % (self.http_port, path), timeout=timeout) as r:
            return r.read()

    def still_serves(self, what=""):
        """The shell answers, files read back, HTTP serves HELLO.TXT and the
        4 MiB BIG.BIN intact."""
        sfx = " " + what if what else ""
        try:
            out = self.run("cat /HELLO.TXT")
            self.check("the shell still reads files%s" % sfx, "Hello from FAT32!" in out, out)
        except shell.Timeout as e:
            self.check("the shell still reads files%s" % sfx, False, str(e))
        try:
            self.check("httpd still serves HELLO.TXT%s" % sfx, self.http("/HELLO.TXT").startswith(b"Hello"))
            with open(os.path.join(self.build, "BIG.BIN"), "rb") as f:
                big = f.read()
            self.check("httpd still serves the 4 MiB BIG.BIN intact%s" % sfx, self.http("/BIG.BIN", 300) == big)
        except OSError as e:
            self.check("httpd still serves%s" % sfx, False, str(e))

    def shutdown_and_fsck(self):
        try:
            self.con.mark = len(self.con.text)
            self.con.type("shutdown")
            self.con.send(shell.ENTER)
            self.con.expect(r"powering off", shell.SHUTDOWN_TIMEOUT)
            end = time.monotonic() + 30
            while self.con.proc.poll() is None and time.monotonic() < end:
                self.con.pump(0.2)
            self.check("shutdown flushes and powers off", self.con.proc.poll() is not None)
        except shell.Timeout as e:
            self.check("shutdown flushes and powers off", False, str(e))
        self.con.close()
        for img in self.images:
            if img:
                self.fsck(img)

    def fsck(self, img, what=""):
        r = fsck_image(img)
        self.check("fsck.fat -n clean on %s%s" % (os.path.basename(img), what), r[0], r[1])

    def finish(self):
        self.check("no kernel fault", not self.faulted(), self.con.tail() if self.faulted() else "")
        if self.con.proc.poll() is None:
            self.con.close()
        self.results.finish()


def fsck_image(img):
    """fsck.fat -n on the FAT partition at 1 MiB of img: (clean?, output)."""
    part = img + ".part"
    try:
        subprocess.run(["dd", "if=" + img, "of=" + part, "bs=1M", "skip=1", "status=none", "conv=sparse"],
                       check=True)
        r = subprocess.run(["fsck.fat", "-n", part], capture_output=True, text=True)
        out = r.stdout + r.stderr
        # A clean volume gives only the version line and the counts line.
        extra = [l for l in out.splitlines() if l.strip() and not l.startswith("fsck.fat ")
                 and not re.search(r": \d+ files, \d+/\d+ clusters$", l)]
        clean = r.returncode == 0 and not extra
        return clean, out
    finally:
        if os.path.exists(part):
            os.unlink(part)


def telnet_session(port, command, expect, timeout=30):
    """One telnet session: waits for the prompt (negotiation is ignored,
    the server's options need no answer), runs command, waits for the text
    expect, leaves with exit. True if it all happened within timeout."""
    end = time.monotonic() + timeout
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    data = b""

    def until(pat, start=0):
        nonlocal data
        while pat not in data[start:]:
            left = end - time.monotonic()
            if left <= 0:
                return False
            s.settimeout(left)
            try:
                d = s.recv(65536)
            except socket.timeout:
                return False
            if not d:
                return False
            data += d
        return True
    try:
        if not until(b"$ "):
            return False
        mark = len(data)
        s.sendall(command.encode() + b"\r\n")
        ok = until(expect.encode(), mark)
        s.sendall(b"exit\r\n")
        return ok
    finally:
        s.close()
