"""Encoder for the Throughline agent wire protocol, version 1.

The format is specified in ``profiler-agents/protocol/PROTOCOL.md``: a handshake, then frames of
``u32 length, u8 type, payload``; every integer is big-endian, every string UTF-8.

Two layers:

* module functions (``handshake``, ``string_frame``, ``slice_frame`` ...) encode one handshake or
  one frame from ids exactly as given; the golden-fixture tests use them;
* ``Connection`` encodes events that carry plain strings: it interns every string once per
  connection (ids from 1, a STRING frame before the first use) and announces each thread id with a
  THREAD frame before its first use.

Standard library only.
"""

import struct

PROTOCOL_VERSION = 1
MAGIC = b"TLP1"

# frame types
STRING = 1
THREAD = 2
SLICE = 3
COUNTER = 4
SAMPLE = 5
LOSS = 6
BYE = 7
META = 8

# slice categories (ids of the collector's Category)
STEP = 1
REQUEST = 2
PHASE = 3
CPU_OP = 4
PYTHON = 5
DATA_WAIT = 6
DATA_FETCH = 7
CUDA_API = 8
KERNEL = 9
MEMCPY = 10
MEMSET = 11
SYNC = 12
GC = 13
USER = 14

# argument value tags
ARG_INT = 0
ARG_FLOAT = 1
ARG_STRING = 2

# handshake replies (server -> client)
ACCEPTED = 0
BAD_TOKEN = 1
UNSUPPORTED_VERSION = 2

_U16 = struct.Struct(">H")
_HEADER = struct.Struct(">IB")           # frame length, type
_U32 = struct.Struct(">I")
_THREAD = struct.Struct(">IBQI")          # header + tid, name id
_SLICE = struct.Struct(">IBBQqqIqH")      # header + category, tid, start, dur, name, correlation, arg count
_ARG_HEAD = struct.Struct(">IB")          # key id, tag
_I64 = struct.Struct(">q")
_F64 = struct.Struct(">d")
_COUNTER = struct.Struct(">IBIqd")        # header + name id, ts, value
_SAMPLE = struct.Struct(">IBQqIH")        # header + tid, ts, weight, frame count
_FRAME = struct.Struct(">III")            # function id, file id, line
_LOSS = struct.Struct(">IBIQ")            # header + kind id, count

_U32_MAX = 0xFFFFFFFF
_U64_MAX = 0xFFFFFFFFFFFFFFFF


def _short_bytes(text):
    data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
    if len(data) > 0xFFFF:
        raise ValueError("handshake field longer than 65535 bytes")
    return _U16.pack(len(data)) + data


def handshake(token, pid, ppid, kind, name, cmdline="", version=PROTOCOL_VERSION):
    """The client's handshake: magic, version, token, pid, ppid, kind, name, cmdline."""
    return b"".join((
        MAGIC,
        _U16.pack(version),
        _short_bytes(token),
        _U32.pack(pid & _U32_MAX),
        _U32.pack((ppid or 0) & _U32_MAX),
        _short_bytes(kind),
        _short_bytes(name),
        _short_bytes(cmdline or ""),
    ))


def string_frame(string_id, text):
    data = text.encode("utf-8", "surrogatepass")
    return _HEADER.pack(5 + len(data), STRING) + _U32.pack(string_id) + data


def thread_frame(tid, name_id):
    return _THREAD.pack(13, THREAD, tid & _U64_MAX, name_id)


def _encode_args(args):
    """args: a sequence of (key id, tag, value)."""
    parts = []
    for key, tag, value in args:
        parts.append(_ARG_HEAD.pack(key, tag))
        if tag == ARG_INT:
            parts.append(_I64.pack(value))
        elif tag == ARG_FLOAT:
            parts.append(_F64.pack(value))
        elif tag == ARG_STRING:
            parts.append(_U32.pack(value))
        else:
            raise ValueError("unknown argument tag %r" % (tag,))
    return b"".join(parts)


