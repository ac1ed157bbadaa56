"""A fake collector for the agent's tests: a decoder of protocol version 1 and a loopback server.

It plays the collector's part of PROTOCOL.md: reads the handshake, answers 0 (accepted) or
1 (bad token), then decodes frames until the connection ends. Each connection becomes one
``Session`` with its handshake and its frames, strings resolved.
"""

import socket
import socketserver
import struct
import threading
import time

CATEGORY_NAMES = {1: "step", 2: "request", 3: "phase", 4: "cpu_op", 5: "python", 6: "data_wait",
                  7: "data_fetch", 8: "cuda_api", 9: "kernel", 10: "memcpy", 11: "memset",
                  12: "sync", 13: "gc", 14: "user"}


class ProtocolError(Exception):
    pass


class Reader:
    def __init__(self, data):
        self.data = data
        self.pos = 0

    def take(self, n):
        if self.pos + n > len(self.data):
            raise ProtocolError("truncated at byte %d: wanted %d more" % (self.pos, n))
        chunk = self.data[self.pos:self.pos + n]
        self.pos += n
        return chunk

    def unpack(self, fmt):
        s = struct.Struct(">" + fmt)
        return s.unpack(self.take(s.size))

    def short_text(self):
        (n,) = self.unpack("H")
        return self.take(n).decode("utf-8")

    def rest(self):
        chunk = self.data[self.pos:]
        self.pos = len(self.data)
        return chunk


def decode_handshake(reader):
    magic = reader.take(4)
    if magic != b"TLP1":
        raise ProtocolError("bad magic %r" % magic)
    (version,) = reader.unpack("H")
    token = reader.short_text()
    pid, ppid = reader.unpack("II")
    return {"version": version, "token": token, "pid": pid, "ppid": ppid,
            "kind": reader.short_text(), "name": reader.short_text(),
            "cmdline": reader.short_text()}


def decode_frame(frame_type, payload):
    """One frame as the dict shape golden.json uses (ids, not resolved strings)."""
    r = Reader(payload)
    if frame_type == 1:
        (sid,) = r.unpack("I")
        out = {"type": "STRING", "id": sid, "text": r.rest().decode("utf-8")}
    elif frame_type == 2:
        tid, name = r.unpack("QI")
        out = {"type": "THREAD", "tid": tid, "name": name}
    elif frame_type == 3:
        category, tid, start, dur, name, corr, nargs = r.unpack("BQqqIqH")
        args = []
        for _ in range(nargs):
            key, tag = r.unpack("IB")
            if tag == 0:
                (value,) = r.unpack("q")
            elif tag == 1:
                (value,) = r.unpack("d")
            elif tag == 2:
                (value,) = r.unpack("I")
            else:
                raise ProtocolError("unknown arg tag %d" % tag)
            args.append({"key": key, "tag": tag, "value": value})
        out = {"type": "SLICE", "category": category, "tid": tid, "start_ns": start,
               "dur_ns": dur, "name": name, "correlation": corr, "args": args}
    elif frame_type == 4:
        name, ts, value = r.unpack("Iqd")
        out = {"type": "COUNTER", "name": name, "ts_ns": ts, "value": value}
    elif frame_type == 5:
        tid, ts, weight, n = r.unpack("QqIH")
        frames = [dict(zip(("function", "file", "line"), r.unpack("III"))) for _ in range(n)]
        out = {"type": "SAMPLE", "tid": tid, "ts_ns": ts, "weight": weight, "frames": frames}
    elif frame_type == 6:
        kind, count = r.unpack("IQ")
        out = {"type": "LOSS", "kind": kind, "count": count}
    elif frame_type == 7:
        out = {"type": "BYE"}
    elif frame_type == 8:
        key, value = r.unpack("II")
        out = {"type": "META", "key": key, "value": value}
    else:
        raise ProtocolError("unknown frame type %d" % frame_type)
    if r.pos != len(payload):
        raise ProtocolError("frame type %d: %d bytes left over" % (frame_type, len(payload) - r.pos))
    return out


def decode_frames(data):
    r = Reader(data)
    frames = []
    while r.pos < len(data):
        length, frame_type = r.unpack("IB")
        frames.append(decode_frame(frame_type, r.take(length - 1)))
    return frames


