"""The Throughline Python agent: a bounded event queue, one sender thread, one sampler thread.

Rules it keeps, whatever happens:

* the host program never waits on the agent: producers append to a bounded deque; when it is full,
  or the collector is gone, the event is dropped and counted (sent as cumulative LOSS frames);
* nothing raises into user code: every hook swallows its own errors;
* if the agent cannot start (bad address, collector unreachable, bad token) it prints ONE line on
  stderr and the program runs unprofiled;
* a forked child (a DataLoader worker) drops the inherited socket and queue and opens its own
  connection under its own pid.

Configuration comes from the environment (``throughline record`` sets it):

    THROUGHLINE_ADDR             collector address, ``127.0.0.1:PORT`` (or just ``PORT``)
    THROUGHLINE_TOKEN            per-recording token presented in the handshake
    THROUGHLINE_SAMPLE_HZ        Python stack sampling rate, default 100 (0: no sampling)
    THROUGHLINE_TORCH_PROFILER   1: also stream torch.profiler CPU ops (and CUDA activity)
    THROUGHLINE_BUFFER_EVENTS    queue bound, default 20000 events
    THROUGHLINE_FLUSH_TIMEOUT_S  how long exit waits for the last events, default 1.0
"""

import atexit
import collections
import os
import shlex
import socket
import sys
import threading
import time

from . import wire

_monotonic_ns = time.monotonic_ns
_get_native_id = threading.get_native_id

LOSS_BUFFER_FULL = "buffer full"
LOSS_COLLECTOR_GONE = "collector gone"

# queued event kinds
_EV_SLICE = 0
_EV_COUNTER = 1
_EV_SAMPLE = 2

_MAX_STACK = 256
_SEND_BATCH_BYTES = 256 * 1024
_SEND_INTERVAL_S = 0.2
_RECONNECT_S = 1.0

# step sources, highest priority first
STEP_SOURCES = ("explicit", "torch.profiler", "optimizer.step")
_STEP_RANK = {name: rank for rank, name in enumerate(STEP_SOURCES)}


def _warn(message):
    try:
        sys.stderr.write("throughline: %s\n" % message)
        sys.stderr.flush()
    except Exception:
        pass


class Config:
    """What the agent needs to connect; from the environment or given to ``start``."""

    def __init__(self, addr, token="", sample_hz=100.0, torch_profiler=False,
                 buffer_events=20000, flush_timeout_s=1.0):
        self.host, self.port = parse_addr(addr)
        self.addr = addr
        self.token = token or ""
        self.sample_hz = max(0.0, float(sample_hz))
        self.torch_profiler = bool(torch_profiler)
        self.buffer_events = max(16, int(buffer_events))
        self.flush_timeout_s = max(0.0, float(flush_timeout_s))

    @classmethod
    def from_env(cls, env=None):
        env = os.environ if env is None else env
        addr = env.get("THROUGHLINE_ADDR", "").strip()
        if not addr:
            return None
        return cls(
            addr,
            token=env.get("THROUGHLINE_TOKEN", ""),
            sample_hz=_number(env, "THROUGHLINE_SAMPLE_HZ", 100.0),
            torch_profiler=env.get("THROUGHLINE_TORCH_PROFILER", "").strip().lower()
            in ("1", "true", "yes", "on"),
            buffer_events=_number(env, "THROUGHLINE_BUFFER_EVENTS", 20000),
            flush_timeout_s=_number(env, "THROUGHLINE_FLUSH_TIMEOUT_S", 1.0),
        )


def _number(env, key, default):
    raw = env.get(key, "").strip()
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError:
        raise ValueError("%s=%r is not a number" % (key, raw))


