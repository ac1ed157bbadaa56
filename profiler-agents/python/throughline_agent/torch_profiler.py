"""--torch-profiler (THROUGHLINE_TORCH_PROFILER=1): torch.profiler activities streamed into the capture.

The profiler runs in chunks. A chunk starts on the training thread and ends at a step mark once
``CHUNK_S`` has passed (or at exit); its events go into the agent's queue as ordinary slices, on the
agent's clock, so they land in the same capture as steps, data waits and samples:

* CPU ops (``aten::*``, ``record_function`` ranges) -> ``cpu_op`` on the training thread's track
  (other torch threads get tracks named "torch thread N");
* CUDA runtime calls (``cuda*``) -> ``cuda_api``; kernels, memcpy and memset (CUDA activities) ->
  ``kernel`` / ``memcpy`` / ``memset`` with ``device`` and ``stream`` args, keeping the CUPTI
  correlation id, so the collector puts them on GPU stream tracks.

It drives the profiler through the same calls ``torch.autograd.profiler.profile`` makes
(``_prepare_profiler`` / ``_enable_profiler`` / ``_disable_profiler``) but skips its Python-side
parsing: a chunk of ~1,000 events costs ~3 ms to collect. Torch's profiler state is per thread, so
every chunk starts and ends on the thread that started the first one.

When the user's own code starts a profiler (``torch.profiler.profile``, ``record_function`` ranges
are fine), ours ends its chunk first and resumes at a later step mark once theirs is off: the two
never fight over the one profiler slot, and their code never sees an error from us.

Kineto's timestamps are Unix-epoch microseconds (or nanoseconds in newer releases); they are
mapped onto CLOCK_MONOTONIC with one offset taken when the stream starts.
"""

import json
import os
import threading
import time

from . import wire

CHUNK_S = 1.0
MARKER = "throughline::thread_marker"
_OTHER_THREAD_BASE = 0x7EED_0000_0000  # synthetic tids for torch threads we cannot map to a native tid


def start(agent):
    """Starts streaming on the calling thread; returns the stream (its ``stop`` ends it)."""
    stream = TorchProfilerStream(agent)
    stream.begin()
    return stream


def _autograd_profile(autograd_profiler, use_cuda):
    """torch's legacy profile object (for its config and its parser); torch >= 2.4 takes use_device and warns on use_cuda."""
    try:
        return autograd_profiler.profile(use_device="cuda" if use_cuda else None, use_kineto=True)
    except TypeError:  # torch < 2.4
        return autograd_profiler.profile(use_cuda=use_cuda, use_kineto=True)


