#!/usr/bin/env python3
"""The syscall fuzzer campaign (docs/RELIABILITY.md): at the shell,
`sysfuzz SEED CALLS` issues random system calls with hostile arguments from
an unprivileged process; then the kernel must not have faulted, the kernel
heap and free frames must be back where they were before, the shell, files
and HTTP must still work and fsck.fat must be clean after shutdown.

Usage: campaign-sysfuzz.py ARCH BUILD -- QEMU_COMMAND...   (HTTP_PORT, TELNET_PORT
set; CAMPAIGN_SCALE=long for the long run; SYSFUZZ_SEED, SYSFUZZ_CALLS
override). Prints `sysfuzz-ARCH: N passed, M failed`."""
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import campaign  # noqa: E402

arch, build = sys.argv[1], sys.argv[2]
qemu = sys.argv[sys.argv.index("--") + 1:]
long_run = campaign.scale() == "long"
calls = int(os.environ.get("SYSFUZZ_CALLS", 10_000_000 if long_run else 100_000))
seed = int(os.environ.get("SYSFUZZ_SEED", 1 if not long_run else int(time.time())))
# Generous: a loaded machine runs QEMU several times slower.
budget = 3600 * 30 if long_run else 1500
m = campaign.Machine("sysfuzz-%s" % arch, qemu, build, budget + 600)
try:
    if m.boot():
        # A short warm-up first (another seed, and the checks below): what
        # the first calls allocate for good (fat32d's cache of the scratch
        # directory, the buffers of the httpd worker that sends BIG.BIN) is
        # not a leak.
        m.run("sysfuzz %d 2000" % (seed + 1), 300)
        m.still_serves("before the fuzzer")
        base = m.mem()
        start = time.monotonic()
        try:
            out = m.run("sysfuzz %d %d" % (seed, calls), budget)
        except campaign.shell.Timeout as e:
            out = ""
            m.check("sysfuzz finishes", False, "%s\n%s" % (e, m.con.tail()))
        secs = time.monotonic() - start
        summary = [l for l in out.splitlines() if l.startswith("sysfuzz: ") and ("calls," in l or "heap" in l)]
        for l in summary:
            print(l)
        done = re.search(r"sysfuzz: (\d+) calls", out)
        m.check("sysfuzz made %s of %d calls (seed %d) in %.0f s" % (done and done.group(1), calls, seed, secs),
                done is not None and int(done.group(1)) >= calls)
        m.check("every batch ended or was stopped, none crashed, nothing leaked (sysfuzz: passed)",
                "sysfuzz: passed" in out, "\n".join(l for l in out.splitlines() if "FAIL" in l or "LEAK" in l))
        if m.faulted():
            batches = re.findall(r"sysfuzz: batch (\d+)\n", m.con.text)
            b = batches[-1] if batches else "?"
            print("sysfuzz: the kernel faulted in batch %s of seed %d: replay with `sysfuzz run %d %s 2000 v`"
                  % (b, seed, seed, b))
        else:
            m.still_serves("after the fuzzer")
            if base:
                m.check_mem("after the fuzzer, from the shell", base)
            m.shutdown_and_fsck()
finally:
    m.finish()