def parse_addr(addr):
    """``HOST:PORT``, ``[HOST]:PORT`` or ``PORT`` -> (host, port); the host defaults to 127.0.0.1."""
    text = str(addr).strip()
    host = "127.0.0.1"
    if text.startswith("["):
        end = text.find("]")
        host, text = text[1:end], text[end + 2:]
    elif ":" in text:
        host, _, text = text.rpartition(":")
    try:
        port = int(text)
    except ValueError:
        raise ValueError("THROUGHLINE_ADDR=%r: expected 127.0.0.1:PORT" % (addr,))
    if not 0 < port < 65536:
        raise ValueError("THROUGHLINE_ADDR=%r: port out of range" % (addr,))
    return host or "127.0.0.1", port


def _default_process_name():
    argv = getattr(sys, "argv", None) or []
    if argv and argv[0] and argv[0] not in ("-c", "-m"):
        return os.path.basename(argv[0])
    args = _proc_cmdline()
    for i, arg in enumerate(args[1:], 1):
        if arg == "-m" and i + 1 < len(args):
            return args[i + 1]
        if arg == "-c":
            return "python -c"
        if not arg.startswith("-"):
            return os.path.basename(arg)
    return "python"


def _proc_cmdline():
    try:
        with open("/proc/self/cmdline", "rb") as f:
            raw = f.read()
        return [a.decode("utf-8", "replace") for a in raw.split(b"\0") if a]
    except OSError:
        return list(getattr(sys, "argv", None) or [])


def _cmdline():
    args = _proc_cmdline()
    text = shlex.join(args) if args else ""
    return text[:8192]


class _StepTracker:
    """A step runs from one mark to the next; a higher-priority source, once seen, wins."""

    def __init__(self, agent):
        self.agent = agent
        self.rank = None
        self.last_ns = 0
        self.count = 0
        self.lock = threading.Lock()

    def mark(self, source):
        now = _monotonic_ns()
        rank = _STEP_RANK[source]
        with self.lock:
            if self.rank is None or rank < self.rank:
                self.rank = rank
                self.last_ns = now
                return
            if rank > self.rank:
                return
            start, self.last_ns = self.last_ns, now
            n = self.count
            self.count += 1
        self.agent.slice(wire.STEP, "step %d" % n, start, now - start,
                         (("step", n), ("source", source)))
        stream = self.agent.torch_profiler
        if stream:
            stream.on_step()  # chunk boundaries of --torch-profiler fall on step marks


