#!/usr/bin/env python3
"""The exhaustion campaign (docs/RELIABILITY.md): /bin/exhaust.elf takes
processes, memory (mmap, brk), IPC queues, pipes, handles and sockets until
the system refuses each with its error; afterwards nothing has faulted, no
service died, the kernel heap and frames are back at their baseline and the
shell, files and HTTP still work; fsck.fat is clean after shutdown.

Usage: campaign-exhaust.py ARCH BUILD -- QEMU_COMMAND...  (HTTP_PORT,
TELNET_PORT; CAMPAIGN_SCALE=long: 20 passes with 1000 socket rounds each;
EXHAUST_PASSES=N).
Prints `exhaust-ARCH: N passed, M failed`."""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import campaign  # noqa: E402

arch, build = sys.argv[1], sys.argv[2]
qemu = sys.argv[sys.argv.index("--") + 1:]
long_run = campaign.scale() == "long"
passes, rounds = (20, 1000) if long_run else (1, 20)
passes = int(os.environ.get("EXHAUST_PASSES", passes))
m = campaign.Machine("exhaust-%s" % arch, qemu, build, 3600 * 6 if long_run else 1500)
try:
    if m.boot():
        m.run("exhaust 1", 600)  # warm-up: first-use allocations are not leaks
        m.still_serves("before")
        base = m.mem()
        services = m.services()
        start = time.monotonic()
        for i in range(passes):
            try:
                out = m.run("exhaust %d" % rounds, 600 + rounds)
            except campaign.shell.Timeout as e:
                m.check("exhaust pass %d finishes" % i, False, "%s\n%s" % (e, m.con.tail()))
                break
            bad = [l for l in out.splitlines() if l.startswith("exhaust:") and "FAIL" in l]
            if i == 0 or bad:
                for l in out.splitlines():
                    if l.startswith("exhaust:"):
                        print(l)
            m.check("exhaust pass %d: every resource refused with its error, all given back" % (i + 1),
                    "exhaust: passed" in out, "\n".join(bad))
            if m.faulted():
                break
        print("exhaust: %d passes in %.0f s" % (passes, time.monotonic() - start))
        if not m.faulted():
            m.check_services("while resources ran out", services)
            m.still_serves("after")
            if base:
                m.check_mem("after the hogs exited", base)
            m.shutdown_and_fsck()
finally:
    m.finish()
