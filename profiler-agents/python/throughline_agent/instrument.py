"""Hooks into the libraries a training job uses, installed once per interpreter.

* torch (when it is, or later gets, imported):
  - ``_BaseDataLoaderIter.__next__`` -> ``data_wait`` slices in the training process;
  - the dataset fetchers, inside a DataLoader worker -> ``data_fetch`` slices (fetch + collate);
  - ``_worker_loop`` -> the worker names itself "DataLoader worker N" and flushes when it ends;
  - ``torch.profiler.profile.step`` and ``Optimizer.step`` -> step marks.
* multiprocessing: ``BaseProcess._bootstrap`` -> a forked child names itself and flushes before
  ``os._exit`` (which skips atexit).

Modules imported after the agent starts are patched by a post-import hook on ``sys.meta_path``.
Every wrapper calls the original even when the agent is gone, and never lets an agent error out.
"""

import functools
import sys
import threading
import time

from . import agent as _agent_mod
from . import wire

_monotonic_ns = time.monotonic_ns
_installed = set()
_install_lock = threading.Lock()


def _current():
    """The process's agent; an inactive one (collector gone) still counts what it drops."""
    return _agent_mod._agent


def install(agent):
    """Patches what is already imported; hooks the rest for when it is imported."""
    hooks = {"torch": _patch_torch, "multiprocessing.process": _patch_multiprocessing}
    pending = {}
    for name, patch in hooks.items():
        module = sys.modules.get(name)
        if module is not None and _is_loaded(module):
            _apply(name, patch, module)
        else:
            pending[name] = patch
    if pending and not any(isinstance(f, _PostImportFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _PostImportFinder(pending))
    if agent.config.torch_profiler and "torch" in sys.modules:
        _start_torch_profiler(agent)


def _is_loaded(module):
    spec = getattr(module, "__spec__", None)
    return not getattr(spec, "_initializing", False)


def _apply(name, patch, module):
    with _install_lock:
        if name in _installed:
            return
        _installed.add(name)
    try:
        patch(module)
    except Exception as e:
        _agent_mod._warn("%s instrumentation unavailable (%s)" % (name, _agent_mod._describe(e)))


class _PostImportFinder:
    """Runs a patch right after a watched module finishes executing."""

    def __init__(self, hooks):
        self.hooks = hooks
        self.busy = set()

    def find_spec(self, fullname, path=None, target=None):
        patch = self.hooks.get(fullname)
        if patch is None or fullname in self.busy or fullname in _installed:
            return None
        self.busy.add(fullname)
        try:
            spec = None
            for finder in sys.meta_path:
                if finder is self or not hasattr(finder, "find_spec"):
                    continue
                spec = finder.find_spec(fullname, path, target)
                if spec is not None:
                    break
        finally:
            self.busy.discard(fullname)
        loader = getattr(spec, "loader", None)
        if loader is None or not hasattr(loader, "exec_module"):
            return spec
        original = loader.exec_module

        def exec_module(module):
            original(module)
            _apply(fullname, patch, module)
            if fullname == "torch":
                agent = _current()
                if agent is not None and agent.config.torch_profiler:
                    _start_torch_profiler(agent)

        try:
            loader.exec_module = exec_module
        except Exception:
            pass
        return spec

    def invalidate_caches(self):
        pass


# --------------------------------------------------------------------- multiprocessing

def _patch_multiprocessing(module):
    cls = module.BaseProcess
    original = cls._bootstrap
    if getattr(original, "_throughline", False):
        return

    @functools.wraps(original)
    def _bootstrap(self, *args, **kwargs):
        try:
            _agent_mod.set_process_name(_process_name(self))
        except Exception:
            pass
        try:
            return original(self, *args, **kwargs)
        finally:
            _agent_mod.flush_and_stop()

    _bootstrap._throughline = True
    cls._bootstrap = _bootstrap


def _process_name(process):
    target = getattr(process, "_target", None)
    if getattr(target, "_throughline_worker_loop", False):
        worker_id = _worker_id(getattr(process, "_args", ()), getattr(process, "_kwargs", {}))
        if worker_id is not None:
            return "DataLoader worker %d" % worker_id
    return process.name


def _worker_id(args, kwargs):
    if "worker_id" in kwargs:
        return int(kwargs["worker_id"])
    if len(args) > 10 and isinstance(args[10], int):
        return args[10]
    return None


# --------------------------------------------------------------------- torch

def _patch_torch(torch):
    agent = _current()
    if agent is not None:
        agent.meta["torch"] = str(getattr(torch, "__version__", "unknown"))
    _patch_dataloader(torch)
    _patch_fetchers(torch)
    _patch_worker_loop(torch)
    _patch_profiler_step(torch)
    _patch_optimizer(torch)


def _patch_dataloader(torch):
    from torch.utils.data import dataloader
    cls = dataloader._BaseDataLoaderIter
    original = cls.__next__
    if getattr(original, "_throughline", False):
        return

    @functools.wraps(original)
    def __next__(self):
        agent = _current()
        if agent is None:
            return original(self)
        start = _monotonic_ns()
        batch = original(self)
        end = _monotonic_ns()
        try:
            agent.slice(wire.DATA_WAIT, "DataLoader.__next__", start, end - start,
                        (("num_workers", int(getattr(self, "_num_workers", 0))),
                         ("batch", int(getattr(self, "_num_yielded", 0)) - 1)))
        except Exception:
            pass
        return batch

    __next__._throughline = True
    cls.__next__ = __next__


def _patch_fetchers(torch):
    from torch.utils.data._utils import fetch, worker
    for cls in (fetch._MapDatasetFetcher, fetch._IterableDatasetFetcher):
        original = cls.fetch
        if getattr(original, "_throughline", False):
            continue
        cls.fetch = _fetch_wrapper(original, worker)


def _fetch_wrapper(original, worker_module):
    @functools.wraps(original)
    def fetch(self, possibly_batched_index):
        info = worker_module._worker_info  # set only inside a DataLoader worker process
        agent = _current() if info is not None else None
        if agent is None:
            return original(self, possibly_batched_index)
        start = _monotonic_ns()
        data = original(self, possibly_batched_index)
        end = _monotonic_ns()
        try:
            try:
                size = len(possibly_batched_index)
            except TypeError:
                size = 1
            agent.slice(wire.DATA_FETCH, "DataLoader.fetch", start, end - start,
                        (("worker_id", int(info.id)), ("batch_size", size)))
        except Exception:
            pass
        return data

    fetch._throughline = True
    return fetch


def _patch_worker_loop(torch):
    from torch.utils.data._utils import worker
    original = worker._worker_loop
    if getattr(original, "_throughline", False):
        return

    @functools.wraps(original)
    def _worker_loop(*args, **kwargs):
        try:
            worker_id = _worker_id(args, kwargs)
            if worker_id is not None:
                _agent_mod.set_process_name("DataLoader worker %d" % worker_id)
        except Exception:
            pass
        try:
            return original(*args, **kwargs)
        finally:
            _agent_mod.flush_and_stop()

    _worker_loop._throughline = True
    _worker_loop._throughline_worker_loop = True
    worker._worker_loop = _worker_loop


def _patch_profiler_step(torch):
    profiler = getattr(torch, "profiler", None)
    cls = getattr(profiler, "profile", None)
    if cls is None:
        return
    original = cls.step
    if getattr(original, "_throughline", False):
        return

    @functools.wraps(original)
    def step(self, *args, **kwargs):
        _agent_mod.mark_step("torch.profiler")
        return original(self, *args, **kwargs)

    step._throughline = True
    cls.step = step


_step_depth = threading.local()


def _patch_optimizer(torch):
    optimizer_cls = torch.optim.Optimizer
    original_init = optimizer_cls.__init__
    if getattr(original_init, "_throughline", False):
        return

    @functools.wraps(original_init)
    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        try:
            _wrap_step(type(self))
        except Exception:
            pass

    __init__._throughline = True
    optimizer_cls.__init__ = __init__


def _wrap_step(cls):
    """Wraps ``cls.step`` once; nested wrapped steps (a subclass calling super().step()) mark once."""
    original = cls.step
    if getattr(original, "_throughline", False):
        return

    @functools.wraps(original)
    def step(*args, **kwargs):
        depth = getattr(_step_depth, "value", 0)
        _step_depth.value = depth + 1
        try:
            return original(*args, **kwargs)
        finally:
            _step_depth.value = depth
            if depth == 0:
                _agent_mod.mark_step("optimizer.step")

    step._throughline = True
    cls.step = step


# --------------------------------------------------------------------- torch.profiler streaming

def _start_torch_profiler(agent):
    if agent.torch_profiler is not None or not agent.active:
        return
    try:
        from . import torch_profiler
        agent.torch_profiler = torch_profiler.start(agent)
        agent.meta["torch_profiler"] = agent.torch_profiler.describe()
    except Exception as e:
        agent.torch_profiler = False  # warn once
        agent.meta["torch_profiler"] = "unavailable: %s" % _agent_mod._describe(e)
        _agent_mod._warn("--torch-profiler unavailable (%s); recording without it"
                         % _agent_mod._describe(e))