class Agent:
    """One per process. Use the module functions (``start``, ``step``, ``span``) rather than this."""

    def __init__(self, config, name=None, name_pending=0.0):
        self.config = config
        self.pid = os.getpid()
        self.name = name
        # name_pending: seconds the handshake waits for set_name (a forked or spawned child is
        # named by the multiprocessing/DataLoader hooks once its target is known)
        self.name_wait_s = float(name_pending or 0.0)
        self.name_ready = threading.Event()
        if name is not None or not name_pending:
            self.name_ready.set()
        self.queue = collections.deque()
        self.maxlen = config.buffer_events
        self.wake_at = config.buffer_events // 2
        self.active = True          # accepting events
        self.connected = False
        self.stopping = False
        self.drops = {LOSS_BUFFER_FULL: 0, LOSS_COLLECTOR_GONE: 0}
        self.drop_lock = threading.Lock()
        self.sent_events = 0
        self.reconnects = 0
        self.reconnecting = False   # lost the collector mid-run, trying to come back
        self.cpu_s = {"sender": 0.0, "sampler": 0.0}  # CPU time of the agent's own threads
        self.started_ns = _monotonic_ns()
        self.thread_names = {}
        self.ident_to_tid = {}
        self.own_idents = set()
        self.wake = threading.Event()
        self.steps = _StepTracker(self)
        self.sock = None
        self.sender = None
        self.sampler = None
        self.torch_profiler = None
        # facts about this agent, sent as META frames (again on a new connection, and when they change)
        self.meta = {
            "python": sys.version.split()[0],
            "stack_sampling": ("python stacks of every thread at %g Hz, wall clock (waiting frames included)"
                               % config.sample_hz) if config.sample_hz > 0 else "off",
            "torch_profiler": "requested" if config.torch_profiler else "off",
        }

    # ----------------------------------------------------------------- lifecycle

    def start_threads(self):
        self.sender = threading.Thread(target=self._run_sender, name="throughline-sender",
                                       daemon=True)
        self.sender.start()
        self.own_idents.add(self.sender.ident)
        self.sampler = threading.Thread(target=self._run_sampler, name="throughline-sampler",
                                        daemon=True)
        self.sampler.start()
        self.own_idents.add(self.sampler.ident)

    def set_name(self, name):
        if not self.connected:
            self.name = name
        self.name_ready.set()

    def shutdown(self, timeout=None):
        """Stops sampling, sends what is queued, LOSS and BYE; waits at most ``timeout`` seconds."""
        if self.stopping:
            return
        if self.torch_profiler:
            try:
                self.torch_profiler.stop()
            except Exception:
                pass
        self.stopping = True
        self.name_ready.set()
        self.wake.set()
        timeout = self.config.flush_timeout_s if timeout is None else timeout
        sender = self.sender
        if sender is not None and sender.is_alive() and sender is not threading.current_thread():
            sender.join(timeout)

    def forget_inherited(self):
        """In a forked child: the parent's socket and queue are not ours; close our fd copy."""
        self.active = False
        self.queue = collections.deque()
        sock, self.sock = self.sock, None
        if sock is not None:
            try:
                sock.close()  # closes our copy of the fd; never shutdown(): that would cut the parent
            except Exception:
                pass

    # ----------------------------------------------------------------- producers

    def _drop(self, kind):
        with self.drop_lock:
            self.drops[kind] += 1

    def _put(self, event):
        if not self.active:
            self._drop(LOSS_COLLECTOR_GONE)
            return
        queue = self.queue
        n = len(queue)
        if n >= self.maxlen:
            self._drop(LOSS_BUFFER_FULL)
            return
        queue.append(event)
        if n == self.wake_at:
            self.wake.set()  # half full: do not wait for the sender's next round

    def current_tid(self):
        tid = _get_native_id()
        if tid not in self.thread_names:
            self.thread_names[tid] = threading.current_thread().name
        return tid

    def slice(self, category, name, start_ns, dur_ns, args=None, tid=None, correlation=-1):
        if tid is None:
            tid = self.current_tid()
        self._put((_EV_SLICE, category, tid, start_ns, dur_ns, name, correlation, args))

    def counter(self, name, ts_ns, value):
        self._put((_EV_COUNTER, name, ts_ns, value))

    # ----------------------------------------------------------------- sender

    def _thread_name(self, tid):
        return self.thread_names.get(tid) or ("thread %d" % tid)

    def _connect(self):
        config = self.config
        self.name_ready.wait(self.name_wait_s)
        name = self.name or _default_process_name()
        sock = socket.create_connection((config.host, config.port), timeout=2.0)
        try:
            sock.sendall(wire.handshake(config.token, os.getpid(), os.getppid(), "python", name,
                                        _cmdline()))
            reply = sock.recv(1)
            if reply != bytes([wire.ACCEPTED]):
                reason = {b"": "the collector closed the connection",
                          bytes([wire.BAD_TOKEN]): "the collector refused the token",
                          bytes([wire.UNSUPPORTED_VERSION]):
                              "the collector does not speak protocol version %d"
                              % wire.PROTOCOL_VERSION}.get(reply, "unexpected reply %r" % reply)
                raise ConnectionError(reason)
            # a stalled collector may block sendall (on this thread only) for this long
            sock.settimeout(10.0)
        except BaseException:
            sock.close()
            raise
        self.sock = sock
        self.connected = True

    def _give_up(self):
        """No collector: stop accepting events and count what was queued as dropped."""
        self.active = False
        queue = self.queue
        n = len(queue)
        queue.clear()
        with self.drop_lock:
            self.drops[LOSS_COLLECTOR_GONE] += n

    def _run_sender(self):
        self.own_idents.add(threading.get_ident())
        try:
            self._connect()
        except Exception as e:
            self._give_up()
            _warn("cannot reach the collector at %s (%s); running unprofiled"
                  % (self.config.addr, _describe(e)))
            return
        warned = False
        while True:
            error = self._send_until_done_or_lost()
            if error is None or self.stopping:
                return
            # lost the collector mid-run (cut, or stalled past the send timeout): drop and count
            # from now on, and try to come back; the LOSS frames on the new connection carry the
            # cumulative counts, so the capture sees what was dropped while we were away
            self.reconnecting = True
            self._give_up()
            if not warned:
                _warn("lost the collector (%s); dropping events, reconnecting" % _describe(error))
                warned = True
            reconnected = self._reconnect()
            self.reconnecting = False
            if not reconnected:
                return

    def _reconnect(self):
        """Tries again soon (a cut collector may still be there), then every ``_RECONNECT_S``, until it
        succeeds or the agent stops."""
        delay = 0.1
        while not self.stopping:
            self.wake.wait(delay)
            self.wake.clear()
            delay = _RECONNECT_S
            if self.stopping:
                return False
            try:
                self._connect()
            except Exception:
                continue
            self.reconnects += 1
            self.active = True
            return True
        return False

    def _send_until_done_or_lost(self):
        """Sends until BYE went out (returns None) or the connection failed (returns the error)."""
        conn = wire.Connection(self._thread_name)  # a new connection defines its strings again
        sent_loss = {}
        sent_meta = {}
        out = bytearray()
        sock = self.sock
        try:
            while True:
                stopping = self.stopping
                queue = self.queue
                popleft = queue.popleft
                n = 0
                while queue and len(out) < _SEND_BATCH_BYTES:
                    ev = popleft()
                    kind = ev[0]
                    if kind == _EV_SAMPLE:
                        conn.sample(out, ev[1], ev[2], ev[3])
                    elif kind == _EV_SLICE:
                        conn.slice(out, ev[1], ev[2], ev[3], ev[4], ev[5], ev[6], ev[7])
                    else:
                        conn.counter(out, ev[1], ev[2], ev[3])
                    n += 1
                self.sent_events += n
                for kind, count in list(self.drops.items()):
                    if count and sent_loss.get(kind) != count:
                        conn.loss(out, kind, count)
                        sent_loss[kind] = count
                if stopping and not queue:
                    # the last batch: what the agent's own threads cost, as the capture will say it
                    self.cpu_s["sender"] = time.thread_time()
                    self.meta["agent_cpu"] = _describe_cost(self.cpu_s, _monotonic_ns() - self.started_ns)
                for key, value in list(self.meta.items()):
                    if sent_meta.get(key) != value:
                        conn.meta(out, key, value)
                        sent_meta[key] = value
                done = stopping and not queue
                if done:
                    conn.bye(out)
                if out:
                    sock.sendall(out)
                    out = bytearray()
                self.cpu_s["sender"] = time.thread_time()
                if done:
                    return None
                if not queue:
                    # every wake-up takes the GIL from the program: wake rarely, send in batches
                    self.wake.wait(_SEND_INTERVAL_S)
                    self.wake.clear()
        except Exception as e:
            return e
        finally:
            self.connected = False
            self.sock = None
            try:
                sock.close()
            except Exception:
                pass

    # ----------------------------------------------------------------- sampler and counters

    def _refresh_threads(self):
        mapping = {}
        names = self.thread_names
        for thread in threading.enumerate():
            ident = thread.ident
            tid = getattr(thread, "native_id", None) or ident
            if ident is not None:
                mapping[ident] = tid
                if tid not in names:
                    names[tid] = thread.name
        self.ident_to_tid = mapping
        return mapping

    def _sample_all(self, now):
        own = self.own_idents
        mapping = self.ident_to_tid
        frames = sys._current_frames()
        try:
            for ident, frame in frames.items():
                if ident in own:
                    continue
                tid = mapping.get(ident)
                if tid is None:
                    mapping = self._refresh_threads()
                    tid = mapping.get(ident)
                    if tid is None:
                        tid = ident
                        mapping[ident] = tid
                stack = []
                append = stack.append
                depth = 0
                while frame is not None and depth < _MAX_STACK:
                    code = frame.f_code
                    append((code.co_qualname, code.co_filename, frame.f_lineno or 0))
                    frame = frame.f_back
                    depth += 1
                stack.reverse()
                self._put((_EV_SAMPLE, tid, now, stack))
        finally:
            frame = None
            del frames

    def _run_sampler(self):
        self.own_idents.add(threading.get_ident())
        try:
            hz = self.config.sample_hz
            interval_ns = int(1e9 / hz) if hz > 0 else 1000000000
            counters = _Counters()
            next_counter = _monotonic_ns()
            next_tick = _monotonic_ns()
            self._refresh_threads()
            while not self.stopping and (self.active or self.reconnecting):
                now = _monotonic_ns()
                if not self.active:
                    time.sleep(interval_ns / 1e9)  # nothing would reach the collector
                    continue
                if hz > 0:
                    self._sample_all(now)
                if now >= next_counter:
                    for name, value in counters.read(now):
                        self.counter(name, now, value)
                    next_counter += 1000000000
                    if next_counter < now:
                        next_counter = now + 1000000000
                    self._refresh_threads()
                self.cpu_s["sampler"] = time.thread_time()
                next_tick += interval_ns
                delay = next_tick - _monotonic_ns()
                if delay <= 0:
                    next_tick = _monotonic_ns()  # fell behind: do not try to catch up
                else:
                    time.sleep(delay / 1e9)
        except Exception as e:  # the sampler must never take the process down
            if not self.stopping:
                _warn("stack sampler stopped (%s)" % _describe(e))


