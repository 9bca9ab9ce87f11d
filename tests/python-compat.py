# SPDX-License-Identifier: MIT
"""A real Python workload, run by /usr/bin/python3 inside the sandbox under
the default seccomp filter: what a service does (threads, processes,
sockets, TLS, databases, the standard library's C parts). Each check
prints one line, "py.NAME=ok" or "py.NAME=FAIL: why"; the first line,
"py.total=N", says how many follow, so a crash half way shows as missing
lines. Nothing here needs the network beyond loopback, nor any file
outside /tmp. Exit status 0 only when every check passed.

    /usr/bin/python3 python-compat.py [NAME...]
"""

import asyncio
import concurrent.futures
import ctypes
import ctypes.util
import hashlib
import json
import mmap
import multiprocessing
import os
import select
import shutil
import signal
import socket
import sqlite3
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import zlib

TIMEOUT = 20  # seconds, for every blocking step


def square(x):
    """Top level, so that spawned and forkserver children can import it."""
    return x * x


# --- threads and processes ------------------------------------------------


def check_threads():
    results = []
    lock = threading.Lock()

    def work(n):
        with lock:
            results.append(sum(range(n)))

    threads = [threading.Thread(target=work, args=(10000 + i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(TIMEOUT)
    assert len(results) == 8, results
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        assert list(pool.map(square, range(20))) == [x * x for x in range(20)]


def check_subprocess_true():
    subprocess.run(["/bin/true"], check=True, timeout=TIMEOUT)


def check_subprocess_python():
    out = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid() > 2, 6 * 7)"],
        check=True, capture_output=True, text=True, timeout=TIMEOUT,
    ).stdout
    assert out == "True 42\n", out


def check_subprocess_pipes():
    p = subprocess.Popen(["/bin/cat"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    out, _ = p.communicate(b"through a pipe", timeout=TIMEOUT)
    assert out == b"through a pipe" and p.returncode == 0, (out, p.returncode)


def check_posix_spawn():
    pid = os.posix_spawn("/bin/true", ["/bin/true"], os.environ)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, status


def pool_map(method):
    ctx = multiprocessing.get_context(method)
    with ctx.Pool(2) as pool:
        got = pool.map_async(square, range(10)).get(TIMEOUT)
    assert got == [x * x for x in range(10)], got


def check_multiprocessing_fork():
    pool_map("fork")


def check_multiprocessing_spawn():
    pool_map("spawn")


def check_multiprocessing_forkserver():
    pool_map("forkserver")


def check_multiprocessing_queue_lock():
    """A Queue and a Lock: POSIX semaphores, which live in /dev/shm."""
    ctx = multiprocessing.get_context("fork")
    q, lock = ctx.Queue(), ctx.Lock()
    p = ctx.Process(target=q.put, args=("from the child",))
    p.start()
    with lock:
        assert q.get(timeout=TIMEOUT) == "from the child"
    p.join(TIMEOUT)
    assert p.exitcode == 0, p.exitcode


def check_shared_memory():
    from multiprocessing import shared_memory

    shm = shared_memory.SharedMemory(create=True, size=4096)
    try:
        shm.buf[:5] = b"hello"
        other = shared_memory.SharedMemory(name=shm.name)
        assert bytes(other.buf[:5]) == b"hello"
        other.close()
    finally:
        shm.close()
        shm.unlink()


def check_signals():
    got = []
    old = signal.signal(signal.SIGUSR1, lambda s, f: got.append(s))
    try:
        os.kill(os.getpid(), signal.SIGUSR1)
        deadline = time.monotonic() + TIMEOUT
        while not got and time.monotonic() < deadline:
            time.sleep(0.01)
        assert got == [signal.SIGUSR1], got
    finally:
        signal.signal(signal.SIGUSR1, old)


# --- sockets on loopback --------------------------------------------------


def check_tcp():
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(TIMEOUT)
    port = server.getsockname()[1]

    def serve():
        conn, _ = server.accept()
        with conn:
            conn.sendall(conn.recv(100).upper())

    t = threading.Thread(target=serve)
    t.start()
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as c:
        c.sendall(b"tcp echo")
        assert c.recv(100) == b"TCP ECHO"
    t.join(TIMEOUT)
    server.close()


def check_udp():
    a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    a.bind(("127.0.0.1", 0))
    b.settimeout(TIMEOUT)
    b.sendto(b"datagram", a.getsockname())
    a.settimeout(TIMEOUT)
    data, peer = a.recvfrom(100)
    assert data == b"datagram", data
    a.sendto(b"reply", peer)
    assert b.recv(100) == b"reply"
    a.close()
    b.close()


def check_socketpair():
    x, y = socket.socketpair()
    x.sendall(b"pair")
    assert y.recv(10) == b"pair"
    # A descriptor passed over a Unix socket (SCM_RIGHTS).
    r, w = os.pipe()
    socket.send_fds(x, [b"fd"], [w])
    msg, fds, _, _ = socket.recv_fds(y, 10, 1)
    os.write(fds[0], b"via passed fd")
    assert os.read(r, 100) == b"via passed fd"
    for fd in (r, w, fds[0]):
        os.close(fd)
    x.close()
    y.close()


def check_unix_socket():
    path = os.path.join(tempfile.mkdtemp(), "sock")
    server = socket.socket(socket.AF_UNIX)
    server.bind(path)
    server.listen(1)
    client = socket.socket(socket.AF_UNIX)
    client.connect(path)
    conn, _ = server.accept()
    client.sendall(b"unix")
    assert conn.recv(10) == b"unix"
    for s in (conn, client, server):
        s.close()
    shutil.rmtree(os.path.dirname(path))


def check_getaddrinfo():
    infos = socket.getaddrinfo("localhost", 80, type=socket.SOCK_STREAM)
    assert any(i[4][0] in ("127.0.0.1", "::1") for i in infos), infos


def check_select_poll_epoll():
    r, w = os.pipe()
    os.write(w, b"x")
    assert select.select([r], [], [], TIMEOUT)[0] == [r]
    p = select.poll()
    p.register(r, select.POLLIN)
    assert p.poll(TIMEOUT * 1000)
    e = select.epoll()
    e.register(r, select.EPOLLIN)
    assert e.poll(TIMEOUT)
    e.close()
    os.close(r)
    os.close(w)


def check_http():
    """The shape of the services: an HTTP server and a /health request."""
    import http.server
    import urllib.request

    class Health(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = b'{"status": "ok"}'
            self.send_response(200 if self.path == "/health" else 404)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Health)
    t = threading.Thread(target=server.serve_forever)
    t.start()
    try:
        url = "http://127.0.0.1:%d/health" % server.server_address[1]
        with urllib.request.urlopen(url, timeout=TIMEOUT) as r:
            assert json.load(r) == {"status": "ok"}
    finally:
        server.shutdown()
        server.server_close()
        t.join(TIMEOUT)


# --- asyncio --------------------------------------------------------------


async def echo_roundtrip():
    async def handle(reader, writer):
        writer.write((await reader.readline()).upper())
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"asyncio echo\n")
    line = await reader.readline()
    writer.close()
    server.close()
    await server.wait_closed()
    assert line == b"ASYNCIO ECHO\n", line


def check_asyncio_echo():
    asyncio.run(asyncio.wait_for(echo_roundtrip(), TIMEOUT))


async def async_child():
    proc = await asyncio.create_subprocess_exec(
        "/bin/echo", "child", stdout=asyncio.subprocess.PIPE)
    out, _ = await proc.communicate()
    assert out == b"child\n" and proc.returncode == 0, (out, proc.returncode)


def check_asyncio_subprocess():
    asyncio.run(asyncio.wait_for(async_child(), TIMEOUT))


def check_asyncio_executor():
    async def main():
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, square, 12)

    assert asyncio.run(main()) == 144


# --- TLS ------------------------------------------------------------------

CERT_NOTE = []


def make_cert(directory):
    """A self-signed certificate for "localhost", made with the openssl
    command (the cryptography module is not in the standard library)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        return None
    key, cert = os.path.join(directory, "key.pem"), os.path.join(directory, "cert.pem")
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec",
         "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
         "-keyout", key, "-out", cert],
        check=True, capture_output=True, timeout=TIMEOUT)
    return key, cert


def tls_contexts(directory):
    made = make_cert(directory)
    if made is None:
        return None
    key, cert = made
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(cert, key)
    client = ssl.create_default_context(cafile=cert)
    return server, client


def check_ssl_default_context():
    ctx = ssl.create_default_context()
    assert ctx.verify_mode == ssl.CERT_REQUIRED and ctx.check_hostname
    ctx.load_default_certs()
    assert ctx.cert_store_stats()["x509_ca"] > 0, "no system CA certificates"


def check_ssl_socketpair():
    with tempfile.TemporaryDirectory() as d:
        contexts = tls_contexts(d)
        if contexts is None:
            return "skipped: no openssl command to make a certificate"
        server_ctx, client_ctx = contexts
        a, b = socket.socketpair()
        a.settimeout(TIMEOUT)
        b.settimeout(TIMEOUT)

        def serve():
            with server_ctx.wrap_socket(a, server_side=True) as s:
                s.sendall(s.recv(100).upper())

        t = threading.Thread(target=serve)
        t.start()
        with client_ctx.wrap_socket(b, server_hostname="localhost") as c:
            c.sendall(b"over tls")
            assert c.recv(100) == b"OVER TLS"
            assert c.version() in ("TLSv1.2", "TLSv1.3"), c.version()
        t.join(TIMEOUT)


def pump(src, dst):
    data = src.read()
    if data:
        dst.write(data)
    return bool(data)


def check_ssl_memory_bio():
    with tempfile.TemporaryDirectory() as d:
        contexts = tls_contexts(d)
        if contexts is None:
            return "skipped: no openssl command to make a certificate"
        server_ctx, client_ctx = contexts
        c_in, c_out, s_in, s_out = (ssl.MemoryBIO() for _ in range(4))
        client = client_ctx.wrap_bio(c_in, c_out, server_hostname="localhost")
        server = server_ctx.wrap_bio(s_in, s_out, server_side=True)
        done = {client: False, server: False}
        for _ in range(20):
            for end in (client, server):
                if not done[end]:
                    try:
                        end.do_handshake()
                        done[end] = True
                    except ssl.SSLWantReadError:
                        pass
            pump(c_out, s_in)
            pump(s_out, c_in)
            if all(done.values()):
                break
        assert all(done.values()), "the handshake did not finish"
        client.write(b"in memory")
        pump(c_out, s_in)
        assert server.read(100) == b"in memory"


# --- storage and the standard library's C parts ---------------------------


def sqlite_roundtrip(db):
    db.execute("create table t (k integer primary key, v text)")
    db.executemany("insert into t (v) values (?)", [("a",), ("b",), ("c",)])
    db.commit()
    assert db.execute("select group_concat(v) from t").fetchone()[0] == "a,b,c"


def check_sqlite_memory():
    with sqlite3.connect(":memory:") as db:
        sqlite_roundtrip(db)


def check_sqlite_file_wal():
    with tempfile.TemporaryDirectory() as d:
        db = sqlite3.connect(os.path.join(d, "test.db"))
        assert db.execute("pragma journal_mode=wal").fetchone()[0] == "wal"
        sqlite_roundtrip(db)
        db.close()


def check_json():
    doc = {"a": [1, 2.5, None, True], "b": {"c": "\u00e9"}}
    assert json.loads(json.dumps(doc)) == doc


def check_urandom():
    a, b = os.urandom(32), os.urandom(32)
    assert len(a) == 32 and a != b
    import secrets

    assert len(secrets.token_hex(16)) == 32


def check_time():
    t0, m0, p0 = time.time(), time.monotonic(), time.perf_counter()
    time.sleep(0.01)
    assert time.time() > t0 and time.monotonic() > m0 and time.perf_counter() > p0
    assert time.process_time() >= 0 and time.thread_time() >= 0
    assert time.clock_getres(time.CLOCK_MONOTONIC) > 0
    import zoneinfo

    zoneinfo.ZoneInfo("Europe/Paris")


def check_tempfile():
    assert tempfile.gettempdir() == "/tmp", tempfile.gettempdir()
    with tempfile.NamedTemporaryFile() as f:
        f.write(b"temp")
        f.flush()
        with open(f.name, "rb") as g:
            assert g.read() == b"temp"
    fd, path = tempfile.mkstemp()
    os.close(fd)
    os.unlink(path)


def check_shutil():
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, "src")
        os.makedirs(os.path.join(src, "sub"))
        with open(os.path.join(src, "sub", "f"), "wb") as f:
            f.write(b"x" * 100000)
        shutil.copytree(src, os.path.join(d, "dst"))
        shutil.copy2(os.path.join(src, "sub", "f"), os.path.join(d, "g"))
        assert os.path.getsize(os.path.join(d, "dst", "sub", "f")) == 100000
        shutil.rmtree(os.path.join(d, "dst"))
        assert shutil.disk_usage(d).total > 0
    assert shutil.which("true") is not None


def check_hashlib():
    assert hashlib.sha256(b"abc").hexdigest().startswith("ba7816bf")
    hashlib.md5(b"abc", usedforsecurity=False).hexdigest()
    hashlib.blake2b(b"abc").hexdigest()
    hashlib.pbkdf2_hmac("sha256", b"pw", b"salt", 1000)
    hashlib.scrypt(b"pw", salt=b"salt", n=16, r=8, p=1)


def check_compression():
    import bz2
    import gzip
    import lzma

    data = b"compress me " * 1000
    assert zlib.decompress(zlib.compress(data)) == data
    for mod in (gzip, bz2, lzma):
        assert mod.decompress(mod.compress(data)) == data, mod.__name__


def check_ctypes_getpid():
    libc = ctypes.CDLL(ctypes.util.find_library("c"))
    assert libc.getpid() == os.getpid()


def check_ctypes_callback():
    """A Python function called from C: libffi needs executable memory
    for the closure, while /tmp is noexec."""
    libc = ctypes.CDLL(ctypes.util.find_library("c"))
    compare = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_int),
                               ctypes.POINTER(ctypes.c_int))
    values = (ctypes.c_int * 5)(5, 1, 4, 2, 3)
    libc.qsort(values, 5, ctypes.sizeof(ctypes.c_int),
               compare(lambda a, b: a[0] - b[0]))
    assert list(values) == [1, 2, 3, 4, 5]


def check_mmap():
    m = mmap.mmap(-1, 4096)
    m.write(b"anonymous")
    m.close()
    with tempfile.TemporaryFile() as f:
        f.write(b"\0" * 4096)
        f.flush()
        with mmap.mmap(f.fileno(), 4096) as m:
            m[:4] = b"file"
            m.flush()


def check_os_misc():
    assert os.getuid() == 1000 and os.geteuid() == 1000
    assert len(os.sched_getaffinity(0)) >= 1
    import resource

    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    assert soft > 0
    fd = os.memfd_create("compat")
    os.write(fd, b"memfd")
    os.close(fd)
    efd = os.eventfd(0)
    os.eventfd_write(efd, 3)
    assert os.eventfd_read(efd) == 3
    os.close(efd)
    pidfd = os.pidfd_open(os.getpid())
    os.close(pidfd)
    import fcntl

    with tempfile.TemporaryFile() as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        fcntl.lockf(f, fcntl.LOCK_UN)


def check_root_read_only():
    """The sandbox as the service sees it: / refuses writes."""
    try:
        open("/python-compat-test", "w")
    except OSError as e:
        assert e.errno == 30, e  # EROFS
    else:
        os.unlink("/python-compat-test")
        raise AssertionError("/ is writable")


CHECKS = [(name[len("check_"):], fn) for name, fn in list(globals().items())
          if name.startswith("check_")]


def run(name, fn):
    try:
        note = fn()
    except Exception as e:  # one line, with where it failed
        where = traceback.extract_tb(e.__traceback__)[-1]
        return "FAIL: %s: %s (line %d)" % (type(e).__name__, e, where.lineno)
    return note or "ok"


def main(names):
    chosen = [(n, f) for n, f in CHECKS if not names or n in names]
    print("py.total=%d" % len(chosen), flush=True)
    failed = 0
    for name, fn in chosen:
        result = run(name, fn)
        failed += not (result == "ok" or result.startswith("skipped"))
        print("py.%s=%s" % (name, result.replace("\n", " ")), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
