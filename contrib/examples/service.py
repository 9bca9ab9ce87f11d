#!/usr/bin/python3
"""The example service: a small HTTP server with a /health endpoint.

It binds to 127.0.0.1 only, and its /health answer shows what the sandbox
looks like from inside: who it runs as, its capability bounding set, and
whether the root file system accepts writes.
"""

import http.server
import json
import os
import signal
import socket
import sys

HOST = "127.0.0.1"
PORT = int(os.environ.get("PORT", "8080"))
NAME = os.environ.get("SERVICE_NAME", "service")


def status_field(key):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(key + ":"):
                return line.split(":", 1)[1].strip()
    return None


def root_is_writable():
    try:
        with open("/.write-test", "w"):
            pass
    except OSError as error:
        return error.strerror
    os.unlink("/.write-test")
    return "writable"


def sandbox_report():
    return {
        "service": NAME,
        "status": "ok",
        "uid": os.getuid(),
        "gid": os.getgid(),
        "groups": os.getgroups(),
        "pid": os.getpid(),
        "hostname": socket.gethostname(),
        "CapBnd": status_field("CapBnd"),
        "CapEff": status_field("CapEff"),
        "NoNewPrivs": status_field("NoNewPrivs"),
        "root": root_is_writable(),
    }


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path != "/health":
            self.send_error(404)
            return
        body = json.dumps(sandbox_report()).encode() + b"\n"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        sys.stdout.write("%s: %s\n" % (NAME, fmt % args))


def main():
    server = http.server.ThreadingHTTPServer((HOST, PORT), Handler)
    # SIGTERM (a stop) and SIGINT (Ctrl-C) end the service cleanly.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, lambda *_: sys.exit(0))
    print("%s: serving http://%s:%d/health as uid %d"
          % (NAME, HOST, PORT, os.getuid()))
    try:
        server.serve_forever()
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
