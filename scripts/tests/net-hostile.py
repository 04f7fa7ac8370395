#!/usr/bin/env python3
"""Raw hostile frames: the guest's NIC is connected to this script instead
of QEMU's user network (-netdev socket over UDP: one datagram per Ethernet
frame). The script sends hundreds of malformed frames (truncated at every
length, bad checksums, bad lengths, bad options, fragments, oversize,
seeded garbage), then a well-formed ARP request and ICMP echo request:
netd must survive (not restarted), answer both, and have counted the
drops (ifconfig at the serial console).

Usage: net-hostile.py ARCH BUILD_DIR -- QEMU_COMMAND...  (without -netdev)
Prints one line per check and `net-hostile-ARCH: N passed, M failed`.
Python 3 standard library only."""
import os
import random
import re
import select
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import checks  # noqa: E402

session = checks.shell_session()

arch, build = sys.argv[1], sys.argv[2]
results = checks.Checks("net-hostile-%s" % arch)
check = results.check
qemu_argv = sys.argv[sys.argv.index("--") + 1:]
GUEST_MAC = bytes.fromhex("525400123456")
OUR_MAC = bytes.fromhex("52550a000202")
GUEST_IP, OUR_IP = socket.inet_aton("10.0.2.15"), socket.inet_aton("10.0.2.2")




def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def eth(payload, etype=0x0800, dst=GUEST_MAC):
    return dst + OUR_MAC + struct.pack("!H", etype) + payload


def ipv4(proto, payload, total=None, ihl=5, ver=4, frag=0, ttl=64, fix_csum=True, options=b""):
    total = 20 + len(options) + len(payload) if total is None else total
    h = struct.pack("!BBHHHBBH4s4s", ver << 4 | ihl, 0, total, 0x1234, frag, ttl, proto, 0, OUR_IP, GUEST_IP)
    h += options
    if fix_csum:
        h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def icmp_echo(ident, seq, data, good=True):
    m = struct.pack("!BBHHH", 8, 0, 0, ident, seq) + data
    c = csum(m) if good else 0xdead
    return m[:2] + struct.pack("!H", c) + m[4:]


def tcp(sport, dport, flags, doff=5, options=b"", good_csum=True):
    h = struct.pack("!HHIIBBHHH", sport, dport, 1000, 0, doff << 4, flags, 8192, 0, 0) + options
    pseudo = OUR_IP + GUEST_IP + struct.pack("!BBH", 0, 6, len(h))
    c = csum(pseudo + h) if good_csum else 0xbeef
    return h[:16] + struct.pack("!H", c) + h[18:]


def udp(sport, dport, data, length=None, good_csum=True):
    length = 8 + len(data) if length is None else length
    h = struct.pack("!HHHH", sport, dport, length, 0) + data
    pseudo = OUR_IP + GUEST_IP + struct.pack("!BBH", 0, 17, len(h))
    c = csum(pseudo + h) if good_csum else 0x1111
    return h[:6] + struct.pack("!H", c or 0xffff) + h[8:]


def arp(op, sha, spa, tha, tpa, hlen=6, plen=4):
    return struct.pack("!HHBBH", 1, 0x0800, hlen, plen, op) + sha + spa + tha + tpa


def hostile_frames():
    good_ping = eth(ipv4(1, icmp_echo(7, 1, b"x" * 32)))
    # Truncated at every length but 0: QEMU's socket backend takes an empty
    # datagram for the end of the connection and stops reading.
    frames = [good_ping[:n] for n in range(1, len(good_ping))]
    frames += [eth(ipv4(1, icmp_echo(7, 2, b"y" * 32), fix_csum=False))]  # IP checksum 0
    frames += [eth(ipv4(1, icmp_echo(7, 3, b"z" * 32), ver=6))]
    frames += [eth(ipv4(1, icmp_echo(7, 4, b"z" * 32), ihl=i)) for i in (0, 4, 15)]
    frames += [eth(ipv4(1, icmp_echo(7, 5, b"z" * 32), total=t)) for t in (0, 19, 21, 1500, 65535)]
    frames += [eth(ipv4(1, icmp_echo(7, 6, b"z" * 32), frag=f)) for f in (0x2000, 0x0001, 0x3fff)]
    frames += [eth(ipv4(1, icmp_echo(7, 7, b"z" * 32, good=False)))]    # ICMP checksum
    frames += [eth(ipv4(1, b"\x08"))]                                     # ICMP header cut
    frames += [eth(ipv4(1, icmp_echo(7, 8, b""), options=b"\x44\x00\x00\x00"))]  # bad IP option
    frames += [eth(ipv4(6, tcp(4000, 8080, 0x02, doff=d))) for d in (0, 4, 15)]
    frames += [eth(ipv4(6, tcp(4000, 8080, 0x02, doff=6, options=o)))
               for o in (b"\x02\x00\x05\xb4", b"\x02\x01\x05\xb4", b"\x02\x09\x05\xb4", b"\x03\x00\x00\x00")]
    frames += [eth(ipv4(6, tcp(4000, 8080, 0x02, good_csum=False)))]
    frames += [eth(ipv4(6, tcp(4000, 8080, f))) for f in (0x03, 0x3f, 0x00, 0x29)]  # SYN+FIN, all, none, xmas
    frames += [eth(ipv4(17, udp(5000, 53, b"q" * 20, length=l))) for l in (0, 7, 29, 9000)]
    frames += [eth(ipv4(17, udp(5000, 68, b"\x02" * 300, good_csum=False)))]
    frames += [eth(ipv4(17, udp(67, 68, b"\x02\x01\x06" + b"\xff" * 400)))]   # a hostile DHCP offer
    frames += [eth(arp(1, OUR_MAC, OUR_IP, b"\0" * 6, GUEST_IP, hlen=h)) for h in (0, 5, 16)]
    frames += [eth(arp(99, OUR_MAC, OUR_IP, b"\0" * 6, GUEST_IP))]
    frames += [eth(arp(1, OUR_MAC, OUR_IP, b"\0" * 6, GUEST_IP))[:n] for n in range(14, 41, 3)]
    frames += [eth(b"\xaa" * 100, etype=0x86dd), eth(b"", etype=0x0800)]
    frames += [eth(ipv4(1, icmp_echo(7, 9, b"o" * 1600))), eth(b"\x45" + b"\0" * 8999)]  # oversize
    rng = random.Random(9)
    for _ in range(300):
        body = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 200)))
        kind = rng.randrange(3)
        if kind == 0:
            frames.append(eth(body))
        elif kind == 1:
            frames.append(eth(ipv4(rng.choice((1, 6, 17)), body)))
        else:
            frames.append(eth(body, etype=0x0806))
    return frames


