#!/usr/bin/env python3
"""Damages a FAT32 disk image (MBR + one partition at 1 MiB, as
scripts/mkimages.sh builds them) in seeded ways, for the corrupt-disk
campaign (docs/RELIABILITY.md). The same seed gives the same damage.

Usage: corrupt-image.py SEED IMAGE      (changes IMAGE in place; prints
                                         one line per change)
       corrupt-image.py --populate IMAGE   adds a tree of files with long
                                         names and subdirectories (mtools)

Kinds of damage (1 to 3 per seed): BPB fields (sector size, cluster size,
reserved sectors, FAT count and size, root cluster, total sectors,
signature), the MBR partition entry, FSInfo, FAT entries (free or bad in
the middle of a chain, loops, cross links, out of range, the two FATs
disagreeing), short directory entries (size, first cluster, attributes,
names, `.` and `..`), long-name entries (checksum, order, orphans, missing
terminator, huge ordinals) and random bytes in the metadata. Python 3
standard library only."""
import os
import random
import struct
import subprocess
import sys

PART = 1 << 20


class Volume:
    def __init__(self, path):
        self.f = open(path, "r+b")
        b = self.read(PART, 512)
        self.bps = struct.unpack_from("<H", b, 11)[0]
        self.spc = b[13]
        self.rsvd = struct.unpack_from("<H", b, 14)[0]
        self.nfats = b[16]
        self.fatsz = struct.unpack_from("<I", b, 36)[0]
        self.root = struct.unpack_from("<I", b, 44)[0]
        self.fsinfo = struct.unpack_from("<H", b, 48)[0]
        self.total = struct.unpack_from("<I", b, 32)[0]
        self.fat_off = PART + self.rsvd * self.bps
        self.data_off = self.fat_off + self.nfats * self.fatsz * self.bps
        self.csize = self.spc * self.bps
        self.nclusters = (self.total - self.rsvd - self.nfats * self.fatsz) // self.spc

    def read(self, off, n):
        self.f.seek(off)
        return self.f.read(n)

    def write(self, off, data):
        self.f.seek(off)
        self.f.write(data)

    def fat(self, c):
        return struct.unpack("<I", self.read(self.fat_off + 4 * c, 4))[0] & 0x0FFFFFFF

    def set_fat(self, c, v, copies=None):
        for i in (copies if copies is not None else range(self.nfats)):
            self.write(self.fat_off + i * self.fatsz * self.bps + 4 * c, struct.pack("<I", v))

    def cluster_off(self, c):
        return self.data_off + (c - 2) * self.csize

    def chain(self, c, limit=100000):
        out = []
        while 2 <= c < self.nclusters + 2 and c not in out and len(out) < limit:
            out.append(c)
            c = self.fat(c)
        return out

    def entries(self):
        """(offset, raw 32 bytes, is_dir_cluster_of) of every directory
        entry reachable from the root (breadth first)."""
        found, todo, seen = [], [self.root], set()
        while todo:
            d = todo.pop(0)
            if d in seen:
                continue
            seen.add(d)
            for c in self.chain(d, 64):
                for i in range(0, self.csize, 32):
                    off = self.cluster_off(c) + i
                    e = self.read(off, 32)
                    if e[0] == 0:
                        break
                    found.append((off, e))
                    if e[11] != 0x0F and e[11] & 0x10 and e[0] not in (0x2E, 0xE5):
                        hi, lo = struct.unpack_from("<H", e, 20)[0], struct.unpack_from("<H", e, 26)[0]
                        todo.append(hi << 16 | lo)
        return found


def damage_bpb(v, rng):
    field = rng.choice([
        (11, "<H", [0, 1, 256, 513, 1024, 4096, 65535], "bytes per sector"),
        (13, "B", [0, 3, 127, 128, 255], "sectors per cluster"),
        (14, "<H", [0, 1, 65535], "reserved sectors"),
        (16, "B", [0, 3, 255], "FAT count"),
        (36, "<I", [0, 1, 0xFFFFFFFF, v.fatsz * 1000], "FAT size"),
        (44, "<I", [0, 1, 0x0FFFFFF8, v.nclusters + 5, 0xFFFFFFFF], "root cluster"),
        (32, "<I", [0, 100, 0xFFFFFFFF, v.total * 4], "total sectors"),
        (510, "<H", [0, 0x1234], "boot signature"),
        (48, "<H", [0, 0xFFFF, v.total], "FSInfo sector"),
    ])
    off, fmt, values, name = field
    val = rng.choice(values)
    v.write(PART + off, struct.pack(fmt, val))
    return "BPB %s = %#x" % (name, val)


