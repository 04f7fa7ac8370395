#!/usr/bin/env python3
"""A person at the serial console: boots Tsubame in QEMU, types commands at
the shell and checks what comes back.

Usage: shell-session.py ARCH BUILD_DIR -- QEMU_COMMAND...

The QEMU command is run as given (the same flags as `make run`, on fresh
copies of the disk images); this script builds nothing. QEMU's serial
console is on its stdio (-serial stdio or -nographic), which the script
connects to a pseudo-terminal (pty.openpty), exactly where a person's
terminal would be. The pty is put in raw mode before QEMU starts: QEMU's
stdio backend derives its own settings from the ones it finds, so ISIG
stays off and Ctrl-C reaches the guest as a byte instead of a signal.

Keys are typed a few at a time and the script waits for the shell's echo
before it types more (the UART has a small FIFO). Every wait has a timeout,
and so has the whole run (SHELL_SESSION_TIMEOUT, default 600 s); on a
timeout the last 2 KiB of console output are printed. The full transcript
goes to BUILD_DIR/shell-session.log.

The fat32d steps (its takeover, ps listing it, killing it and seeing init
restart it) run only if /bin/fat32d.elf is on the system disk: checked with
mdir on the image QEMU attaches as id=disk0 before boot, or, without mtools,
with `ls /bin` in the guest. scripts/tests/check-shell-images.sh then
checks on the images what this session wrote (it knows the file names and
the 4 MiB file's bytes used here).

Each step prints [PASS] name or [FAIL] name: why; the last line is
`shell-session-ARCH: N passed, M failed` and the exit status is non-zero on
any failure. Python 3 standard library only.
"""
import datetime
import os
import pty
import random
import re
import select
import shutil
import signal
import subprocess
import sys
import time
import tty

PROMPT = re.compile(r"tsubame:(\S*)\$ ")
DATE = r"\d{4}-\d\d-\d\d \d\d:\d\d\s+"  # ls -l: the modification time (UTC)
CHUNK = 8            # keys typed before waiting for their echo
KEY_DELAY = 0.01     # between keys inside a chunk, like a quick typist
ECHO_TIMEOUT = 5.0
BOOT_TIMEOUT = 120.0
CMD_TIMEOUT = 30.0
SHUTDOWN_TIMEOUT = 30.0

# Keys as a terminal sends them.
ENTER = "\r"
BACKSPACE = "\x7f"
LEFT = "\x1b[D"
RIGHT = "\x1b[C"
UP = "\x1b[A"
DOWN = "\x1b[B"
CTRL_C = "\x03"
CTRL_U = "\x15"

# The big file for cp: this 64-byte line, doubled BIG_DOUBLINGS times by
# `cat f f > g` (check-shell-images.sh rebuilds the same bytes).
BIG_LINE = "Tsubame big file line: 0123456789abcdefghijklmnopqrstuvwxyz0123"
BIG_DOUBLINGS = 16  # 64 B * 2^16 = 4 MiB


class Timeout(Exception):
    pass