class _Counters:
    """Process CPU % (since the previous reading), RSS, and CUDA memory when CUDA is in use."""

    def __init__(self):
        self.prev_cpu = _cpu_seconds()
        self.prev_ns = _monotonic_ns()
        try:
            self.page_size = os.sysconf("SC_PAGE_SIZE")
        except (ValueError, OSError, AttributeError):
            self.page_size = 4096

    def read(self, now):
        values = []
        cpu = _cpu_seconds()
        elapsed = (now - self.prev_ns) / 1e9
        if elapsed >= 0.2:
            values.append(("cpu_percent", 100.0 * (cpu - self.prev_cpu) / elapsed))
            self.prev_cpu, self.prev_ns = cpu, now
        try:
            with open("/proc/self/statm", "rb") as f:
                values.append(("rss_bytes", float(int(f.read().split()[1]) * self.page_size)))
        except (OSError, ValueError, IndexError):
            pass
        torch = sys.modules.get("torch")
        if torch is not None:
            try:
                cuda = torch.cuda
                if cuda.is_initialized():
                    total = 0
                    for device in range(cuda.device_count()):
                        total += cuda.memory_allocated(device)
                    values.append(("cuda_memory_allocated_bytes", float(total)))
            except Exception:
                pass
        return values


def _describe_cost(cpu_s, wall_ns):
    """META agent_cpu, in the JVM agent's words: the agent threads' CPU (thread_time, read by each thread itself)."""
    total = sum(cpu_s.values())
    wall = wall_ns / 1e9
    parts = ", ".join("%s %.3f s" % (k, v) for k, v in sorted(cpu_s.items()))
    return ("%.3f s CPU in %.1f s = %.2f %% of one core (%s); not counted: the hooks on the program's threads (steps,"
            " DataLoader, spans), torch.profiler's chunks (collected on the training thread), and the program's"
            " waits for the GIL while the sampler holds it" % (total, wall, 100.0 * total / wall if wall > 0 else 0.0,
                                                               parts))