def damage_mbr(v, rng):
    off, val, name = rng.choice([(446 + 4, 0x00, "type"), (446 + 4, 0x83, "type"),
                                 (446 + 8, 0xFFFFFFF0, "start"), (446 + 8, 0, "start"),
                                 (446 + 12, 1, "size"), (446 + 12, 0xFFFFFFFF, "size")])
    v.write(off, struct.pack("<B" if name == "type" else "<I", val))
    return "MBR partition %s = %#x" % (name, val)


def damage_fsinfo(v, rng):
    off = PART + v.fsinfo * v.bps
    what = rng.choice(["free", "next", "sig"])
    if what == "free":
        v.write(off + 488, struct.pack("<I", rng.choice([0, 0xFFFFFFF0, v.nclusters * 2])))
    elif what == "next":
        v.write(off + 492, struct.pack("<I", rng.choice([0, 1, 0xFFFFFFF0, v.nclusters + 100])))
    else:
        v.write(off, b"XXXX")
    return "FSInfo %s" % what


def used_clusters(v):
    cs = [c for c in range(2, min(v.nclusters + 2, 20000)) if v.fat(c) != 0]
    return cs or [v.root]


def damage_fat(v, rng):
    cs = used_clusters(v)
    c = rng.choice(cs)
    kind = rng.choice(["free", "bad", "self", "loop", "cross", "range", "one", "copy"])
    if kind == "free":
        v.set_fat(c, 0)
    elif kind == "bad":
        v.set_fat(c, 0x0FFFFFF7)
    elif kind == "self":
        v.set_fat(c, c)
    elif kind == "loop":
        v.set_fat(c, rng.choice(cs))
    elif kind == "cross":
        v.set_fat(c, rng.choice(cs))
    elif kind == "range":
        v.set_fat(c, rng.choice([v.nclusters + 2, v.nclusters + 1000, 0x0FFFFFF0]))
    elif kind == "one":
        v.set_fat(c, 1)
    else:
        v.set_fat(c, rng.randrange(0, 1 << 28), copies=[v.nfats - 1] if v.nfats > 1 else [0])
    return "FAT[%d] %s" % (c, kind)


def damage_short(v, rng, ents):
    shorts = [(o, e) for o, e in ents if e[11] != 0x0F and e[0] != 0xE5]
    if not shorts:
        return damage_fat(v, rng)
    off, e = rng.choice(shorts)
    e = bytearray(e)
    kind = rng.choice(["size", "cluster", "cluster0", "attr_dir", "attr_file", "name", "end", "deleted",
                       "dotdot", "self"])
    if kind == "size":
        struct.pack_into("<I", e, 28, rng.choice([0xFFFFFFFF, 0x7FFFFFFF, 1, 0x100000]))
    elif kind in ("cluster", "cluster0"):
        c = 0 if kind == "cluster0" else rng.choice([1, v.nclusters + 2, 0x0FFFFFFF, rng.choice(used_clusters(v))])
        struct.pack_into("<H", e, 20, c >> 16)
        struct.pack_into("<H", e, 26, c & 0xFFFF)
    elif kind == "attr_dir":
        e[11] |= 0x10
    elif kind == "attr_file":
        e[11] &= ~0x10
    elif kind == "name":
        e[rng.randrange(0, 11)] = rng.choice([0x05, ord("/"), ord(":"), ord("a"), 0x00, 0x7F, 0xFF, ord("\\")])
    elif kind == "end":
        e[0] = 0
    elif kind == "deleted":
        e[0] = 0xE5
    elif kind == "dotdot":
        e[0:11] = b"..         "
    else:
        e[0:11] = b".          "
    v.write(off, bytes(e))
    return "entry at %#x %s" % (off, kind)