class Console:
    """QEMU on a pty; everything it prints, with terminal control sequences
    removed, accumulates in self.text. self.mark is where the next search
    starts."""

    def __init__(self, argv, log_path, deadline):
        self.deadline = deadline
        master, slave = pty.openpty()
        tty.setraw(slave)
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave,
                                     start_new_session=True, close_fds=True)
        os.close(slave)  # QEMU's exit then shows as end of file
        self.fd = master
        self.text = ""
        self.mark = 0
        self.esc = ""       # an escape sequence not finished yet
        self.log = open(log_path, "wb")
        self.eof = False
        self.last_prompt = None

    def _clean(self, data):
        out = []
        for ch in data.decode("latin-1"):
            if self.esc:
                self.esc += ch
                # ESC [ params final, or ESC + one character
                if len(self.esc) == 2 and ch != "[":
                    self.esc = ""
                elif len(self.esc) > 2 and "\x40" <= ch <= "\x7e":
                    self.esc = ""
                elif len(self.esc) > 16:
                    self.esc = ""
                continue
            if ch == "\x1b":
                self.esc = ch
            elif ch in "\r\a\b":
                continue
            else:
                out.append(ch)
        return "".join(out)

    def pump(self, timeout):
        """Reads what QEMU printed within `timeout` seconds."""
        if self.eof:
            time.sleep(min(timeout, 0.05))
            return
        r, _, _ = select.select([self.fd], [], [], max(0.0, timeout))
        if not r:
            return
        try:
            data = os.read(self.fd, 65536)
        except OSError:
            data = b""
        if not data:
            self.eof = True
            return
        self.log.write(data)
        self.log.flush()
        self.text += self._clean(data)

    def remaining(self, timeout):
        return min(timeout, self.deadline - time.monotonic())

    def expect(self, pattern, timeout=CMD_TIMEOUT):
        """Waits for a regex after the mark; moves the mark past it."""
        rx = re.compile(pattern) if isinstance(pattern, str) else pattern
        start = time.monotonic()
        end = start + self.remaining(timeout)
        while True:
            m = rx.search(self.text, self.mark)
            if m:
                self.mark = m.end()
                return m
            left = end - time.monotonic()
            if left <= 0 or (self.eof and self.proc.poll() is not None):
                why = "QEMU exited" if self.eof else "timed out"
                raise Timeout("%s after %.1f s waiting for %r" % (why, time.monotonic() - start, rx.pattern))
            self.pump(min(left, 0.2))

    def send(self, s):
        os.write(self.fd, s.encode("latin-1"))

    def type(self, s, echo=True):
        """Types printable text a few keys at a time and waits for the echo
        (soft: console messages from other processes may interleave).
        Characters beyond Latin-1 are typed as UTF-8, as a terminal sends
        them (one key, several bytes); self.text shows each byte as one
        Latin-1 character, so the echo looked for is spelled that way."""
        for i in range(0, len(s), CHUNK):
            part = s[i:i + CHUNK]
            start = len(self.text)
            for ch in part:
                self.send(ch if ord(ch) < 0x80 else ch.encode("utf-8").decode("latin-1"))
                self.settle(KEY_DELAY)
            part = part.encode("utf-8").decode("latin-1")
            if not echo:
                continue
            end = time.monotonic() + self.remaining(ECHO_TIMEOUT)
            while part not in self.text[start:] and time.monotonic() < end and not self.eof:
                self.pump(0.05)

    def settle(self, seconds):
        """Waits, reading the console meanwhile (so QEMU never blocks on a
        full pty)."""
        end = time.monotonic() + seconds
        while True:
            left = end - time.monotonic()
            if left <= 0:
                break
            self.pump(min(left, 0.02))

    def key(self, k, settle=0.15):
        """One special key (arrow, backspace, control), then a pause in
        which its effect on the screen arrives."""
        self.send(k)
        self.settle(settle)

    def run(self, line, timeout=CMD_TIMEOUT):
        """Types a command line, presses Enter and returns what the command
        printed before the next prompt."""
        self.mark = len(self.text)
        self.type(line)
        self.mark = len(self.text)
        self.send(ENTER)
        return self.finish(timeout)

    def finish(self, timeout=CMD_TIMEOUT):
        """After Enter: the output up to the next prompt."""
        start = self.mark
        m = self.expect(PROMPT, timeout)
        self.last_prompt = m.group(1)
        out = self.text[start:m.start()]
        return out[1:] if out.startswith("\n") else out

    def tail(self, n=2048):
        return self.text[-n:]

    def shell_gone(self):
        """init's report that the shell ended (it is not restarted)."""
        return re.search(r"init: shell \(pid \d+\) .*not restarted", self.text) is not None

    def close(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)  # QEMU and anything it started
            except OSError:
                self.proc.kill()
            self.proc.wait()
        try:
            os.close(self.fd)
        except OSError:
            pass
        self.log.close()


class Session:
    def __init__(self, arch, con):
        self.arch = arch
        self.con = con
        self.passed = 0
        self.failed = 0

    def result(self, name, ok, why=""):
        if ok:
            self.passed += 1
            print("[PASS] %s" % name, flush=True)
        else:
            self.failed += 1
            print("[FAIL] %s: %s" % (name, why), flush=True)

    def step(self, name, fn):
        """Runs one test; fn returns None (pass) or a reason it failed.
        A timeout is a failure with the console's last 2 KiB shown."""
        if self.con.shell_gone() or (self.con.eof and self.con.proc.poll() is not None):
            self.result(name, False, "not run: the shell or QEMU is gone")
            return False
        try:
            why = fn()
        except Timeout as e:
            why = "%s; last console output:\n%s\n---" % (e, self.con.tail())
        self.result(name, why is None, why or "")
        return why is None


def u8(text):
    """Console text (one Latin-1 character per byte) read as UTF-8."""
    return text.encode("latin-1").decode("utf-8", "replace")


def lines(out):
    return [l.rstrip() for l in out.split("\n")]


def has_line(out, rx):
    return any(re.search(rx, l) for l in lines(out))


def want(out, rx, what):
    """None if some line of `out` matches rx, else a reason."""
    if has_line(out, rx):
        return None
    return "%s: expected /%s/ in:\n%s" % (what, rx, out.rstrip())


def want_not(out, rx, what):
    if not has_line(out, rx):
        return None
    return "%s: did not expect /%s/ in:\n%s" % (what, rx, out.rstrip())


def first(*reasons):
    for r in reasons:
        if r:
            return r
    return None


def qemu_disk(argv, n):
    """The image QEMU attaches as id=diskN (dev N: 0 = system disk)."""
    for a in argv:
        if "id=disk%d" % n in a.split(","):
            for part in a.split(","):
                if part.startswith("file="):
                    return part[5:]
    return None


