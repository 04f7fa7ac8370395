#!/usr/bin/env python3
"""The corrupt-disk campaign (docs/RELIABILITY.md): hostfs.img, filled with
long names and subdirectories, is damaged by corrupt-image.py with one
seed per boot; the guest walks /host (fswalk: read everything, try a write)
and must not fault; every bad entry gives an error; if fat32d crashes, init
restarts it; / stays usable and httpd answers.

Usage: campaign-corrupt.py ARCH BUILD -- QEMU_COMMAND...  (HTTP_PORT,
TELNET_PORT; CORRUPT_SEEDS=N, CORRUPT_FIRST=S; CAMPAIGN_SCALE=long: 300
seeds). Prints `corrupt-ARCH: N passed, M failed`."""
import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import campaign  # noqa: E402

arch, build = sys.argv[1], sys.argv[2]
qemu = sys.argv[sys.argv.index("--") + 1:]
here = os.path.dirname(os.path.abspath(__file__))
nseeds = int(os.environ.get("CORRUPT_SEEDS", 300 if campaign.scale() == "long" else 6))
first = int(os.environ.get("CORRUPT_FIRST", 1))
hostfs = campaign.shell.qemu_disk(qemu, 1)
base = os.path.join(build, "corrupt-base.img")
shutil.copyfile(os.path.join(build, "hostfs.img"), base)
subprocess.run([sys.executable, os.path.join(here, "corrupt-image.py"), "--populate", base], check=True)

results = campaign.checks.Checks("corrupt-%s" % arch)
crashes, walks, errors, faults = [], 0, 0, 0
start = time.monotonic()
for seed in range(first, first + nseeds):
    shutil.copyfile(base, hostfs)
    damage = subprocess.run([sys.executable, os.path.join(here, "corrupt-image.py"), str(seed), hostfs],
                            capture_output=True, text=True).stdout.strip().replace("\n", "; ")
    m = campaign.Machine("corrupt-%s" % arch, qemu, build, 900)
    m.results = results
    what = "seed %d (%s)" % (seed, damage)
    try:
        m.con.expect(campaign.shell.PROMPT, campaign.shell.BOOT_TIMEOUT)
        m.wait_http(120)
        before = m.services()
        out = m.run("fswalk /host", 300)
        summary = re.search(r"fswalk: /host: .* (\d+) errors", out)
        walks += summary is not None
        errors += int(summary.group(1)) if summary else 0
        wrong = [l for l in out.splitlines() if "WRONG" in l]
        hello = m.run("cat /HELLO.TXT")
        after = m.services()
        if before.get("fat32d") != after.get("fat32d"):
            crashes.append(seed)
        ok = summary is not None and not wrong and "Hello from FAT32!" in hello and "fat32d" in after
        m.http("/HELLO.TXT", 30)
        try:
            m.http("/host/", 60)
        except OSError as e:  # an error status is fine; no answer is not
            if not hasattr(e, "code"):
                raise
        m.check("%s: walked (%s), / usable, fat32d %s, httpd answers" %
                (what, summary.group(0)[8:] if summary else "no summary",
                 "restarted by init" if seed in crashes else "alive"), ok and not m.faulted(),
                "\n".join(wrong) or out[-1500:])
    except (campaign.shell.Timeout, OSError) as e:
        m.check("%s: the system answers" % what, False, "%s\n%s" % (e, m.con.tail()))
    if m.faulted():
        faults += 1
        m.check("%s: no kernel fault" % what, False, m.con.tail())
    m.con.close()
print("corrupt: %d images, %d walks completed, %d errors reported, fat32d restarted for seeds %s, %d kernel faults, "
      "%.0f s" % (nseeds, walks, errors, crashes or "none", faults, time.monotonic() - start))
results.finish()
