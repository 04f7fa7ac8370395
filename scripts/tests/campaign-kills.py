#!/usr/bin/env python3
"""The kill campaign (docs/RELIABILITY.md): while three appenders write
numbered records (two on /host, one on /), a reader re-reads /BIG.BIN and
the host downloads /BIG.BIN over HTTP without pause, the shell kills
fat32d or netd (seeded choice and moment) again and again. After each kill
init must restart it and HTTP and telnet must work again. At the end every
acknowledged record must be on disk exactly once and in order (checked on
the images with mtools), every download that completed must be intact, and
fsck.fat -n must be clean.

Usage: campaign-kills.py ARCH BUILD -- QEMU_COMMAND...  (HTTP_PORT,
TELNET_PORT; KILLS=N, KILL_SEED=S; CAMPAIGN_SCALE=long: 300 kills).
Prints `kills-ARCH: N passed, M failed`."""
import os
import random
import re
import subprocess
import sys
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import campaign  # noqa: E402

arch, build = sys.argv[1], sys.argv[2]
qemu = sys.argv[sys.argv.index("--") + 1:]
long_run = campaign.scale() == "long"
kills = int(os.environ.get("KILLS", 300 if long_run else 6))
seed = int(os.environ.get("KILL_SEED", 1))
rng = random.Random(seed)
RECORD = 48
WRITERS = [("A", "/host/A.LOG", 1), ("B", "/host/B.LOG", 1), ("C", "/C.LOG", 0)]

with open(os.path.join(build, "BIG.BIN"), "rb") as f:
    big = f.read()
m = campaign.Machine("kills-%s" % arch, qemu, build, 900 + kills * 120)
stop = threading.Event()
downloads = {"ok": 0, "failed": 0, "corrupt": 0, "bytes": 0}


def downloader():
    while not stop.is_set():
        try:
            url = "http://127.0.0.1:%d/BIG.BIN" % m.http_port
            with urllib.request.urlopen(url, timeout=60) as r:
                data = r.read()
            if data == big:
                downloads["ok"] += 1
                downloads["bytes"] += len(data)
            else:
                downloads["corrupt"] += 1
        except Exception:
            downloads["failed"] += 1  # netd killed mid-transfer: the client sees an error, then retries
            time.sleep(0.5)


def wait_until(fn, timeout):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if fn():
                return True
        except Exception:
            pass
        m.con.settle(0.5)
    return False


try:
    if m.boot():
        for wid, path, _ in WRITERS:
            m.run("appender write %s %s /host/STOP &" % (path, wid))
        m.run("appender read /BIG.BIN /host/STOP &")
        threads = [threading.Thread(target=downloader, daemon=True) for _ in range(2)]
        for t in threads:
            t.start()
        start = time.monotonic()
        came_back = 0
        for k in range(kills):
            m.con.settle(rng.uniform(0.2, 2.5))
            victim = rng.choice(["fat32d", "netd"])
            pid = m.services().get(victim)
            if not pid:
                m.check("kill %d: %s is running" % (k + 1, victim), False)
                continue
            m.run("kill %d" % pid)
            back = wait_until(lambda: m.services().get(victim) not in (None, pid), 60)
            http = wait_until(lambda: m.http("/HELLO.TXT", 10).startswith(b"Hello"), 90)
            telnet = wait_until(lambda: campaign.telnet_session(m.telnet_port, "echo back-%d" % k,
                                                                "back-%d\r\n" % k, 20), 90)
            ok = back and http and telnet
            came_back += ok
            if not ok or k < 3 or (k + 1) % 50 == 0:
                m.check("kill %d of %s: init restarted it (%s), HTTP (%s) and telnet (%s) came back" %
                        (k + 1, victim, back, http, telnet), ok)
            if m.faulted():
                break
        m.check("%d of %d kills: the service, HTTP and telnet came back each time" % (came_back, kills),
                came_back == kills)
        m.run("echo stop > /host/STOP")
        wait_until(lambda: len(re.findall(r"appender (?:[ABC]|read): \d+", m.con.text)) >= 4, 120)
        stop.set()
        for t in threads:
            t.join(90)
        secs = time.monotonic() - start
        summaries = re.findall(r"appender [^\n]*", m.con.text)
        for l in summaries:
            print(l.strip())
        acked = {w: int(n) for w, n in re.findall(r"appender ([ABC]): (\d+) records acknowledged", m.con.text)}
        m.check("the writers and the reader stopped without a failure",
                len(acked) == 3 and "appender read:" in m.con.text and "FAIL" not in "".join(summaries))
        # How many complete depends on the machine's speed (a slow one may
        # see every download cut by the next kill); none may be corrupt, and
        # still_serves() below downloads it whole once the kills are over.
        m.check("downloads while killing: %d whole and intact (%d MiB), %d cut by a kill and retried, %d corrupt" %
                (downloads["ok"], downloads["bytes"] >> 20, downloads["failed"], downloads["corrupt"]),
                downloads["corrupt"] == 0)
        print("kills: %d kills in %.0f s" % (kills, secs))
        if not m.faulted():
            m.still_serves("after the kills")
            m.shutdown_and_fsck()
            for wid, path, dev in WRITERS:
                on_image = path[len("/host"):] if dev == 1 else path
                r = subprocess.run(["mtype", "-i", m.images[dev] + "@@1M", "::" + on_image], capture_output=True,
                                   env=dict(os.environ, MTOOLS_SKIP_CHECK="1"))
                data = r.stdout
                want = acked.get(wid, -1)
                recs = [data[i:i + RECORD] for i in range(0, len(data), RECORD)]
                seqs = [int(x.split()[1]) for x in recs if len(x) == RECORD and x.startswith(wid.encode() + b" ")]
                ok = len(data) == want * RECORD and seqs == list(range(want))
                m.check("%s: all %d acknowledged records on disk exactly once, in order (%d bytes)" %
                        (path, want, len(data)), ok, "records %d, first bad at %s" %
                        (len(seqs), next((i for i, s in enumerate(seqs) if s != i), None)))
finally:
    stop.set()
    m.finish()
