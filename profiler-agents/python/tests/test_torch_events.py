"""How the torch profiler stream maps Kineto events to slices, on events shaped like torch 2.x's _KinetoEvent.

The CPU-only torch here never produces device events, so these are stand-ins with the same methods; what a
CUDA run really yields was seen on an H100 (bench/RESULTS.md, "GPU machine").
"""

import types
import unittest

from throughline_agent import agent as agent_mod
from throughline_agent import torch_profiler
from throughline_agent import wire

CPU, CUDA = "CPU", "CUDA"


class FakeEvent:
    def __init__(self, name, device, start_ns, dur_ns, correlation=0, annotation=False, stream=7, thread=1):
        self._name, self._device, self._start, self._dur = name, device, start_ns, dur_ns
        self._correlation, self._annotation, self._stream, self._thread = correlation, annotation, stream, thread

    def name(self):
        return self._name

    def device_type(self):
        return self._device

    def start_ns(self):
        return self._start

    def duration_ns(self):
        return self._dur

    def correlation_id(self):
        return self._correlation

    def is_user_annotation(self):
        return self._annotation

    def device_index(self):
        return 0

    def device_resource_id(self):
        return self._stream

    def start_thread_id(self):
        return self._thread


def stream_for(agent):
    """A TorchProfilerStream without torch: only what _emit reads."""
    s = torch_profiler.TorchProfilerStream.__new__(torch_profiler.TorchProfilerStream)
    s.agent = agent
    s.wall_minus_mono = 0
    s.native_tid = 4242
    s.events = 0
    device_type = types.SimpleNamespace(CUDA=CUDA, CPU=CPU)
    s.torch = types.SimpleNamespace(_C=types.SimpleNamespace(_autograd=types.SimpleNamespace(DeviceType=device_type)))
    return s


class TorchEventMappingTest(unittest.TestCase):

    def test_gpu_user_annotations_are_user_ranges_on_the_stream_not_kernels(self):
        agent = agent_mod.Agent(agent_mod.Config("127.0.0.1:9"))  # never started: events stay in its queue
        events = [
            FakeEvent(torch_profiler.MARKER, CPU, 0, 1, thread=1),
            FakeEvent("aten::addmm", CPU, 1_000, 500, thread=1),
            FakeEvent("cudaLaunchKernel", CPU, 1_100, 20, correlation=42, thread=1),
            FakeEvent("sgemm_largek", CUDA, 2_000, 300, correlation=42),
            FakeEvent("Memcpy HtoD (Pageable -> Device)", CUDA, 2_400, 50, correlation=43),
            FakeEvent("Optimizer.step#SGD.step", CUDA, 1_900, 21_700_000, correlation=44, annotation=True),
        ]
        stream_for(agent)._emit(events)
        slices = {ev[5]: ev for ev in agent.queue if ev[0] == agent_mod._EV_SLICE}
        self.assertEqual(wire.KERNEL, slices["sgemm_largek"][1])
        self.assertEqual(wire.MEMCPY, slices["Memcpy HtoD (Pageable -> Device)"][1])
        annotation = slices["Optimizer.step#SGD.step"]
        self.assertEqual(wire.USER, annotation[1])
        self.assertEqual((("device", 0), ("stream", 7)), annotation[7], "on the stream it was projected onto")
        self.assertEqual(-1, annotation[6], "no correlation: it is not one launch's work")
        self.assertEqual(wire.CPU_OP, slices["aten::addmm"][1])
        self.assertEqual(wire.CUDA_API, slices["cudaLaunchKernel"][1])
        self.assertEqual(42, slices["cudaLaunchKernel"][6])

    def test_events_without_is_user_annotation_count_as_device_work(self):
        class OldEvent(FakeEvent):  # torch 1.x events have no is_user_annotation
            is_user_annotation = None
        self.assertFalse(torch_profiler._is_user_annotation(OldEvent("k", CUDA, 0, 1)))


if __name__ == "__main__":
    unittest.main()
