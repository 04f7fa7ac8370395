#!/usr/bin/env python3
"""The guest reaches the host through netd (QEMU user network), driven at
the serial console like shell-session.py: a 1 MiB download from an HTTP
server the test runs on the host (10.0.2.2; CRC-32 compared), DNS queries
answered by a UDP responder the test runs on the host (the guest asks
10.0.2.2:PORT), ping of 10.0.2.2, a refused connection, a receive timeout,
and a killed client whose connection netd must close.

Usage: net-test.py ARCH BUILD_DIR -- QEMU_COMMAND...   (without -netdev:
the test adds the user network). Prints one line per check and
`net-test-ARCH: N passed, M failed`. Python 3 standard library only."""
import http.server
import os
import random
import re
import socket
import socketserver
import struct
import sys
import threading
import time
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import checks  # noqa: E402

session = checks.shell_session()

arch, build = sys.argv[1], sys.argv[2]
results = checks.Checks("net-test-%s" % arch)
check = results.check
qemu_argv = sys.argv[sys.argv.index("--") + 1:]
DNS_NAME, DNS_ANSWER = "tsubame.test", "10.9.8.7"




free_port = checks.free_port


def http_server(payload):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *a):
            pass

    srv = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv.server_address[1]


def dns_responder():
    """Answers A queries for DNS_NAME, NXDOMAIN for anything else."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    queries = []

    def serve():
        while True:
            q, addr = s.recvfrom(512)
            if len(q) < 17:
                continue
            i, labels = 12, []
            while i < len(q) and q[i]:
                labels.append(q[i + 1:i + 1 + q[i]].decode(errors="replace"))
                i += 1 + q[i]
            qend = i + 5
            name = ".".join(labels).lower()
            queries.append(name)
            if name == DNS_NAME:
                hdr = q[:2] + struct.pack(">HHHHH", 0x8180, 1, 1, 0, 0)
                ans = b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 60, 4) + socket.inet_aton(DNS_ANSWER)
            else:
                hdr = q[:2] + struct.pack(">HHHHH", 0x8183, 1, 0, 0, 0)
                ans = b""
            s.sendto(hdr + q[12:qend] + ans, addr)

    threading.Thread(target=serve, daemon=True).start()
    return s.getsockname()[1], queries


def holding_server(silent):
    """Accepts connections and never answers; records when the guest's
    side closes one (end of file or reset)."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    events = []

    def serve():
        while True:
            c, _ = srv.accept()
            events.append("open")

            def hold(c=c):
                c.settimeout(120)
                try:
                    while c.recv(4096):
                        pass
                except OSError:
                    pass
                events.append("closed")
            threading.Thread(target=hold, daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    return srv.getsockname()[1], events


def serves_http(port, seconds=30):
    """True once GET /HELLO.TXT through the forwarded port answers 200."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
                s.sendall(b"GET /HELLO.TXT HTTP/1.0\r\n\r\n")
                data = b""
                while True:
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    data += chunk
            if re.match(rb"HTTP/1\.[01] 200 ", data) and b"Hello from FAT32!" in data:
                return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


def greets_telnet(port, seconds=30):
    """True once a connection to telnetd gets option negotiation (IAC) and
    a shell prompt."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
                data, until = b"", time.monotonic() + 10
                while time.monotonic() < until and b"tsubame:" not in data:
                    try:
                        chunk = s.recv(4096)
                    except socket.timeout:
                        continue
                    if not chunk:
                        break
                    data += chunk
                if data.startswith(b"\xff") and b"tsubame:" in data:
                    return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


def clients(con):
    m = re.search(r"(\d+) clients with sockets", con.run("ifconfig"))
    return int(m.group(1)) if m else -1


def main():
    payload = random.Random(7).randbytes(1 << 20)
    http_port = http_server(payload)
    dns_port, queries = dns_responder()
    hold_port, hold_events = holding_server(True)
    closed_port = free_port()
    web_port, telnet_port = free_port(), free_port()
    fwd = ",hostfwd=tcp:127.0.0.1:%d-:8080,hostfwd=tcp:127.0.0.1:%d-:2323" % (web_port, telnet_port)
    argv = qemu_argv + ["-netdev", "user,id=net0" + fwd, "-device", "%s,netdev=net0" % os.environ["VIRTIO_NET_DEV"]]
    con = session.Console(argv, "%s/net-test.log" % build, time.monotonic() + 600)
    try:
        con.expect(r"netd: address 10\.0\.2\.15", 120)
        con.expect(r"init: all services started", 60)
        con.run("echo ready")
        out = con.run("ifconfig")
        check("ifconfig shows the DHCP lease", "address 10.0.2.15" in out and "(DHCP)" in out, out)
        start = time.monotonic()
        out = con.run("fetch http://10.0.2.2:%d/host.bin" % http_port, 120)
        secs = time.monotonic() - start
        want = "status 200, %d bytes, crc32 %08x" % (len(payload), zlib.crc32(payload))
        check("fetch of 1 MiB from a host HTTP server at 10.0.2.2 (CRC-32 matches, %.1f s)" % secs,
              want in out, out)
        out = con.run("dnslookup %s 10.0.2.2:%d" % (DNS_NAME, dns_port))
        check("DNS query answered by the host's responder",
              "%s has address %s" % (DNS_NAME, DNS_ANSWER) in out and DNS_NAME in queries, out)
        out = con.run("dnslookup nope.test 10.0.2.2:%d" % dns_port)
        check("NXDOMAIN is reported as such", "no such name" in out, out)
        out = con.run("dnslookup bad..name 10.0.2.2:%d" % dns_port)
        check("a malformed name is refused before any query", "invalid argument" in out
              and "bad..name" not in queries, out)
        out = con.run("ping -c 3 10.0.2.2", 30)
        check("ping 10.0.2.2: 3 replies with times", "3 sent, 3 received" in out
              and re.search(r"reply from 10\.0\.2\.2: seq=1 time=\d+ ms", out), out)
        out = con.run("fetch http://10.0.2.2:%d/" % closed_port, 60)
        check("a closed host port: connection refused", "connection refused" in out, out)
        start = time.monotonic()
        out = con.run("fetch -t 2 http://10.0.2.2:%d/" % hold_port, 60)
        secs = time.monotonic() - start
        check("a server that never answers: the receive times out (%.1f s)" % secs,
              "timed out" in out and secs < 20, out)
        time.sleep(1)
        base = clients(con)
        opened_before = hold_events.count("open")
        out = con.run("fetch -t 100 http://10.0.2.2:%d/ &" % hold_port)
        m = re.search(r"\[pid (\d+)\]", out)
        # Until its connection has reached the host (30 s at most: a busy
        # machine is slow, not wrong).
        end = time.monotonic() + 30
        while hold_events.count("open") == opened_before and time.monotonic() < end:
            con.settle(0.2)
        during = clients(con)
        opened = hold_events.count("open")
        if m:
            con.run("kill %s" % m.group(1))
        end = time.monotonic() + 10
        while hold_events.count("closed") < opened and time.monotonic() < end:
            time.sleep(0.2)
        check("a killed client's connection is closed by netd",
              m is not None and hold_events.count("closed") == opened, (out, hold_events))
        # netd notices a dead client within a second or so: ask until it has.
        end = time.monotonic() + 20
        after = clients(con)
        while after != base and time.monotonic() < end:
            con.settle(0.5)
            after = clients(con)
        check("and its sockets are freed (clients %d -> %d -> %d)" % (base, during, after),
              during == base + 1 and after == base)
        out = con.run("ifconfig")
        check("netd counted no malformed requests", ", 0 malformed," in out, out)
        out = con.run("netprobe", 60)
        m = re.search(r"netprobe: (\d+) passed, (\d+) failed", out)
        check("malformed and hostile requests each get their error reply (%s)" % (m.group(0) if m else "?"),
              m is not None and int(m.group(1)) >= 15 and m.group(2) == "0", out)
        text = open("%s/net-test.log" % build, "rb").read()
        check("no process crashed", b"crashed" not in text and b"restarting" not in text)
        # netd killed: init restarts it, it takes a lease again, and the
        # network works as before.
        m = re.search(r"^\s*(\d+)\s.*\bnetd(\.elf)?\s*$", con.run("ps"), re.M)
        if m:
            before = con.mark
            con.run("kill %s" % m.group(1))
            con.mark = before  # init's lines may come before the prompt or after it
            con.expect(r"init: netd \(pid %s\) was killed; restarting" % m.group(1), 30)
            con.expect(r"netd: address 10\.0\.2\.15", 60)
        out = con.run("ping -c 1 10.0.2.2", 30)
        out += con.run("fetch http://10.0.2.2:%d/host.bin" % http_port, 120)
        check("netd killed: init restarts it and the network works again",
              m is not None and "1 sent, 1 received" in out and want in out, out)
        ok = serves_http(web_port)
        check("httpd serves again after the netd restart", ok, con.run("ps") + con.run("ifconfig"))
        check("telnetd takes sessions again after the netd restart", greets_telnet(telnet_port), con.tail(800))
    except session.Timeout as e:
        check("console session", False, "%s; last output: %s" % (e, con.tail(1500)))
    finally:
        con.close()
    results.finish()


main()
