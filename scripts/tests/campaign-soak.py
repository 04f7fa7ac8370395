#!/usr/bin/env python3
"""The soak campaign (docs/RELIABILITY.md): many HTTP requests (8 at a time,
each on a new connection, scripts/tests/http-load.py) and many telnet
sessions opened, used and closed (2 at a time); afterwards the kernel heap
and frames, netd's client table and the process list are back where they
were, no service died, and fsck.fat is clean after shutdown.

Usage: campaign-soak.py ARCH BUILD -- QEMU_COMMAND...  (HTTP_PORT,
TELNET_PORT; SOAK_HTTP=N, SOAK_TELNET=N; CAMPAIGN_SCALE=long: 100000 and
1000). Prints `soak-ARCH: N passed, M failed`."""
import concurrent.futures
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import campaign  # noqa: E402

arch, build = sys.argv[1], sys.argv[2]
qemu = sys.argv[sys.argv.index("--") + 1:]
here = os.path.dirname(os.path.abspath(__file__))
long_run = campaign.scale() == "long"
n_http = int(os.environ.get("SOAK_HTTP", 100000 if long_run else 2000))
n_telnet = int(os.environ.get("SOAK_TELNET", 1000 if long_run else 40))
ROUND_HTTP = 5000
m = campaign.Machine("soak-%s" % arch, qemu, build, 1800 + n_http // 20 + n_telnet * 5)
hello = os.path.join(here, "..", "image", "disk", "HELLO.TXT")


def http_load(n):
    r = subprocess.run([sys.executable, os.path.join(here, "http-load.py"),
                        "http://127.0.0.1:%d/HELLO.TXT" % m.http_port, hello, str(n), "8"],
                       capture_output=True, text=True)
    return r.returncode == 0, r.stdout.strip()


def telnet_one(i):
    try:
        return campaign.telnet_session(m.telnet_port, "echo soak-%d" % i, "soak-%d\r\n" % i, 60)
    except OSError:
        return False


def telnet_many(n, first):
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        return sum(pool.map(telnet_one, range(first, first + n)))


def clients():
    c = re.search(r"(\d+) clients with sockets", m.run("ifconfig"))
    return int(c.group(1)) if c else None


def nprocs():
    return len([l for l in m.run("ps").splitlines() if re.match(r"\s*\d+\s+\d+", l)])


try:
    if m.boot():
        http_load(200)  # warm-up: first-use allocations are not leaks
        telnet_many(4, 0)
        m.con.settle(3)
        base, base_clients, base_procs, services = m.mem(), clients(), nprocs(), m.services()
        start = time.monotonic()
        done_http = bad_http = done_telnet = 0
        while done_http < n_http or done_telnet < n_telnet:
            k = min(ROUND_HTTP, n_http - done_http)
            if k > 0:
                ok, out = http_load(k)
                if not ok:
                    bad_http += 1
                    print(out)
                done_http += k
            t = min(max(1, n_telnet * ROUND_HTTP // max(n_http, 1)), n_telnet - done_telnet)
            if t > 0:
                good = telnet_many(t, done_telnet + 10)
                m.check("telnet sessions %d..%d: all opened, answered and closed" % (done_telnet + 1, done_telnet + t),
                        good == t, "%d of %d" % (good, t))
                done_telnet += t
            print("soak: %d HTTP requests, %d telnet sessions, %.0f s" % (done_http, done_telnet,
                                                                        time.monotonic() - start), flush=True)
            if m.faulted():
                break
        m.check("%d HTTP requests, every answer 200 with the right body" % done_http, bad_http == 0)
        if not m.faulted():
            end = time.monotonic() + 60
            while (clients() != base_clients or nprocs() != base_procs) and time.monotonic() < end:
                m.con.settle(2)
            now_clients, now_procs = clients(), nprocs()
            m.check("netd's client table is back at its baseline (%s -> %s clients)" % (base_clients, now_clients),
                    now_clients == base_clients)
            m.check("the process list is back at its baseline (%d -> %d processes)" % (base_procs, now_procs),
                    now_procs == base_procs)
            m.check_services("during the soak", services)
            if base:
                m.check_mem("after the soak", base, 60)
            m.shutdown_and_fsck()
finally:
    m.finish()