def slice_frame(category, tid, start_ns, dur_ns, name_id, correlation=-1, args=()):
    """args: a sequence of (key id, tag, value) with tag ARG_INT, ARG_FLOAT or ARG_STRING."""
    encoded = _encode_args(args) if args else b""
    head = _SLICE.pack(_SLICE.size - 4 + len(encoded), SLICE, category, tid & _U64_MAX,
                       start_ns, dur_ns, name_id, correlation, len(args))
    return head + encoded if encoded else head


def counter_frame(name_id, ts_ns, value):
    return _COUNTER.pack(_COUNTER.size - 4, COUNTER, name_id, ts_ns, float(value))


def sample_frame(tid, ts_ns, weight, frames):
    """frames: root first, a sequence of (function id, file id, line)."""
    pack = _FRAME.pack
    body = b"".join([pack(f, m, line) for f, m, line in frames])
    return _SAMPLE.pack(_SAMPLE.size - 4 + len(body), SAMPLE, tid & _U64_MAX, ts_ns, weight,
                        len(frames)) + body


def loss_frame(kind_id, count):
    return _LOSS.pack(_LOSS.size - 4, LOSS, kind_id, count)


def bye_frame():
    return _HEADER.pack(1, BYE)


def meta_frame(key_id, value_id):
    """A fact the agent states about itself (key and value are string ids)."""
    return _HEADER.pack(9, META) + _U32.pack(key_id) + _U32.pack(value_id)


class Connection:
    """Per-connection encoder state: string ids and the threads already announced.

    Methods append encoded bytes to ``out`` (a bytearray) and return nothing. Values in slice
    arguments choose their tag by type: int (and bool) -> i64, float -> f64, anything else -> an
    interned string.
    """

    __slots__ = ("_strings", "_threads", "_frame_cache", "thread_name")

    def __init__(self, thread_name=None):
        self._strings = {}
        self._threads = set()
        self._frame_cache = {}
        # thread_name(tid) -> str, used for the THREAD frame of a tid seen for the first time
        self.thread_name = thread_name or (lambda tid: "thread %d" % tid)

    def intern(self, out, text):
        sid = self._strings.get(text)
        if sid is None:
            sid = len(self._strings) + 1
            self._strings[text] = sid
            out += string_frame(sid, text)
        return sid

    def _tid(self, out, tid):
        if tid not in self._threads:
            self._threads.add(tid)
            name = self.thread_name(tid)
            out += thread_frame(tid, self.intern(out, name))

    def slice(self, out, category, tid, start_ns, dur_ns, name, correlation=-1, args=None):
        self._tid(out, tid)
        name_id = self.intern(out, name)
        encoded = []
        if args:
            for key, value in args:
                key_id = self.intern(out, key)
                if isinstance(value, int):
                    encoded.append((key_id, ARG_INT, value))
                elif isinstance(value, float):
                    encoded.append((key_id, ARG_FLOAT, value))
                else:
                    encoded.append((key_id, ARG_STRING, self.intern(out, str(value))))
        out += slice_frame(category, tid, start_ns, dur_ns, name_id, correlation, encoded)

    def counter(self, out, name, ts_ns, value):
        out += counter_frame(self.intern(out, name), ts_ns, value)

    def sample(self, out, tid, ts_ns, frames, weight=1):
        """frames: root first, a sequence of (function name, file name, line)."""
        self._tid(out, tid)
        cache = self._frame_cache
        parts = []
        for frame in frames:
            packed = cache.get(frame)
            if packed is None:
                function, filename, line = frame
                packed = _FRAME.pack(self.intern(out, function), self.intern(out, filename),
                                     line & _U32_MAX if line else 0)
                if len(cache) < 200000:
                    cache[frame] = packed
            parts.append(packed)
        body = b"".join(parts)
        out += _SAMPLE.pack(_SAMPLE.size - 4 + len(body), SAMPLE, tid & _U64_MAX, ts_ns, weight,
                            len(parts))
        out += body

    def loss(self, out, kind, count):
        out += loss_frame(self.intern(out, kind), count)

    def meta(self, out, key, value):
        out += meta_frame(self.intern(out, key), self.intern(out, str(value)))

    def bye(self, out):
        out += bye_frame()