class Link:
    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        probe.bind(("127.0.0.1", 0))
        self.qemu_port = probe.getsockname()[1]
        probe.close()
        self.guest_frames = []
        self.peer = ("127.0.0.1", self.qemu_port)

    def send(self, frame):
        self.sock.sendto(frame, self.peer)

    def receive(self, timeout):
        """Frames from the guest; answers its ARP requests for 10.0.2.2."""
        r, _, _ = select.select([self.sock], [], [], timeout)
        if not r:
            return None
        f, self.peer = self.sock.recvfrom(65536)
        self.guest_frames.append(f)
        if len(f) >= 42 and f[12:14] == b"\x08\x06" and f[20:22] == b"\x00\x01" and f[38:42] == OUR_IP:
            self.send(eth(arp(2, OUR_MAC, OUR_IP, f[22:28], f[28:32]), etype=0x0806, dst=f[6:12]))
        return f

    def wait_for(self, match, timeout):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            f = self.receive(end - time.monotonic())
            if f is not None and match(f):
                return f
        return None


def dropped(con):
    m = re.search(r"(\d+) malformed dropped", con.run("ifconfig"))
    return int(m.group(1)) if m else -1


def main():
    link = Link()
    argv = qemu_argv + ["-netdev", "socket,id=net0,udp=127.0.0.1:%d,localaddr=127.0.0.1:%d" % (link.port, link.qemu_port),
                        "-device", "%s,netdev=net0" % os.environ["VIRTIO_NET_DEV"]]
    log = "%s/net-hostile.log" % build
    con = session.Console(argv, log, time.monotonic() + 600)
    try:
        # No DHCP server here: netd falls back to the slirp addresses.
        end = time.monotonic() + 120
        while "netd: address 10.0.2.15" not in con.text and time.monotonic() < end:
            con.pump(0.05)
            link.receive(0.05)
        check("netd falls back to 10.0.2.15 without DHCP (%d frames from the guest)" % len(link.guest_frames),
              "netd: address 10.0.2.15" in con.text)
        con.expect(r"init: all services started", 60)
        con.run("echo ready")
        before = dropped(con)
        frames = hostile_frames()
        for i, f in enumerate(frames):
            link.send(f)
            if i % 16 == 0:
                link.receive(0.01)
                con.pump(0.01)
        time.sleep(1)
        while link.receive(0.1) is not None:
            pass
        after = dropped(con)
        check("%d hostile frames sent; netd counted drops (%d -> %d)" % (len(frames), before, after),
              after - before >= 50, (before, after))
        link.send(eth(arp(1, OUR_MAC, OUR_IP, b"\0" * 6, GUEST_IP), etype=0x0806, dst=b"\xff" * 6))
        reply = link.wait_for(lambda f: f[12:14] == b"\x08\x06" and f[20:22] == b"\x00\x02"
                              and f[28:32] == GUEST_IP, 10)
        check("then a well-formed ARP request is answered", reply is not None and reply[22:28] == GUEST_MAC)
        data = b"tsubame-hostile-ping-%d" % os.getpid()
        link.send(eth(ipv4(1, icmp_echo(0x4242, 77, data))))
        reply = link.wait_for(lambda f: len(f) >= 42 and f[12:14] == b"\x08\x00" and f[23] == 1
                              and f[34] == 0 and f[38:40] == b"\x42\x42", 10)
        check("and a well-formed ICMP echo request gets its reply",
              reply is not None and reply[40:42] == struct.pack("!H", 77) and data in reply)
        text = open(log, "rb").read()
        check("netd was never restarted, nothing crashed",
              b"init: netd" not in text and b"crashed" not in text, text[-800:])
    except session.Timeout as e:
        check("console session", False, "%s; last output: %s" % (e, con.tail(1500)))
    finally:
        con.close()
    results.finish()


main()
