#!/usr/bin/env python3
"""telnetd from the host: two sessions at once through QEMU's port forward,
each with its own shell (ls, cat, echo), telnet negotiation checked byte by
byte, one session ended by `exit` (the server closes), the other by the
client hanging up (its shell must go away: a third session counts shells
with ps).

Usage: telnet-test.py ARCH BUILD PORT -- QEMU_COMMAND...
Prints one line per check and `telnet-test-ARCH: N passed, M failed`.
Python 3 standard library only."""
import os
import re
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import checks  # noqa: E402

IAC, DONT, DO, WONT, WILL, SB, SE = 255, 254, 253, 252, 251, 250, 240
ECHO, SGA, NAWS, UNKNOWN = 1, 3, 31, 99
PROMPT = b"tsubame:/$ "

arch, build, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
results = checks.Checks("telnet-test-%s" % arch)
check = results.check
qemu_argv = sys.argv[sys.argv.index("--") + 1:]
log_path = "%s/telnet-test.log" % build




LOG_LINES = 300


def log_line(i):
    return "line %03d of a log kept over telnet" % i


def disk_of(argv, n):
    """The image file QEMU attaches as id=diskN."""
    for a in argv:
        parts = a.split(",")
        if "id=disk%d" % n in parts:
            return next(p[5:] for p in parts if p.startswith("file="))
    return None


class Session:
    """A telnet client: keeps the text (commands stripped) and the
    commands the server sent apart."""

    def __init__(self):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.text = b""
        self.commands = []  # (verb, option) pairs from the server
        self.raw = b""
        self.closed = False

    def pump(self, timeout):
        self.sock.settimeout(timeout)
        try:
            d = self.sock.recv(65536)
        except socket.timeout:
            return
        if not d:
            self.closed = True
            return
        self.raw += d
        i = 0
        buf = self.raw
        self.raw = b""
        while i < len(buf):
            c = buf[i]
            if c != IAC:
                self.text += bytes([c])
                i += 1
                continue
            if i + 1 >= len(buf) or (buf[i + 1] >= WILL and i + 2 >= len(buf)):
                self.raw = buf[i:]  # incomplete command: wait for the rest
                break
            if buf[i + 1] >= WILL:
                self.commands.append((buf[i + 1], buf[i + 2]))
                i += 3
            elif buf[i + 1] == IAC:
                self.text += bytes([IAC])
                i += 2
            else:
                i += 2

    def expect(self, pattern, timeout=30):
        end = time.monotonic() + timeout
        while time.monotonic() < end and not self.closed:
            if pattern in self.text:
                return True
            self.pump(0.2)
        return pattern in self.text

    def send(self, data):
        self.sock.sendall(data)

    def run(self, command, eol=b"\r\n"):
        """Types a command; the text it printed up to the next prompt."""
        self.text = b""
        self.send(command.encode() + eol)
        ok = self.expect(PROMPT)
        return self.text.decode(errors="replace") if ok else None

    def wait_closed(self, timeout):
        end = time.monotonic() + timeout
        while time.monotonic() < end and not self.closed:
            self.pump(0.2)
        return self.closed