def image_has(img, path):
    """Whether mtools sees `path` on the FAT partition at 1 MiB of img;
    None when that cannot be told (no mtools, no image)."""
    if not img or not os.path.exists(img) or not shutil.which("mdir"):
        return None
    d, base = os.path.split(path)
    r = subprocess.run(["mdir", "-b", "-i", img + "@@1M", "::" + d], capture_output=True, text=True)
    if r.returncode != 0:
        return None
    return any(l.rstrip().lower().endswith("/" + base.lower()) or l.strip().lower() == base.lower()
               for l in r.stdout.splitlines())


def main():
    args = sys.argv[1:]
    if len(args) < 4 or args[2] != "--":
        print("usage: shell-session.py ARCH BUILD_DIR -- QEMU_COMMAND...", file=sys.stderr)
        return 2
    arch, build, qemu = args[0], args[1], args[3:]
    total = float(os.environ.get("SHELL_SESSION_TIMEOUT", "600"))
    deadline = time.monotonic() + total
    os.makedirs(build, exist_ok=True)
    log_path = os.path.join(build, "shell-session.log")

    has_fat32d = image_has(qemu_disk(qemu, 0), "/bin/fat32d.elf")
    con = Console(qemu, log_path, deadline)
    s = Session(arch, con)
    ctx = {}
    try:
        if not s.step("boot reaches the shell prompt", lambda: boot(con)):
            return finish(s, arch)
        s.step("the prompt comes after the boot messages", lambda: quiet_after_prompt(con))
        if has_fat32d is None:  # no mtools or no image path: look from inside
            has_fat32d = "fat32d.elf" in con.run("ls /bin")
        if has_fat32d:
            s.step("fat32d serves the file systems", lambda: wait_fat32d(con))
        run_steps(s, con, ctx, has_fat32d)
    finally:
        con.close()
    return finish(s, arch)


def finish(s, arch):
    print("shell-session-%s: %d passed, %d failed" % (arch, s.passed, s.failed), flush=True)
    return 0 if s.failed == 0 else 1


def boot(con):
    con.expect(PROMPT, BOOT_TIMEOUT)
    return None


def quiet_after_prompt(con):
    # init starts the console's shell once the boot is over, and routine
    # messages then go to the kernel log only: nothing follows the prompt.
    start = con.mark
    con.settle(3.0)
    extra = con.text[start:].strip()
    return None if not extra else "printed after the first prompt: %r" % extra[:300]


def in_dmesg(con, rx, timeout=30):
    """Waits until the kernel log (dmesg) has a line matching rx."""
    end = time.monotonic() + timeout
    while True:
        out = con.run("dmesg")
        if re.search(rx, out):
            return None
        if time.monotonic() > end:
            return "no /%s/ in dmesg:\n%s" % (rx, out[-1500:])
        con.settle(0.5)


def wait_fat32d(con):
    # It announces itself once it has taken over / and /host, into the
    # kernel log.
    return in_dmesg(con, r"fat32d: serving")