def _cpu_seconds():
    t = os.times()
    return t.user + t.system


def _describe(e):
    text = str(e)
    return "%s: %s" % (type(e).__name__, text) if text else type(e).__name__


# --------------------------------------------------------------------- the process's agent

_HELPER_PROCESSES = ("multiprocessing.resource_tracker", "multiprocessing.semaphore_tracker")

_agent = None
_start_lock = threading.Lock()
_atexit_registered = False
_fork_registered = False


def current():
    """The running agent of this process, or None."""
    return _agent


def start(config=None):
    """Starts the agent (once per process). Returns True when it started, False otherwise.

    Never raises: a failure prints one warning line and the program runs unprofiled.
    """
    global _agent, _atexit_registered, _fork_registered
    try:
        with _start_lock:
            if _agent is not None and _agent.pid == os.getpid():
                return True
            if config is None:
                config = Config.from_env()
                if config is None:
                    return False
            cmdline = _proc_cmdline()
            if any(helper in arg for arg in cmdline for helper in _HELPER_PROCESSES):
                return False  # multiprocessing's own helper: nothing of the user's runs there
            # a spawned multiprocessing child imports the parent's main module (maybe torch: some
            # seconds) before its target, which names it; events queue meanwhile
            spawned = "--multiprocessing-fork" in cmdline
            agent = Agent(config, name_pending=30.0 if spawned else 0.0)
            _agent = agent
            agent.start_threads()
            if not _atexit_registered:
                atexit.register(_at_exit)
                _atexit_registered = True
            if not _fork_registered and hasattr(os, "register_at_fork"):
                os.register_at_fork(after_in_child=_after_fork_in_child)
                _fork_registered = True
        from . import instrument
        instrument.install(agent)
        return True
    except Exception as e:
        _agent = None
        _warn("agent not started (%s); running unprofiled" % _describe(e))
        return False