def damage_lfn(v, rng, ents):
    lfns = [(o, e) for o, e in ents if e[11] == 0x0F]
    if not lfns:
        return damage_short(v, rng, ents)
    off, e = rng.choice(lfns)
    e = bytearray(e)
    kind = rng.choice(["checksum", "order", "first", "huge", "noterm", "orphan", "attr"])
    if kind == "checksum":
        e[13] ^= 0x5A
    elif kind == "order":
        e[0] = (e[0] & 0x40) | ((e[0] + rng.randrange(1, 5)) & 0x3F)
    elif kind == "first":
        e[0] ^= 0x40
    elif kind == "huge":
        e[0] = 0x40 | rng.choice([0x3F, 0x20, 0x15])
    elif kind == "noterm":
        for i in list(range(1, 11)) + list(range(14, 26)) + list(range(28, 32)):
            e[i] = 0x41 if i % 2 else 0x00
    elif kind == "orphan":
        # Delete the short entry that follows the long-name run.
        nxt = off + 32
        while nxt < off + 32 * 21 and v.read(nxt, 32)[11] == 0x0F:
            nxt += 32
        v.write(nxt, b"\xe5")
    else:
        e[11] = 0x2F
    v.write(off, bytes(e))
    return "long-name entry at %#x %s" % (off, kind)


def damage_random(v, rng):
    end = v.data_off + 4 * v.csize
    n = rng.randrange(1, 64)
    for _ in range(n):
        v.write(rng.randrange(PART, end), bytes([rng.randrange(256)]))
    return "%d random bytes in the metadata" % n


def corrupt(seed, path):
    rng = random.Random(seed)
    v = Volume(path)
    ents = v.entries()
    done = []
    for _ in range(rng.choice([1, 1, 2, 3])):
        kind = rng.choice(["bpb", "mbr", "fsinfo", "fat", "fat", "short", "short", "short", "lfn", "lfn",
                           "lfn", "random"])
        if kind == "bpb":
            done.append(damage_bpb(v, rng))
        elif kind == "mbr":
            done.append(damage_mbr(v, rng))
        elif kind == "fsinfo":
            done.append(damage_fsinfo(v, rng))
        elif kind == "fat":
            done.append(damage_fat(v, rng))
        elif kind == "short":
            done.append(damage_short(v, rng, ents))
        elif kind == "lfn":
            done.append(damage_lfn(v, rng, ents))
        else:
            done.append(damage_random(v, rng))
    v.f.close()
    return done


def populate(img):
    """Long names, nested directories, many entries, a multi-cluster file."""
    env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
    tmp = img + ".tree"
    os.makedirs(tmp + "/Docs/nested/deeper", exist_ok=True)
    os.makedirs(tmp + "/many", exist_ok=True)
    rnd = random.Random(7)
    files = {
        "Docs/A Long File Name With Spaces.text": 5000,
        "Docs/nested/deeper/file.dat": 70000,
        "Docs/ReadMe.txt": 1500,
        "Mixed Case Name.TXT": 2048,
        "big.bin": 300000,
        "empty.bin": 0,
    }
    for i in range(40):
        files["many/a rather long file name %02d.data" % i] = 64 + i
    for rel, size in files.items():
        os.makedirs(os.path.dirname(os.path.join(tmp, rel)) or tmp, exist_ok=True)
        with open(os.path.join(tmp, rel), "wb") as f:
            f.write(rnd.randbytes(size))
    for top in ("Docs", "many", "Mixed Case Name.TXT", "big.bin", "empty.bin"):
        subprocess.run(["mcopy", "-s", "-o", "-i", img + "@@1M", os.path.join(tmp, top), "::/"], check=True, env=env)
    subprocess.run(["rm", "-rf", tmp], check=True)


if __name__ == "__main__":
    if sys.argv[1] == "--populate":
        populate(sys.argv[2])
    else:
        for line in corrupt(int(sys.argv[1]), sys.argv[2]):
            print(line)