def run_steps(s, con, ctx, has_fat32d):
    c = con

    # ---- looking around ----
    def ls_root():
        out = c.run("ls /")
        return first(want(out, r"\bHELLO\.TXT\b", "ls /"), want(out, r"\bbin/", "ls /"),
                     want(out, r"\bhost/", "ls /"))
    s.step("ls / shows HELLO.TXT, bin/ and host/", ls_root)

    def ls_host():
        return want(c.run("ls /host"), r"\bREADME\.TXT\b", "ls /host")
    s.step("ls /host shows README.TXT", ls_host)

    def ls_long():
        out = c.run("ls -l /")
        return first(want(out, r"^file\s+18\s+%sHELLO\.TXT$" % DATE, "ls -l /"),
                     want(out, r"^dir\s+-\s+%sbin/$" % DATE, "ls -l /"))
    s.step("ls -l / shows sizes and marks directories", ls_long)

    def cat_hello():
        return want(c.run("cat /HELLO.TXT"), r"^Hello from FAT32!$", "cat /HELLO.TXT")
    s.step("cat /HELLO.TXT", cat_hello)

    # ---- writing files ----
    def echo_redirect():
        out = c.run("echo hello shell > /note.txt")
        if out.strip():
            return "echo > printed something: %r" % out
        out = c.run("cat /note.txt")
        return None if lines(out)[:1] == ["hello shell"] else "cat /note.txt gave %r" % out
    s.step("echo hello shell > /note.txt, then cat", echo_redirect)

    def echo_append():
        c.run("echo more >> /note.txt")
        out = c.run("cat /note.txt")
        return None if lines(out)[:2] == ["hello shell", "more"] else "cat /note.txt gave %r" % out
    s.step("echo more >> /note.txt appends", echo_append)

    def quoting():
        out = c.run('echo "two  spaces" and\\ more "" end')
        return None if lines(out)[0] == "two  spaces and more  end" else "got %r" % out
    s.step("double quotes and backslash keep spaces", quoting)

    def bad_quote():
        out = c.run('echo "unterminated')
        return want(out, r"^syntax error: unterminated quote$", "unbalanced quote")
    s.step("an unterminated quote is an error message", bad_quote)

    def cp_file():
        out = c.run("cp /note.txt /host/copy.txt")
        if out.strip():
            return "cp printed %r" % out
        out = c.run("cat /host/copy.txt")
        return None if lines(out)[:2] == ["hello shell", "more"] else "copy reads %r" % out
    s.step("cp /note.txt /host/copy.txt", cp_file)

    def mv_file():
        out = c.run("mv /host/copy.txt /host/moved.txt")
        if out.strip():
            return "mv printed %r" % out
        out = c.run("ls /host")
        return first(want(out, r"\bmoved\.txt\b", "ls /host"), want_not(out, r"\bcopy\.txt\b", "ls /host"),
                     want(c.run("cat /host/moved.txt"), r"^more$", "cat /host/moved.txt"))
    s.step("mv /host/copy.txt /host/moved.txt", mv_file)

    def mv_across():
        c.run("echo across > /across.txt")
        out = c.run("mv /across.txt /host/across.txt")
        if out.strip():
            return "mv printed %r" % out
        return first(want(c.run("cat /host/across.txt"), r"^across$", "moved file"),
                     want(c.run("cat /across.txt"), r"^cat: /across\.txt: no such file or directory$",
                          "the original"))
    s.step("mv between file systems copies and removes", mv_across)

    def rm_file():
        c.run("echo bye > /host/gone.txt")
        out = c.run("rm /host/gone.txt")
        if out.strip():
            return "rm printed %r" % out
        return first(want_not(c.run("ls /host"), r"\bgone\.txt\b", "ls /host"),
                     want(c.run("cat /host/gone.txt"), r"^cat: /host/gone\.txt: no such file or directory$",
                          "cat after rm"),
                     want(c.run("rm /host/gone.txt"), r"^rm: /host/gone\.txt: no such file or directory$",
                          "rm again"))
    s.step("rm removes a file", rm_file)

    def mkdir_rmdir():
        out = c.run("mkdir /host/newdir")
        if out.strip():
            return "mkdir printed %r" % out
        why = want(c.run("ls /host"), r"\bnewdir/", "ls after mkdir")
        if why:
            return why
        c.run("echo inside > /host/newdir/f.txt")
        why = first(want(c.run("ls -l /host/newdir"), r"^file\s+7\s+%sf\.txt$" % DATE, "file in the new directory"),
                    want(c.run("rmdir /host/newdir"), r"^rmdir: /host/newdir: directory not empty$",
                         "rmdir of a non-empty directory"))
        if why:
            return why
        c.run("rm /host/newdir/f.txt")
        out = c.run("rmdir /host/newdir")
        if out.strip():
            return "rmdir printed %r" % out
        return want_not(c.run("ls /host"), r"\bnewdir/", "ls after rmdir")
    s.step("mkdir and rmdir", mkdir_rmdir)

    def cd_pwd():
        c.run("cd /host")
        if c.last_prompt != "/host":
            return "the prompt does not show /host: %r" % c.tail(80)
        why = first(want(c.run("pwd"), r"^/host$", "pwd"),
                    want(c.run("cat README.TXT"), r"\S", "cat of a relative path"))
        if why:
            return why
        c.run("mkdir sub")
        c.run("cd sub")
        why = first(want(c.run("pwd"), r"^/host/sub$", "pwd in sub"))
        c.run("echo rel > ./r.txt")
        why = why or want(c.run("cat ../sub/r.txt"), r"^rel$", "relative with ..")
        c.run("rm r.txt")
        c.run("cd ..")
        c.run("rmdir sub")
        why = why or want(c.run("cd /nope"), r"^cd: /nope: no such file or directory$", "cd /nope")
        why = why or want(c.run("cd /HELLO.TXT"), r"^cd: /HELLO\.TXT: not a directory$", "cd to a file")
        c.run("cd ..")
        return why or want(c.run("pwd"), r"^/$", "pwd after cd ..")
    s.step("cd, pwd and relative paths", cd_pwd)

    # ---- errors ----
    def unknown():
        return want(c.run("nope"), r"^nope: command not found$", "unknown command")
    s.step("an unknown command says command not found", unknown)

    def ls_nope():
        return want(c.run("ls /nope"), r"^ls: /nope: no such file or directory$", "ls /nope")
    s.step("ls /nope names the path and the reason", ls_nope)

    # ---- a big file: cat doubling, then cp across file systems ----
    def big_file():
        c.run("echo %s > /big.txt" % BIG_LINE)
        for _ in range(BIG_DOUBLINGS):
            out = c.run("cat /big.txt /big.txt > /big.tmp", timeout=120)
            if out.strip():
                return "cat > printed %r" % out
            out = c.run("mv /big.tmp /big.txt", timeout=60)
            if out.strip():
                return "mv printed %r" % out
        size = (len(BIG_LINE) + 1) << BIG_DOUBLINGS
        why = want(c.run("ls -l /big.txt"), r"^file\s+%d\s+%s/big\.txt$" % (size, DATE), "size of /big.txt")
        if why:
            return why
        t0 = time.monotonic()
        out = c.run("cp /big.txt /host/big.txt", timeout=180)
        took = time.monotonic() - t0
        if out.strip():
            return "cp printed %r" % out
        print("  (cp of %d bytes took %.1f s)" % (size, took), flush=True)
        return first(want(c.run("ls -l /host"), r"^file\s+%d\s+%sbig\.txt$" % (size, DATE), "size of the copy"),
                     want(c.run("cat /big.txt /big.txt > /big.txt"),
                          r"^cat: /big\.txt: input file is output file$", "cat into its own input"))
    s.step("cp copies a 4 MiB file (made by cat doubling)", big_file)

    # ---- programs ----
    def exit_status():
        return want(c.run("utest exit 3"), r"^\[exit status 3\]$", "utest exit 3")
    s.step("utest exit 3 shows [exit status 3]", exit_status)

    def exit_zero():
        out = c.run("/bin/utest.elf exit 0")
        return None if not out.strip() else "a successful program printed %r" % out
    s.step("a program run by path with status 0 prints nothing", exit_zero)

    def crashed():
        return want(c.run("utest fault write-null"), r"^\[crashed\]$", "utest fault write-null")
    s.step("a crashing program shows [crashed]", crashed)

    def porttest():
        # Built on the host with scripts/tsubame-cc from its own plain
        # Makefile (newlib, lib/posix), copied in as /host/porttest by make.
        out = c.run("/host/porttest", 60)
        return first(want_not(out, r"^FAIL ", "porttest's own checks"),
                     want_not(out, r"^\[", "porttest's exit status"),
                     want(out, r"^porttest: all \d+ checks ok$", "porttest's summary"),
                     want(out, r"^printf: 3\.141593 1\.235e\+04 0\.0001 1e\+20  -2\.2\|42    \|ff "
                          r"-9000000000 8$", "printf"),
                     want(out, r"^strtod: -1\.250000 \(rest \"xyz\"\) 3\.0$", "strtod"),
                     want(out, r"^math: sin\(1\)=0\.841471 sqrt\(2\)=1\.414214 exp\(1\)=2\.718282 "
                          r"pow\(2,0\.5\)=1\.414214 log10\(1000\)=3\.000000$", "libm"),
                     want(out, r"^qsort: apple banana cherry fig pear$", "qsort"),
                     want(out, r"^time: 20\d\d-\d\d-\d\d \d\d:\d\d:\d\d UTC$", "time and strftime"),
                     want(out, r"^getenv: PATH=/bin$", "getenv"),
                     want(out, r"^fscanf: pi 3\.14159 answer 42$", "file I/O through stdio"),
                     want(out, r'^errno: ENOENT=2 "No such file or directory"$', "ENOENT"),
                     want(out, r'^errno: EBADF=9 "Bad file number"$', "EBADF"),
                     want(out, r'^errno: ENAMETOOLONG=91 "File or path name too long"$', "ENAMETOOLONG"),
                     want(out, r"^porttest: perror says: Is a directory$", "perror to stderr"),
                     want(out, r"^porttest: atexit handler ran$", "atexit at exit"))
    s.step("a program built with tsubame-cc (newlib: stdio, libm, files, errno) runs from /host", porttest)

    def ctrl_c_program():
        c.mark = len(c.text)
        c.type("utest spin")
        c.mark = len(c.text)
        c.send(ENTER)
        c.settle(1.0)
        c.send(CTRL_C)
        out = c.finish(15)
        return want(out, r"^\[killed\]$", "Ctrl-C on a running program")
    s.step("Ctrl-C stops a foreground program", ctrl_c_program)

    def background():
        out = c.run("utest spin &")
        m = re.search(r"^\[pid (\d+)\]$", out, re.M)
        if not m:
            return "no [pid N] in %r" % out
        pid = m.group(1)
        why = want(c.run("ps"), r"^\s*%s\s+\d+\s+\S+.*\butest\.elf\b" % pid, "ps lists the job")
        why = why or want(c.run("jobs"), r"^\[pid %s\] running\s+utest spin$" % pid, "jobs")
        if why:
            c.run("kill %s" % pid)
            return why
        out = c.run("kill %s" % pid)
        why = want(out, r"^\[pid %s\] utest spin: killed$" % pid, "kill reports the job's end")
        return why or want_not(c.run("ps"), r"^\s*%s\s" % pid, "ps after kill")
    s.step("utest spin & runs in the background; ps lists it; kill ends it", background)

    def bg_reaped():
        out = c.run("utest exit 5 &")
        m = re.search(r"^\[pid (\d+)\]$", out, re.M)
        if not m:
            return "no [pid N] in %r" % out
        c.settle(1.0)
        out = c.run("pwd")
        return want(out, r"^\[pid %s\] utest exit 5: exit status 5$" % m.group(1), "report before a prompt")
    s.step("a finished background job is reported before the next prompt", bg_reaped)

    def kill_errors():
        return first(want(c.run("kill abc"), r"^kill: abc: not a process id$", "kill abc"),
                     want(c.run("kill 999"), r"^kill: 999: no such process$", "kill 999"))
    s.step("kill of a bad or missing pid says why", kill_errors)

    def ps_services():
        out = c.run("ps")
        why = first(want(out, r"^\s*1\s+0\s+\S+.*\binit\.elf$", "init in ps"),
                    want(out, r"\bshell\.elf \(this shell\)$", "shell in ps"),
                    want(out, r"PID\s+PPID\s+STATE\s+MEM", "ps header"))
        if not why and has_fat32d:
            why = want(out, r"\bfat32d\.elf$", "fat32d in ps")
        return why
    s.step("ps shows init and the shell%s" % (" and fat32d" if has_fat32d else ""), ps_services)

    if has_fat32d:
        def kill_service():
            out = c.run("ps")
            m = re.search(r"^\s*(\d+)\s+1\s+.*\bfat32d\.elf$", out, re.M)
            if not m:
                return "fat32d not in ps: %r" % out
            pid = m.group(1)
            c.mark = len(c.text)
            out = c.run("kill %s" % pid)
            if out.strip():  # no error, and no routine message on the console
                return "kill %s printed %r" % (pid, out)
            why = first(in_dmesg(c, r"init: fat32d \(pid %s\) was killed; restarting in \d+ ms" % pid),
                        in_dmesg(c, r"init: started fat32d \(pid \d+\)"),
                        in_dmesg(c, r"fat32d \(pid \d+\) now serves 2 mount"))
            if why:
                return why
            c.mark = len(c.text)
            c.settle(1.0)
            if re.search(r"init:|fat32d:|fsproxy:|vfs:", c.text[c.mark:]):
                return "routine messages on the console: %r" % c.text[c.mark:]
            return want(c.run("ls /host"), r"\bREADME\.TXT\b", "ls /host after the restart")
        s.step("killing fat32d makes init restart it", kill_service)

    # ---- the kernel log ----
    def dmesg():
        out = c.run("dmesg")
        return first(want(out, r"^\[\s*\d+\.\d{6}\] Tsubame kernel", "dmesg: the kernel's first line"),
                     want(out, r"^\[\s*\d+\.\d{6}\] init: all services started", "dmesg: init's lines"),
                     want(out, r"^\[\s*\d+\.\d{6}\] telnetd: listening", "dmesg: a service's lines"),
                     want(c.run("dmesg -n 9"), r"^usage: dmesg", "dmesg -n 9"))
    s.step("dmesg shows the kernel's, init's and the services' messages", dmesg)

    def log_does_not_cut_typing():
        # A crash report (an error: it does reach the console) arrives
        # while a line is half typed: it gets lines of its own, the prompt
        # and the typed text are shown again below it, and the line goes
        # on as if nothing had happened.
        out = c.run("utest latefault 1500 &")
        if not re.search(r"^\[pid \d+\]$", out, re.M):
            return "no [pid N] in %r" % out
        c.mark = len(c.text)
        c.type("echo inter")
        start = c.mark
        c.expect(r"page fault", 15)
        c.settle(0.5)
        after = c.text[start:]
        c.type("rupted")
        c.mark = len(c.text)
        c.send(ENTER)
        out = c.finish()
        lines_after = after.split("\n")
        report = [l for l in lines_after if "page fault" in l]
        return first(None if report and report[0].startswith("pid ") else
                     "the report does not start its own line: %r" % after,
                     None if re.search(r"\ntsubame:/\$ echo inter\s*$", after) else
                     "the typed line is not shown again below the report: %r" % after,
                     want(out, r"^interrupted$", "the line typed across the report"))
    s.step("a log message never cuts through a line being typed", log_does_not_cut_typing)

    # ---- system commands ----
    def sysinfo():
        return first(want(c.run("mem"), r"^kernel heap: \d+ KiB used, \d+ KiB peak, \d+ KiB limit", "mem"),
                     want(c.run("mem"), r"^frames: \d+ free of \d+", "mem frames"),
                     want(c.run("uptime"), r"^up \d+:\d\d:\d\d\.\d{3} \(\d+\.\d{3} s\)$", "uptime"),
                     want(c.run("help"), r"^\s+ls \[-l\]", "help"),
                     want(c.run("df"), r"^/host\s+\d+\s+\d+$", "df"))
    s.step("mem, uptime, help and df", sysinfo)

    def date():
        out = c.run("date")
        m = re.search(r"^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC$", out, re.M)
        if not m:
            return f"date printed {out!r}"
        guest = datetime.datetime.strptime(m.group(2), "%Y-%m-%d %H:%M:%S").replace(tzinfo=datetime.timezone.utc)
        host = datetime.datetime.now(datetime.timezone.utc)
        if abs((host - guest).total_seconds()) > 120:
            return f"the guest says {guest}, the host {host}"
        if guest.strftime("%a") != m.group(1):
            return f"weekday {m.group(1)} for {guest.date()}"
        return None
    s.step("date shows the host's UTC time (within 2 minutes)", date)

    def dated_files():
        # Left on /host for check-shell-images.sh, which reads the dates
        # with mdir.
        c.run("echo dated > /host/dated.txt")
        c.run("mkdir /host/dated")
        host = datetime.datetime.now(datetime.timezone.utc)
        for line, what in ((c.run("ls -l /host/dated.txt"), "the new file"),
                           ("\n".join(l for l in lines(c.run("ls -l /host")) if l.endswith(" dated/")),
                            "the new directory")):
            m = re.search(r"(\d{4}-\d\d-\d\d \d\d:\d\d)", line)
            if not m:
                return "ls -l shows no date for %s: %r" % (what, line)
            guest = datetime.datetime.strptime(m.group(1), "%Y-%m-%d %H:%M").replace(
                tzinfo=datetime.timezone.utc)
            if abs((host - guest).total_seconds()) > 180:
                return "ls -l dates %s %s, the host's UTC clock says %s" % (what, guest, host)
        return None
    s.step("ls -l shows new files and directories dated now (UTC)", dated_files)

    def ipctrace():
        return first(want(c.run("ipctrace on"), r"^ipc trace on \(was off\)$", "ipctrace on"),
                     want(c.run("ipctrace off"), r"^ipc trace off \(was on\)$", "ipctrace off"),
                     want(c.run("ipctrace maybe"), r"^usage: ipctrace on\|off$", "ipctrace maybe"))
    s.step("ipctrace on|off", ipctrace)

    def builtin_redirect():
        c.run("ps > /host/ps.txt")
        out = c.run("cat /host/ps.txt")
        why = want(out, r"\bshell\.elf\b", "ps > file")
        c.run("rm /host/ps.txt")
        return why or want(c.run("echo x > /nodir/f"), r"^echo: /nodir/f: no such file or directory$",
                           "redirect into a missing directory")
    s.step("redirection works for other built-ins; a bad target is an error", builtin_redirect)

    # ---- line editing ----
    def edit_backspace_left():
        # "ecxo editok": Left x8 puts the cursor after the x; Backspace
        # removes it, then h goes in: "echo editok".
        c.mark = len(c.text)
        c.type("ecxo editok")
        for _ in range(len("o editok")):
            c.key(LEFT, 0.05)
        c.key(BACKSPACE)
        c.type("h", echo=False)
        c.mark = len(c.text)
        c.send(ENTER)
        out = c.finish()
        return first(want(out, r"^editok$", "edited line"), want_not(out, r"not found", "edited line"))
    s.step("line editing: Left and Backspace in the middle, then insert", edit_backspace_left)

    def edit_right():
        # "eho rightok": Left to the start, Right once, insert c.
        c.mark = len(c.text)
        c.type("eho rightok")
        for _ in range(len("eho rightok")):
            c.key(LEFT, 0.05)
        c.key(RIGHT)
        c.type("c", echo=False)
        c.mark = len(c.text)
        c.send(ENTER)
        return want(c.finish(), r"^rightok$", "Right arrow")
    s.step("line editing: Right arrow", edit_right)

    def ctrl_u():
        c.mark = len(c.text)
        c.type("garbage words")
        c.key(CTRL_U)
        c.type("echo afteru")
        c.mark = len(c.text)
        c.send(ENTER)
        out = c.finish()
        return first(want(out, r"^afteru$", "after Ctrl-U"), want_not(out, r"garbage", "after Ctrl-U"))
    s.step("line editing: Ctrl-U clears the line", ctrl_u)

    def ctrl_c_line():
        c.mark = len(c.text)
        c.type("echo abandoned")
        c.send(CTRL_C)
        c.expect(r"\^C\n")
        c.expect(PROMPT, 10)
        out = c.run("echo fresh")
        why = want(out, r"^fresh$", "the line after Ctrl-C")
        return why or want_not(c.text[c.mark - 200:], r"^abandoned$", "Ctrl-C")
    s.step("line editing: Ctrl-C abandons the line", ctrl_c_line)

    def history():
        c.run("echo hist1")
        c.run("echo hist2")
        c.mark = len(c.text)
        c.key(UP)
        c.key(UP)
        c.key(UP)
        c.key(DOWN)
        c.mark = len(c.text)
        c.send(ENTER)
        out = c.finish()
        why = want(out, r"^hist1$", "Up Up Up Down recalls echo hist1")
        if why:
            return why
        c.key(UP)
        c.mark = len(c.text)
        c.send(ENTER)
        return want(c.finish(), r"^hist1$", "Up recalls the last line")
    s.step("line editing: Up/Down recall history", history)

    def long_line():
        # Far past the 1024-character limit: the extra keys are refused and
        # the shell carries on.
        c.mark = len(c.text)
        c.type("echo " + "x" * 1100, echo=False)
        c.settle(1.0)
        c.mark = len(c.text)
        c.send(ENTER)
        out = c.finish()
        n = max((len(l) for l in lines(out) if re.fullmatch(r"x+", l)), default=0)
        if n != 1024 - len("echo "):
            return "expected a line of %d x, the longest has %d" % (1024 - 5, n)
        return want(c.run("echo alive"), r"^alive$", "the shell after a long line")
    s.step("an over-long line is capped and the shell goes on", long_line)

    # ---- non-ASCII input (UTF-8) ----
    def utf8_names():
        # Typed, not pasted: the names reach the shell whole and the files
        # get them (check-shell-images.sh reads them back with mtools).
        out = c.run('echo 日本語のテキスト > "/host/日本語.txt"')
        if out.strip():
            return "echo > printed %r" % out
        out = c.run('cp "/host/日本語.txt" "/host/コピー.txt"')
        if out.strip():
            return "cp printed %r" % u8(out)
        return first(want(u8(c.run('cat "/host/コピー.txt"')), r"^日本語のテキスト$", "cat of the copy"),
                     want(u8(c.run("ls /host")), r"日本語\.txt", "ls /host"),
                     want(u8(c.run("ls /host")), r"コピー\.txt", "ls /host"))
    s.step('cp "/host/日本語.txt" "/host/コピー.txt" typed at the console', utf8_names)

    def utf8_editing():
        # One key per character, whatever its bytes: Left, Backspace,
        # insertion in the middle, Ctrl-U and history all step over whole
        # (double-width) characters.
        c.mark = len(c.text)
        c.type("echo 日語X")
        c.key(LEFT, 0.05)
        c.key(LEFT, 0.05)
        c.type("本", echo=False)          # between 日 and 語
        c.key(RIGHT, 0.05)
        c.key(BACKSPACE)                   # removes 語, not one of its bytes
        c.mark = len(c.text)
        c.send(ENTER)
        why = want(u8(c.finish()), r"^日本X$", "editing a line with CJK characters")
        if why:
            return why
        c.key(UP)                          # the same line back from the history
        c.type(" é", echo=False)
        c.mark = len(c.text)
        c.send(ENTER)
        why = want(u8(c.finish()), r"^日本X é$", "history recall of a UTF-8 line")
        if why:
            return why
        c.mark = len(c.text)
        c.type("漢字漢字")
        c.key(CTRL_U)
        c.type("echo after")
        c.mark = len(c.text)
        c.send(ENTER)
        return want(c.finish(), r"^after$", "Ctrl-U on a UTF-8 line")
    s.step("line editing: UTF-8 characters are one cursor step and one backspace", utf8_editing)

    def utf8_invalid():
        # Broken UTF-8 (a stray continuation byte, a cut-off sequence, an
        # overlong form, a surrogate) is dropped; what is well-formed stays.
        c.mark = len(c.text)
        c.type("echo a")
        for bad in ("\x80", "\xe6\x97", "\xc0\xaf", "\xed\xa0\x80", "\xff"):
            c.send(bad)
            c.settle(0.3)
        c.type("b")
        c.mark = len(c.text)
        c.send(ENTER)
        return want(c.finish(), r"^ab$", "a line with invalid UTF-8 typed into it")
    s.step("invalid UTF-8 input is dropped, the line survives", utf8_invalid)

    def syntax_errors():
        return first(want(c.run("echo a | b"), r"^syntax error: pipes '\|' are not supported$", "a pipe"),
                     want(c.run("echo x >"), r"^syntax error: missing file name after '>'$", "> alone"),
                     want(c.run("utest exit 1 > /f.txt"),
                          r"^utest: output redirection works only for built-in commands$", "program > file"))
    s.step("unsupported syntax is refused with a message", syntax_errors)

    def garbage():
        # Random bytes, control characters and broken escape sequences
        # included (but no Enter, and no Ctrl-A: QEMU's -nographic escape).
        rnd = random.Random(1234)
        junk = "".join(chr(b) for b in (rnd.randrange(256) for _ in range(400)) if b not in (0x01, 0x0a, 0x0d))
        c.mark = len(c.text)
        for i in range(0, len(junk), CHUNK):
            c.send(junk[i:i + CHUNK])
            c.settle(0.02)
        c.settle(0.5)
        c.key(CTRL_C)
        c.expect(PROMPT, 10)
        return want(c.run("echo alive"), r"^alive$", "the shell after random keys")
    s.step("random keys do not upset the shell", garbage)

    # ---- the end ----
    def shutdown():
        c.mark = len(c.text)
        c.type("shutdown")
        c.send(ENTER)
        end = time.monotonic() + c.remaining(SHUTDOWN_TIMEOUT)
        while c.proc.poll() is None and time.monotonic() < end:
            c.pump(0.2)
        rc = c.proc.poll()
        if rc is None:
            raise Timeout("QEMU still running %d s after shutdown" % SHUTDOWN_TIMEOUT)
        drain = time.monotonic() + 5  # what QEMU printed just before it exited
        while not c.eof and time.monotonic() < drain:
            c.pump(0.2)
        why = want(c.text[c.mark:], r"file systems flushed", "shutdown message")
        return why or (None if rc == 0 else "QEMU exited with status %d" % rc)
    s.step("shutdown powers off with status 0", shutdown)


if __name__ == "__main__":
    sys.exit(main())
