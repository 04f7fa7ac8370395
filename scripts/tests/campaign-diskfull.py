#!/usr/bin/env python3
"""The disk-full campaign (docs/RELIABILITY.md): /bin/diskfill.elf fills
/host and / until -ENOSPC, checks every acknowledged byte, deletes and
checks the free space is back; first through fat32d, then (second boot,
with fat32d.elf renamed away on the system disk so init does not start it)
through the in-kernel FAT32. fsck.fat -n must be clean after each boot.

Usage: campaign-diskfull.py ARCH BUILD -- QEMU_COMMAND...  (HTTP_PORT,
TELNET_PORT; CAMPAIGN_SCALE=long: 20 fill cycles per file system and path).
Prints `diskfull-ARCH: N passed, M failed`."""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import campaign  # noqa: E402

arch, build = sys.argv[1], sys.argv[2]
qemu = sys.argv[sys.argv.index("--") + 1:]
cycles = 20 if campaign.scale() == "long" else 1
results = None
total_bytes = 0


def fill(m, path, how):
    global total_bytes
    try:
        out = m.run("diskfill %s %d" % (path, cycles), 120 + 300 * cycles)
    except campaign.shell.Timeout as e:
        return m.check("%s fills up to -ENOSPC %s" % (path, how), False, str(e))
    for l in out.splitlines():
        if l.startswith("diskfill:"):
            print(l)
        b = re.search(r"cycle \d+: (\d+) bytes", l)
        if b:
            total_bytes += int(b.group(1))
    return m.check("%s fills up to -ENOSPC %s: acknowledged bytes read back, space back after delete" % (path, how),
                   "diskfill: passed" in out)


def boot(name, how, expect_fat32d):
    m = campaign.Machine(name, qemu, build, 1200 + 1200 * cycles)
    m.results = results or m.results
    if m.boot() if expect_fat32d else m_boot_kernel(m):
        fill(m, "/host", how)
        fill(m, "/", how)
        if not m.faulted():
            m.still_serves(how)
            m.shutdown_and_fsck()
    if m.con.proc.poll() is None:
        m.con.close()
    return m


def m_boot_kernel(m):
    """Boot without fat32d: the kernel's own FAT32 serves / and /host."""
    try:
        m.con.expect(campaign.shell.PROMPT, campaign.shell.BOOT_TIMEOUT)
        m.wait_http(120)
    except (campaign.shell.Timeout, OSError) as e:
        return m.check("boots without fat32d", False, str(e))
    return m.check("boots without fat32d (the in-kernel FAT32 serves)", "fat32d" not in m.services())


first = boot("diskfull-%s" % arch, "through fat32d", True)
results = first.results
disk = first.images[0]
r = subprocess.run(["mmove", "-i", disk + "@@1M", "::/bin/fat32d.elf", "::/bin/fat32d.off"],
                   capture_output=True, text=True)
if first.check("fat32d.elf renamed away on the system disk", r.returncode == 0, r.stderr):
    second = boot("diskfull-kernel-%s" % arch, "through the in-kernel FAT32", False)
    subprocess.run(["mmove", "-i", disk + "@@1M", "::/bin/fat32d.off", "::/bin/fat32d.elf"], capture_output=True)
    second.check("no kernel fault", not second.faulted(), second.con.tail() if second.faulted() else "")
print("diskfull: %d MiB written until full in all" % (total_bytes >> 20))
first.finish()