class Session:
    """One agent connection: its handshake and decoded frames, with strings resolved."""

    def __init__(self, handshake):
        self.handshake = handshake
        self.strings = {}
        self.threads = {}
        self.slices = []
        self.counters = []
        self.samples = []
        self.loss = {}
        self.meta = {}
        self.bye = False
        self.closed = False
        self.errors = []

    @property
    def pid(self):
        return self.handshake["pid"]

    def s(self, sid):
        if sid not in self.strings:
            raise ProtocolError("string id %d used before it was defined" % sid)
        return self.strings[sid]

    def add(self, frame):
        t = frame["type"]
        if t == "STRING":
            if frame["id"] in self.strings:
                raise ProtocolError("string id %d defined twice" % frame["id"])
            if frame["id"] != len(self.strings) + 1:
                raise ProtocolError("string id %d out of order" % frame["id"])
            self.strings[frame["id"]] = frame["text"]
        elif t == "THREAD":
            self.threads[frame["tid"]] = self.s(frame["name"])
        elif t == "SLICE":
            args = {}
            for a in frame["args"]:
                args[self.s(a["key"])] = self.s(a["value"]) if a["tag"] == 2 else a["value"]
            if frame["tid"] not in self.threads:
                raise ProtocolError("slice on thread %d before its THREAD frame" % frame["tid"])
            self.slices.append({"category": CATEGORY_NAMES.get(frame["category"]),
                                "tid": frame["tid"], "start_ns": frame["start_ns"],
                                "dur_ns": frame["dur_ns"], "name": self.s(frame["name"]),
                                "correlation": frame["correlation"], "args": args})
        elif t == "COUNTER":
            self.counters.append((self.s(frame["name"]), frame["ts_ns"], frame["value"]))
        elif t == "SAMPLE":
            if frame["tid"] not in self.threads:
                raise ProtocolError("sample on thread %d before its THREAD frame" % frame["tid"])
            stack = [(self.s(f["function"]), self.s(f["file"]), f["line"]) for f in frame["frames"]]
            self.samples.append({"tid": frame["tid"], "ts_ns": frame["ts_ns"], "stack": stack})
        elif t == "LOSS":
            self.loss[self.s(frame["kind"])] = frame["count"]
        elif t == "META":
            self.meta[self.s(frame["key"])] = self.s(frame["value"])
        elif t == "BYE":
            self.bye = True

    def by_category(self, category):
        return [s for s in self.slices if s["category"] == category]


class FakeCollector:
    """``with FakeCollector(token) as c:`` listens on 127.0.0.1:<c.port> until the block ends.

    ``stall_after_s``: stop reading that many seconds after the handshake (the kernel buffers
    fill, the agent's sends block); ``cut_after_s``: then close the connection;
    ``faulty_sessions``: only that many first sessions stall or are cut (None: all of them).
    """

    def __init__(self, token="test-token", stall_after_s=None, cut_after_s=None, faulty_sessions=None):
        self.token = token
        self.stall_after_s = stall_after_s
        self.cut_after_s = cut_after_s
        self.faulty_sessions = faulty_sessions
        self.sessions = []
        self.refused = []
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)
        collector = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                collector._handle(self.request)

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.addr = "127.0.0.1:%d" % self.port

    def __enter__(self):
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        return False

    def _handle(self, sock):
        sock.settimeout(30)
        buf = bytearray()
        # the handshake: read until it decodes (a truncated one raises ProtocolError)
        while True:
            reader = Reader(bytes(buf))
            try:
                handshake = decode_handshake(reader)
                break
            except ProtocolError:
                if len(buf) > 4 and bytes(buf[:4]) != b"TLP1":
                    return
                chunk = sock.recv(65536)
                if not chunk:
                    return
                buf.extend(chunk)
        if handshake["token"] != self.token:
            sock.sendall(b"\x01")
            with self.lock:
                self.refused.append(handshake)
                self.changed.notify_all()
            sock.close()
            return
        sock.sendall(b"\x00")
        session = Session(handshake)
        with self.lock:
            self.sessions.append(session)
            faulty = self.faulty_sessions is None or len(self.sessions) <= self.faulty_sessions
            self.changed.notify_all()
        stall_after_s = self.stall_after_s if faulty else None
        pending = bytearray(buf[reader.pos:])
        started = time.monotonic()
        try:
            while True:
                if stall_after_s is not None and time.monotonic() - started > stall_after_s:
                    if self.cut_after_s is not None:
                        time.sleep(max(0.0, self.cut_after_s - (time.monotonic() - started)))
                        break
                    time.sleep(0.05)
                    continue
                while len(pending) >= 5:
                    length = struct.unpack(">I", bytes(pending[:4]))[0]
                    if len(pending) < 4 + length:
                        break
                    frame = decode_frame(pending[4], bytes(pending[5:4 + length]))
                    del pending[:4 + length]
                    with self.lock:
                        session.add(frame)
                        self.changed.notify_all()
                if session.bye:
                    break
                sock.settimeout(0.05 if stall_after_s is not None else 30)
                try:
                    chunk = sock.recv(65536)
                except socket.timeout:
                    continue
                if not chunk:
                    break
                pending.extend(chunk)
        except Exception as e:
            session.errors.append(repr(e))
        finally:
            with self.lock:
                session.closed = True
                self.changed.notify_all()
            sock.close()

    def wait_for(self, predicate, timeout=20.0):
        """Waits until predicate(sessions) is true; returns it, or False after the timeout."""
        deadline = time.monotonic() + timeout
        with self.lock:
            while True:
                result = predicate(self.sessions)
                if result:
                    return result
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.changed.wait(left)