def _after_fork_in_child():
    """A forked child: forget the parent's connection and queue, connect under our own pid.

    The handshake waits (briefly) for a name: a DataLoader worker names itself
    "DataLoader worker N" as soon as its loop starts.
    """
    global _agent, _start_lock
    _start_lock = threading.Lock()
    parent = _agent
    if parent is None:
        return
    _agent = None
    try:
        parent.forget_inherited()
        if parent.torch_profiler:
            parent.torch_profiler.forget_after_fork()
        child = Agent(parent.config, name_pending=0.5)
        _agent = child
        child.start_threads()
    except Exception as e:
        _agent = None
        _warn("agent not restarted in forked child %d (%s)" % (os.getpid(), _describe(e)))


def _at_exit():
    agent = _agent
    if agent is not None and agent.pid == os.getpid():
        try:
            agent.shutdown()
        except Exception:
            pass


def flush_and_stop(timeout=None):
    """Sends what is queued and closes the connection (bounded by ``timeout`` seconds)."""
    agent = _agent
    if agent is not None and agent.pid == os.getpid():
        try:
            agent.shutdown(timeout)
        except Exception:
            pass


def set_process_name(name):
    """Names this process in the capture (only before its connection is open)."""
    agent = _agent
    if agent is not None:
        agent.set_name(name)


def mark_step(source):
    agent = _agent
    if agent is not None:
        try:
            agent.steps.mark(source)
        except Exception:
            pass


def stats():
    """What this process's agent did so far (for tests and diagnostics)."""
    agent = _agent
    if agent is None:
        return {"running": False}
    return {
        "running": True,
        "pid": agent.pid,
        "active": agent.active,
        "connected": agent.connected,
        "queued": len(agent.queue),
        "sent_events": agent.sent_events,
        "reconnects": agent.reconnects,
        "dropped": dict(agent.drops),
        "steps": agent.steps.count,
        "agent_cpu_s": round(sum(agent.cpu_s.values()), 6),
        "torch_profiler": ({"chunks": agent.torch_profiler.chunks, "events": agent.torch_profiler.events}
                           if agent.torch_profiler else None),
    }