class TorchProfilerStream:
    def __init__(self, agent):
        import torch
        from torch.autograd import profiler as autograd_profiler
        self.torch = torch
        self.agent = agent
        use_cuda = bool(torch.cuda.is_available())
        template = _autograd_profile(autograd_profiler, use_cuda)
        self.config = template.config()
        self.activities = template.kineto_activities
        self.thread = threading.get_ident()
        self.native_tid = threading.get_native_id()
        self.lock = threading.RLock()
        self.running = False      # a chunk of ours is being recorded
        self.paused = False       # the user's own profiler holds the slot
        self.stopped = False
        self.chunk_started = 0.0
        self.chunks = 0
        self.events = 0
        # wall (epoch ns) -> monotonic ns
        self.wall_minus_mono = time.time_ns() - time.monotonic_ns()
        # THROUGHLINE_TORCH_KEY_AVERAGES=FILE: torch's own key_averages() over the same chunks, written at stop,
        # so the capture's per-name totals can be checked against torch's own table from the same run
        self.key_averages_path = os.environ.get("THROUGHLINE_TORCH_KEY_AVERAGES") or None
        self.key_averages = {}
        self.use_cuda = use_cuda
        self._patch_user_profiler(autograd_profiler)
        # The last chunk ends when the main thread finishes, before the interpreter's atexit handlers (the agent's
        # flush among them) run, while torch is whole.
        register = getattr(threading, "_register_atexit", None)  # Python >= 3.9
        if register is not None:
            try:
                register(self.stop_quietly)
            except Exception:
                pass

    def describe(self):
        names = sorted(str(a).split(".")[-1] for a in self.activities)
        return "on: torch %s, activities %s, chunks of >= %g s ending at step marks" % (
            self.torch.__version__, "+".join(names), CHUNK_S)

    # ------------------------------------------------------------------ chunks

    def begin(self):
        with self.lock:
            if self.running or self.stopped or self.torch.autograd._profiler_enabled():
                return
            # prepared again for every chunk, as torch's own profile() does: Kineto's CUDA (CUPTI) tracing is set up
            # by prepare and torn down by disable; a chunk enabled without it crashed torch 2.11 when it was disabled
            # (SIGSEGV in _disable_profiler at the second chunk's end, seen on an H100; on CPU it made no difference)
            self.torch.autograd._prepare_profiler(self.config, self.activities)
            self.torch.autograd._enable_profiler(self.config, self.activities)
            self.running = True
            self.paused = False
            self.chunk_started = time.monotonic()
            # one cheap range whose torch thread id tells which id is this (native) thread
            with self.torch.autograd.profiler.record_function(MARKER):
                pass

    def end(self):
        """Ends the running chunk and queues its events."""
        with self.lock:
            if not self.running:
                return
            self.running = False
            result = self.torch.autograd._disable_profiler()
            self.chunks += 1
        self._emit(result.events())
        if self.key_averages_path:
            self._add_key_averages(result)

    def on_step(self):
        """At a step mark: rotate the chunk when it is old enough; resume after a user profiler."""
        if threading.get_ident() != self.thread or self.stopped:
            return
        if self.running:
            if time.monotonic() - self.chunk_started >= CHUNK_S:
                self.end()
                self.begin()
        elif self.paused and not self.torch.autograd._profiler_enabled():
            self.begin()

    def stop_quietly(self):
        try:
            self.stop()
        except Exception:
            pass

    def stop(self):
        if threading.get_ident() != self.thread:
            self.stopped = True  # the profiler can only be switched off from its own thread
            return
        self.end()
        self.stopped = True
        if self.key_averages_path:
            try:
                with open(self.key_averages_path, "w") as f:
                    json.dump({"torch": self.torch.__version__, "chunks": self.chunks,
                               "rows": self.key_averages}, f, indent=1, sort_keys=True)
            except Exception:
                pass

    def _add_key_averages(self, result):
        """torch's own parse and key_averages() of one chunk, summed per key (times in µs, as torch gives them)."""
        try:
            from torch.autograd import profiler as autograd_profiler
            from torch.autograd.profiler_util import EventList
            parser = _autograd_profile(autograd_profiler, self.use_cuda)
            parsed = parser._parse_kineto_results(result)
            try:
                events = EventList(parsed, use_device="cuda" if self.use_cuda else None)
            except TypeError:  # torch < 2.1
                events = EventList(parsed, use_cuda=self.use_cuda)
            events._build_tree()
            for avg in events.key_averages():
                row = self.key_averages.setdefault(avg.key, {"count": 0, "cpu_time_total_us": 0.0,
                                                             "device_time_total_us": 0.0,
                                                             "self_device_time_total_us": 0.0})
                row["count"] += int(avg.count)
                row["cpu_time_total_us"] += float(avg.cpu_time_total)
                row["device_time_total_us"] += float(getattr(avg, "device_time_total",
                                                             getattr(avg, "cuda_time_total", 0)) or 0)
                row["self_device_time_total_us"] += float(getattr(avg, "self_device_time_total",
                                                                  getattr(avg, "self_cuda_time_total", 0)) or 0)
        except Exception as e:
            self.key_averages.setdefault("_error", {"message": "%s: %s" % (type(e).__name__, e)})

    def forget_after_fork(self):
        """In a forked child (a DataLoader worker): the inherited profiler state records nothing for us.

        With CUDA activities the child is left alone: stopping Kineto there waits on CUPTI, whose threads stayed in
        the parent, so the worker hung before its first batch and the training with it (seen on an H100 with torch
        2.11). The child's CPU ops then go to a profiler nobody reads (memory only; a worker runs few ops).
        """
        self.stopped = True
        try:
            if self.running and not self.use_cuda and self.torch.autograd._profiler_enabled():
                self.torch.autograd._disable_profiler()
        except Exception:
            pass
        self.running = False

    # ------------------------------------------------------------------ the user's own profiler

    def _patch_user_profiler(self, autograd_profiler):
        """Whoever else enables the profiler on our thread first ends our chunk (their code must not fail)."""
        stream = self
        for name in ("_prepare_profiler", "_enable_profiler"):
            original = getattr(autograd_profiler, name, None)
            if original is None or getattr(original, "_throughline", False):
                continue

            def wrapper(*args, _original=original, **kwargs):
                if stream.running and threading.get_ident() == stream.thread:
                    try:
                        stream.end()
                        stream.paused = True
                    except Exception:
                        pass
                return _original(*args, **kwargs)

            wrapper._throughline = True
            setattr(autograd_profiler, name, wrapper)

    # ------------------------------------------------------------------ events -> slices

    def _emit(self, events):
        agent = self.agent
        offset = self.wall_minus_mono
        marker_tid = None
        for e in events:
            if e.name() == MARKER:
                marker_tid = e.start_thread_id()
                break
        cuda_device = _device_type(self.torch, "CUDA")
        n = 0
        for e in events:
            name = e.name()
            if name == MARKER or name.startswith("ProfilerStep#"):
                continue
            start_ns = _start_ns(e) - offset
            dur_ns = _duration_ns(e)
            correlation = _int(e.correlation_id(), -1)
            if cuda_device is not None and e.device_type() == cuda_device:
                if _is_user_annotation(e):
                    # gpu_user_annotation: a record_function range (Optimizer.step#SGD.step, ...) projected onto the
                    # stream, spanning its kernels; the collector puts it on the stream's annotation track
                    category = wire.USER
                elif name.startswith("Memcpy"):
                    category = wire.MEMCPY
                elif name.startswith("Memset"):
                    category = wire.MEMSET
                else:
                    category = wire.KERNEL
                args = (("device", _int(e.device_index(), 0)), ("stream", _int(e.device_resource_id(), 0)))
                agent.slice(category, name, start_ns, dur_ns, args, tid=self.native_tid,
                            correlation=correlation if correlation > 0 and category != wire.USER else -1)
            else:
                torch_tid = e.start_thread_id()
                if torch_tid == marker_tid:
                    tid = self.native_tid
                else:
                    tid = _OTHER_THREAD_BASE + int(torch_tid)
                    if tid not in agent.thread_names:
                        agent.thread_names[tid] = "torch thread %d" % torch_tid
                category = wire.CUDA_API if name.startswith("cuda") else wire.CPU_OP
                agent.slice(category, name, start_ns, dur_ns, None, tid=tid,
                            correlation=correlation if category == wire.CUDA_API and correlation > 0 else -1)
            n += 1
        self.events += n


def _is_user_annotation(e):
    """torch >= 2.0 says so; older events have no GPU annotations to tell apart."""
    is_annotation = getattr(e, "is_user_annotation", None)
    try:
        return bool(is_annotation()) if is_annotation is not None else False
    except Exception:
        return False


def _device_type(torch, name):
    try:
        return getattr(torch._C._autograd.DeviceType, name)
    except AttributeError:
        try:
            return getattr(torch.autograd.DeviceType, name)
        except AttributeError:
            return None


def _start_ns(e):
    start_ns = getattr(e, "start_ns", None)
    if start_ns is not None:
        return int(start_ns())
    return int(e.start_us()) * 1000


def _duration_ns(e):
    duration_ns = getattr(e, "duration_ns", None)
    if duration_ns is not None:
        return max(0, int(duration_ns()))
    return max(0, int(e.duration_us()) * 1000)


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
