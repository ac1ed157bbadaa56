"""Throughline's Python agent: steps, spans, DataLoader timing, stack sampling, counters.

Started by ``throughline record`` through ``bootstrap/sitecustomize.py`` (no change to the user's
script). A script may also mark steps and spans itself; without a running agent these are no-ops:

    import throughline_agent as tl
    for batch in loader:
        with tl.span("forward+backward"):
            ...
        tl.step()          # a step runs from one mark to the next; explicit marks win
"""

import time as _time

from . import agent as _agent_mod
from . import wire as _wire
from .agent import start, stats, flush_and_stop, set_process_name, Config  # noqa: F401

__all__ = ["start", "step", "span", "stats", "flush_and_stop", "set_process_name", "Config"]

_monotonic_ns = _time.monotonic_ns


def step():
    """Marks the end of one training step and the start of the next (SLICE category step)."""
    _agent_mod.mark_step("explicit")


class _Span:
    __slots__ = ("name", "args", "start")

    def __init__(self, name, args):
        self.name = name
        self.args = args
        self.start = 0

    def __enter__(self):
        self.start = _monotonic_ns()
        return self

    def __exit__(self, exc_type, exc, tb):
        agent = _agent_mod._agent
        if agent is not None:  # an inactive agent counts the event as dropped
            try:
                end = _monotonic_ns()
                agent.slice(_wire.USER, self.name, self.start, end - self.start,
                            tuple(self.args.items()) if self.args else None)
            except Exception:
                pass
        return False


class _NoSpan:
    __slots__ = ()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        return False


_NO_SPAN = _NoSpan()


def span(name, **args):
    """``with span("augment"):`` times a block as a user slice; args (int, float, str) go along."""
    if _agent_mod._agent is None:
        return _NO_SPAN
    return _Span(str(name), args)
