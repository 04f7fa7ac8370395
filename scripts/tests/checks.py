"""Shared by the Python integration tests: one line per check, the
`NAME: N passed, M failed` summary, and shell-session.py's Console (the
serial console on a pty) loaded as a module."""
import importlib.util
import os
import socket
import sys


class Checks:
    def __init__(self, name):
        self.name, self.passed, self.failed = name, 0, 0

    def check(self, what, ok, why=""):
        if ok:
            self.passed += 1
            print("[PASS] %s" % what)
        else:
            self.failed += 1
            print("[FAIL] %s%s" % (what, ": " + repr(why) if why else ""))
        sys.stdout.flush()

    def finish(self):
        print("%s: %d passed, %d failed" % (self.name, self.passed, self.failed))
        sys.exit(1 if self.failed else 0)


def shell_session():
    here = os.path.dirname(os.path.abspath(__file__))
    spec = importlib.util.spec_from_file_location("shell_session", os.path.join(here, "shell-session.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def free_port(kind=socket.SOCK_STREAM):
    """A port on 127.0.0.1 that nothing uses now (for QEMU's forwards)."""
    s = socket.socket(socket.AF_INET, kind)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port
