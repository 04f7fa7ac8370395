#!/usr/bin/env python3
"""A bounded load run against httpd: N GET requests, P at a time, each on
a new connection; every answer must be 200 with the expected body.

Usage: http-load.py URL EXPECTED_BODY_FILE [N [P]]
Prints the elapsed time and the failures; exits non-zero on any failure.
Python 3 standard library only."""
import concurrent.futures
import http.client
import sys
import time
import urllib.parse

url, expected_file = sys.argv[1], sys.argv[2]
total = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
parallel = int(sys.argv[4]) if len(sys.argv) > 4 else 8
expected = open(expected_file, "rb").read()
u = urllib.parse.urlsplit(url)


def one(i):
    try:
        c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
        c.request("GET", u.path)
        r = c.getresponse()
        body = r.read()
        c.close()
        if r.status != 200 or body != expected:
            return "request %d: status %d, %d bytes" % (i, r.status, len(body))
    except Exception as e:  # any failure counts, with its reason
        return "request %d: %s" % (i, e)
    return None


start = time.monotonic()
with concurrent.futures.ThreadPoolExecutor(parallel) as pool:
    errors = [e for e in pool.map(one, range(total)) if e]
elapsed = time.monotonic() - start
for e in errors[:5]:
    print(e)
print("load: %d requests, %d at a time, %d failed, %.1f s (%.0f requests/s)"
      % (total, parallel, len(errors), elapsed, total / elapsed))
sys.exit(1 if errors else 0)