def main():
    log = open(log_path, "wb")
    qemu = subprocess.Popen(qemu_argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    try:
        end = time.monotonic() + 120
        while time.monotonic() < end and b"telnetd: listening" not in open(log_path, "rb").read():
            time.sleep(0.1)
        check("telnetd starts", b"telnetd: listening" in open(log_path, "rb").read())
        a, b = Session(), Session()
        check("session A gets a prompt", a.expect(PROMPT))
        check("session B gets a prompt", b.expect(PROMPT))
        check("the server offers WILL ECHO and WILL SGA",
              (WILL, ECHO) in a.commands and (WILL, SGA) in a.commands, str(a.commands))
        # Agree, offer NAWS with its subnegotiation, ask for an unknown option.
        a.commands = []
        a.send(bytes([IAC, DO, ECHO, IAC, DO, SGA, IAC, WILL, NAWS,
                      IAC, SB, NAWS, 0, 80, 0, 24, IAC, SE, IAC, DO, UNKNOWN]))
        out = a.run("echo negotiated")
        check("negotiation: DONT NAWS and WONT 99 answered, agreements not echoed, SB skipped",
              out is not None and "negotiated" in out and (DONT, NAWS) in a.commands
              and (WONT, UNKNOWN) in a.commands and (WILL, ECHO) not in a.commands,
              "%r %r" % (a.commands, out))
        out_a = a.run("ls /")
        out_b = b.run("cat /HELLO.TXT", eol=b"\r\0")
        check("session A: ls / lists HELLO.TXT", out_a is not None and "HELLO.TXT" in out_a, repr(out_a))
        check("session B: cat /HELLO.TXT (Enter sent as CR NUL)",
              out_b is not None and "Hello from FAT32!" in out_b, repr(out_b))
        check("output lines end in CR LF", out_a is not None and "\r\n" in out_a and "\n\n" not in out_a)
        out_b = b.run("echo session-b > /tn-b.txt")
        out_a = a.run("cat /HELLO.TXT")
        check("session A: cat while B runs commands", out_a is not None and "Hello from FAT32!" in out_a)
        out_b = b.run("cat /tn-b.txt")
        check("session B: its own file", out_b is not None and "session-b" in out_b, repr(out_b))
        # UTF-8 over telnet: names reach the shell whole, and line editing
        # steps over whole characters (Left, then insert in the middle).
        b.run('echo テレネット > "/host/テレネット.txt"')
        out_b = b.run('cat "/host/テレネット.txt"')
        check("session B: a UTF-8 file name and text", out_b is not None and "\nテレネット" in out_b.replace("\r", ""),
              repr(out_b))
        b.text = b""
        b.send("echo 日語".encode() + b"\x1b[D" + "本".encode() + b"\r\n")
        ok = b.expect(PROMPT)
        check("session B: Left over a UTF-8 character, then insert", ok and "\n日本語\r\n" in
              b.text.decode(errors="replace").replace("\r\n", "\n", 1), repr(b.text))
        a.text = b""
        a.send(b"exit\r\n")
        check("exit in session A closes the connection", a.wait_closed(10))
        b.sock.close()  # B hangs up without exit: its shell must end too
        c = Session()
        c.expect(PROMPT)
        # telnetd kills the shell 1 s after the hang-up at the latest: ask
        # until it is gone (a busy machine may take longer), 30 s at most.
        end = time.monotonic() + 30
        while True:
            ps = c.run("ps")
            shells = len(re.findall(r"shell\.elf", ps or ""))
            if shells == 2 or time.monotonic() > end:
                break
            time.sleep(0.5)
        check("after the hang-up only two shells remain: the console's and this session's",
              shells == 2, repr(ps))
        # A log appended line by line over telnet (the new user's run that
        # left FSInfo off by one): every acknowledged line is on the disk,
        # in order, and the volume is clean (checked after QEMU is gone).
        ok = True
        for i in range(LOG_LINES):
            cmd = "echo %s >> /host/telnet-log.txt" % log_line(i)
            out = c.run(cmd)
            # Only the echo of what was typed, then the next prompt.
            if out is None or out.replace(cmd, "").replace(PROMPT.decode(), "").strip():
                ok = False
                break
        check("%d lines appended to /host/telnet-log.txt over telnet" % LOG_LINES, ok, repr(out))
        c.send(b"exit\r\n")
        check("session C ends with exit", c.wait_closed(10))
        text = open(log_path, "rb").read()
        check("no process crashed", b"crashed" not in text and b"fault" not in text)
    finally:
        qemu.kill()
        qemu.wait()
    # Killing QEMU is a power cut: what was acknowledged must be there, and
    # both volumes clean (fsck.fat -n, FSInfo's free count included).
    hostfs = disk_of(qemu_argv, 1)
    got = subprocess.run(["mtype", "-i", hostfs + "@@1M", "::/telnet-log.txt"], capture_output=True, text=True)
    want = "".join(log_line(i) + "\n" for i in range(LOG_LINES))
    check("the appended lines are on hostfs.img, in order", got.stdout == want,
          "%d of %d bytes" % (len(got.stdout), len(want)))
    for n in (0, 1):
        r = subprocess.run([os.path.join(os.path.dirname(os.path.abspath(__file__)), "fsck-clean.sh"),
                            disk_of(qemu_argv, n)], capture_output=True, text=True)
        check("fsck.fat -n is clean on %s, FSInfo included" % os.path.basename(disk_of(qemu_argv, n)),
              r.returncode == 0, r.stdout)
    if results.failed:
        sys.stdout.write(open(log_path, "rb").read()[-2000:].decode(errors="replace"))
    results.finish()


main()
