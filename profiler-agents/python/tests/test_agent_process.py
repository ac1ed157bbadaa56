"""The agent in real child processes, started the way ``throughline record`` starts it.

Each test runs a real Python interpreter (this one, ``sys.executable``) with PYTHONPATH=bootstrap
and the THROUGHLINE_* variables, against a fake collector on 127.0.0.1 that decodes the protocol.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import unittest

from tests.fake_collector import FakeCollector

HERE = os.path.dirname(os.path.abspath(__file__))
AGENT_ROOT = os.path.dirname(HERE)
BOOTSTRAP = os.path.join(AGENT_ROOT, "bootstrap")
TOKEN = "test-token-0123"


def torch_missing():
    probe = subprocess.run([sys.executable, "-c", "import torch"], capture_output=True)
    return probe.returncode != 0


def child_env(addr, token=TOKEN, extra_pythonpath=None, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("THROUGHLINE_")}
    env["PYTHONPATH"] = os.pathsep.join([BOOTSTRAP] + ([extra_pythonpath] if extra_pythonpath else []))
    env["THROUGHLINE_ADDR"] = addr
    env["THROUGHLINE_TOKEN"] = token
    env.update({k: str(v) for k, v in extra.items()})
    return env


def run_child(code, env, timeout=60):
    """Runs ``code`` in a child interpreter; returns (CompletedProcess, wall seconds)."""
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env,
                          capture_output=True, text=True, timeout=timeout)
    return proc, time.monotonic() - started


def last_json_line(text):
    for line in reversed(text.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise AssertionError("no JSON line in child output:\n" + text)


def warnings_of(stderr):
    return [line for line in stderr.splitlines() if line.startswith("throughline:")]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class BootstrapTest(unittest.TestCase):

    def test_steps_spans_samples_and_counters_arrive(self):
        code = """
            import json, os, time, threading
            import throughline_agent as tl

            def busy_python_function(seconds):
                end = time.monotonic() + seconds
                x = 0
                while time.monotonic() < end:
                    x += 1
                return x

            for i in range(5):
                with tl.span("work", i=i):
                    busy_python_function(0.06)
                tl.step()
            time.sleep(1.1)  # one counter period
            print(json.dumps(tl.stats()))
        """
        with FakeCollector(TOKEN) as collector:
            proc, wall = run_child(code, child_env(collector.addr, THROUGHLINE_SAMPLE_HZ=200))
            self.assertEqual(0, proc.returncode, proc.stderr)
            self.assertEqual([], warnings_of(proc.stderr))
            self.assertTrue(collector.wait_for(lambda ss: ss and ss[0].closed, 10))
        session = collector.sessions[0]
        stats = last_json_line(proc.stdout)
        hs = session.handshake
        self.assertEqual((1, TOKEN, "python", stats["pid"], os.getpid()),
                         (hs["version"], hs["token"], hs["kind"], hs["pid"], hs["ppid"]))
        self.assertIn("-c", hs["cmdline"])
        self.assertEqual([], session.errors)
        self.assertTrue(session.bye, "no BYE: the exit flush did not finish")

        steps = session.by_category("step")
        self.assertEqual(["step 0", "step 1", "step 2", "step 3"], [s["name"] for s in steps])
        self.assertTrue(all(s["args"]["source"] == "explicit" for s in steps))
        for s in steps:
            self.assertGreater(s["dur_ns"], 50e6)
            self.assertLess(s["dur_ns"], 2e9)
        for a, b in zip(steps, steps[1:]):
            self.assertEqual(a["start_ns"] + a["dur_ns"], b["start_ns"])  # mark to mark
        spans = session.by_category("user")
        self.assertEqual([0, 1, 2, 3, 4], [s["args"]["i"] for s in spans])
        self.assertEqual(session.threads[steps[0]["tid"]], "MainThread")
        self.assertEqual(stats["pid"], steps[0]["tid"])  # the main thread's tid is the pid

        self.assertGreater(len(session.samples), 20)
        functions = {frame[0] for s in session.samples for frame in s["stack"]}
        self.assertIn("busy_python_function", functions)
        busy = [s["stack"] for s in session.samples
                if any(frame[0] == "busy_python_function" for frame in s["stack"])]
        self.assertEqual(("<module>", "<string>"), busy[0][0][:2])  # root first
        self.assertEqual("busy_python_function", busy[0][-1][0])  # the leaf last
        self.assertFalse(any(name.startswith("throughline-") for name in session.threads.values()),
                         "the agent sampled its own threads: %s" % session.threads)
        counters = {name for name, _, _ in session.counters}
        self.assertLessEqual({"cpu_percent", "rss_bytes"}, counters)
        # what the agent's own threads cost, sent with the last batch
        import re
        cost = re.match(r"(\d+\.\d{3}) s CPU in (\d+\.\d) s = \d+\.\d\d % of one core "
                        r"\(sampler (\d+\.\d{3}) s, sender (\d+\.\d{3}) s\); not counted: ", session.meta["agent_cpu"])
        self.assertIsNotNone(cost, session.meta.get("agent_cpu"))
        self.assertGreater(float(cost.group(3)), 0.0, "200 Hz sampling for over a second costs the sampler CPU")
        self.assertGreater(float(cost.group(2)), 1.0, "the agent ran through the 1.1 s sleep and more")
        rss = [v for name, _, v in session.counters if name == "rss_bytes"]
        self.assertTrue(all(5e6 < v < 5e9 for v in rss), rss)
        self.assertEqual({}, {k: v for k, v in session.loss.items() if v})

    def test_chains_to_the_sitecustomize_it_shadows(self):
        other = tempfile.mkdtemp(prefix="tl-other-site-")
        try:
            with open(os.path.join(other, "sitecustomize.py"), "w") as f:
                f.write("import builtins\nbuiltins.SHADOWED_SITECUSTOMIZE_RAN = __file__\n")
            code = """
                import builtins, sys, throughline_agent
                print(getattr(builtins, "SHADOWED_SITECUSTOMIZE_RAN", None))
                print(throughline_agent.stats()["running"])
                print(sys.modules["sitecustomize"].__file__)
            """
            with FakeCollector(TOKEN) as collector:
                proc, _ = run_child(code, child_env(collector.addr, extra_pythonpath=other))
            self.assertEqual(0, proc.returncode, proc.stderr)
            shadowed, running, ours = proc.stdout.split()
            self.assertEqual(os.path.join(other, "sitecustomize.py"), shadowed)
            self.assertEqual("True", running)
            self.assertEqual(os.path.join(BOOTSTRAP, "sitecustomize.py"), ours)
        finally:
            shutil.rmtree(other)

    def test_without_address_the_bootstrap_does_nothing(self):
        env = child_env("unused")
        del env["THROUGHLINE_ADDR"]
        proc, _ = run_child("import throughline_agent as tl, json; tl.step(); "
                            "print(json.dumps(tl.stats()))", env)
        self.assertEqual(0, proc.returncode, proc.stderr)
        self.assertEqual({"running": False}, last_json_line(proc.stdout))
        self.assertEqual("", proc.stderr)


class CollectorTroubleTest(unittest.TestCase):
    """The job never waits on, or fails because of, the collector."""

    SPAN_LOOP = """
        import json, time
        import throughline_agent as tl
        end = time.monotonic() + %(seconds)s
        n = 0
        while time.monotonic() < end:
            with tl.span("tiny", n=n):
                pass
            n += 1
        print(json.dumps(dict(tl.stats(), spans=n)))
    """

    def test_no_collector_one_warning_and_normal_exit(self):
        env = child_env("127.0.0.1:%d" % free_port())
        proc, wall = run_child(self.SPAN_LOOP % {"seconds": 0.3}, env)
        self.assertEqual(0, proc.returncode, proc.stderr)
        self.assertEqual(1, len(warnings_of(proc.stderr)), proc.stderr)
        self.assertIn("cannot reach the collector", proc.stderr)
        self.assertLess(wall, 10)
        stats = last_json_line(proc.stdout)
        self.assertFalse(stats["active"])
        self.assertGreater(stats["dropped"]["collector gone"], 0)

    def test_bad_token_is_refused_and_the_job_runs_unprofiled(self):
        with FakeCollector("the-right-token") as collector:
            proc, _ = run_child(self.SPAN_LOOP % {"seconds": 0.2},
                                child_env(collector.addr, token="a-wrong-token"))
            self.assertTrue(collector.wait_for(lambda ss: collector.refused, 5))
        self.assertEqual(0, proc.returncode, proc.stderr)
        self.assertEqual(1, len(warnings_of(proc.stderr)), proc.stderr)
        self.assertIn("refused the token", proc.stderr)
        self.assertEqual([], collector.sessions)
        self.assertEqual("a-wrong-token", collector.refused[0]["token"])

    def test_stalled_collector_drops_and_counts_without_slowing_the_job(self):
        # the collector stops reading after 0.2 s and never reads again
        with FakeCollector(TOKEN, stall_after_s=0.2) as collector:
            proc, wall = run_child(self.SPAN_LOOP % {"seconds": 1.5},
                                   child_env(collector.addr, THROUGHLINE_BUFFER_EVENTS=1000,
                                             THROUGHLINE_FLUSH_TIMEOUT_S=0.5))
        self.assertEqual(0, proc.returncode, proc.stderr)
        stats = last_json_line(proc.stdout)
        self.assertGreater(stats["dropped"]["buffer full"], 0)
        self.assertGreater(stats["spans"], 10000, "the span loop was slowed down: %s" % stats)
        # 1.5 s loop + interpreter start + the bounded 0.5 s flush; far from a blocked job
        self.assertLess(wall, 6, proc.stderr)

    def test_collector_cut_mid_run_the_job_finishes_normally_and_the_agent_comes_back(self):
        # the first connection stalls after 0.2 s and is cut at 0.5 s; the next one works
        with FakeCollector(TOKEN, stall_after_s=0.2, cut_after_s=0.5, faulty_sessions=1) as collector:
            proc, wall = run_child(self.SPAN_LOOP % {"seconds": 2.5},
                                   child_env(collector.addr, THROUGHLINE_BUFFER_EVENTS=1000))
            self.assertTrue(collector.wait_for(
                lambda ss: len(ss) == 2 and all(s.closed for s in ss), 10))
        self.assertEqual(0, proc.returncode, proc.stderr)
        stats = last_json_line(proc.stdout)
        self.assertEqual(1, stats["reconnects"], stats)
        self.assertTrue(stats["active"])
        self.assertGreater(stats["dropped"]["collector gone"], 0)
        first, second = collector.sessions
        self.assertEqual(first.pid, second.pid)
        self.assertFalse(first.bye)
        self.assertTrue(second.bye)
        # the new connection carries the cumulative counts of what was dropped while away
        self.assertEqual(stats["dropped"]["collector gone"], second.loss["collector gone"])
        self.assertGreater(len(second.by_category("user")), 0, "spans after the reconnect arrive")
        self.assertLessEqual(len(warnings_of(proc.stderr)), 1, proc.stderr)
        self.assertLess(wall, 8, proc.stderr)


class ForkTest(unittest.TestCase):

    def test_forked_child_reconnects_with_its_own_pid(self):
        code = """
            import json, os, sys, time
            import throughline_agent as tl
            with tl.span("before fork"):
                time.sleep(0.01)
            pid = os.fork()
            if pid == 0:
                tl.set_process_name("forked child")
                with tl.span("in child"):
                    time.sleep(0.05)
                sys.exit(0)  # atexit runs: the child's agent flushes
            with tl.span("in parent"):
                time.sleep(0.05)
            _, status = os.waitpid(pid, 0)
            print(json.dumps({"parent": os.getpid(), "child": pid, "status": status}))
        """
        with FakeCollector(TOKEN) as collector:
            proc, _ = run_child(code, child_env(collector.addr))
            self.assertEqual(0, proc.returncode, proc.stderr)
            self.assertTrue(collector.wait_for(
                lambda ss: len(ss) == 2 and all(s.closed for s in ss), 10))
        pids = last_json_line(proc.stdout)
        self.assertEqual(0, pids["status"])
        by_pid = {s.pid: s for s in collector.sessions}
        self.assertEqual({pids["parent"], pids["child"]}, set(by_pid))
        parent, child = by_pid[pids["parent"]], by_pid[pids["child"]]
        self.assertEqual("forked child", child.handshake["name"])
        self.assertEqual(pids["parent"], child.handshake["ppid"])
        self.assertEqual(["before fork", "in parent"], [s["name"] for s in parent.slices])
        self.assertEqual(["in child"], [s["name"] for s in child.slices])
        self.assertEqual(pids["child"], child.slices[0]["tid"])
        self.assertTrue(parent.bye and child.bye)


@unittest.skipIf(torch_missing(), "torch is not importable by %s: install python3-torch "
                                  "(run-tests does) to run the DataLoader tests" % sys.executable)
class TorchDataLoaderTest(unittest.TestCase):

    def test_workers_report_data_fetch_and_the_loop_data_wait(self):
        code = """
            import json, os, time
            import torch
            from torch.utils.data import DataLoader, Dataset

            class Slow(Dataset):
                def __len__(self):
                    return 24
                def __getitem__(self, i):
                    time.sleep(0.004)
                    return torch.full((4,), float(i)), i % 2

            model = torch.nn.Linear(4, 2)
            opt = torch.optim.SGD(model.parameters(), lr=0.01)
            waited = 0.0
            it = iter(DataLoader(Slow(), batch_size=4, num_workers=2))
            batches = 0
            while True:
                t0 = time.monotonic()
                try:
                    x, y = next(it)
                except StopIteration:
                    break
                waited += time.monotonic() - t0
                batches += 1
                opt.zero_grad()
                torch.nn.functional.cross_entropy(model(x), y).backward()
                opt.step()
            print(json.dumps({"pid": os.getpid(), "batches": batches, "waited": waited}))
        """
        with FakeCollector(TOKEN) as collector:
            proc, _ = run_child(code, child_env(collector.addr), timeout=120)
            self.assertEqual(0, proc.returncode, proc.stderr)
            self.assertTrue(collector.wait_for(
                lambda ss: len(ss) == 3 and all(s.closed for s in ss), 15),
                [(s.handshake, s.closed) for s in collector.sessions])
        self.assertEqual([], warnings_of(proc.stderr))
        out = last_json_line(proc.stdout)
        self.assertEqual(6, out["batches"])
        by_pid = {s.pid: s for s in collector.sessions}
        parent = by_pid.pop(out["pid"])
        workers = sorted(by_pid.values(), key=lambda s: s.handshake["name"])

        waits = parent.by_category("data_wait")
        self.assertEqual(6, len(waits))
        self.assertEqual([2] * 6, [w["args"]["num_workers"] for w in waits])
        measured = sum(w["dur_ns"] for w in waits) / 1e9
        self.assertAlmostEqual(out["waited"], measured, delta=0.002 * 6 + 0.05 * out["waited"])
        steps = parent.by_category("step")
        self.assertEqual(5, len(steps))  # six optimizer.step marks
        self.assertTrue(all(s["args"]["source"] == "optimizer.step" for s in steps))
        self.assertEqual([], parent.by_category("data_fetch"))

        self.assertEqual(["DataLoader worker 0", "DataLoader worker 1"],
                         [w.handshake["name"] for w in workers])
        self.assertEqual(2, len({w.pid for w in workers}))
        for worker_id, w in enumerate(workers):
            self.assertEqual(out["pid"], w.handshake["ppid"])
            fetches = w.by_category("data_fetch")
            self.assertEqual(3, len(fetches), w.slices)  # 6 batches over 2 workers
            for f in fetches:
                self.assertEqual(w.pid, f["tid"])
                self.assertEqual({"worker_id": worker_id, "batch_size": 4}, f["args"])
                self.assertGreater(f["dur_ns"], 4 * 0.004e9)
            self.assertEqual([], w.by_category("step"))
            self.assertTrue(w.bye, "worker %d did not flush before exiting" % worker_id)

    def test_spawned_workers_are_named_and_report_data_fetch(self):
        script = textwrap.dedent("""
            import time, torch
            from torch.utils.data import DataLoader, Dataset

            class Slow(Dataset):
                def __len__(self):
                    return 8
                def __getitem__(self, i):
                    time.sleep(0.002)
                    return torch.zeros(2)

            if __name__ == "__main__":
                loader = DataLoader(Slow(), batch_size=2, num_workers=2,
                                    multiprocessing_context="spawn")
                print(sum(1 for _ in loader))
        """)
        tmp = tempfile.mkdtemp(prefix="tl-spawn-")
        try:
            path = os.path.join(tmp, "spawn_train.py")
            with open(path, "w") as f:
                f.write(script)
            with FakeCollector(TOKEN) as collector:
                proc = subprocess.run([sys.executable, path], env=child_env(collector.addr),
                                      capture_output=True, text=True, timeout=120)
                self.assertEqual(0, proc.returncode, proc.stderr)
                self.assertTrue(collector.wait_for(
                    lambda ss: len(ss) >= 3 and all(s.closed for s in ss), 15))
        finally:
            shutil.rmtree(tmp)
        self.assertEqual("4", proc.stdout.strip())
        # multiprocessing's resource tracker is not profiled: parent + 2 workers only
        names = sorted(s.handshake["name"] for s in collector.sessions)
        self.assertEqual(["DataLoader worker 0", "DataLoader worker 1", "spawn_train.py"], names)
        for s in collector.sessions:
            if s.handshake["name"].startswith("DataLoader worker"):
                self.assertEqual(2, len(s.by_category("data_fetch")))
            else:
                self.assertEqual(4, len(s.by_category("data_wait")))


if __name__ == "__main__":
    unittest.main()


@unittest.skipIf(torch_missing(), "torch is not importable by %s: install python3-torch "
                                  "(run-tests does) to run the torch.profiler tests" % sys.executable)
class TorchProfilerStreamTest(unittest.TestCase):

    def test_cpu_ops_stream_on_the_agent_clock_and_yield_to_the_users_own_profiler(self):
        code = """
            import json, os, threading, time
            import torch
            import throughline_agent as tl
            model = torch.nn.Linear(32, 4)
            opt = torch.optim.SGD(model.parameters(), lr=0.1)
            x = torch.randn(8, 32)
            user_ops = 0
            begin = time.monotonic_ns()
            def train_step():
                opt.zero_grad()
                model(x).sum().backward()
                opt.step()
            for i in range(8):
                if i == 4:
                    with torch.profiler.profile() as prof:   # the user's own profiler, mid-run
                        train_step()
                    user_ops = sum(1 for e in prof.events() if e.name == "aten::linear")
                else:
                    train_step()
                time.sleep(0.05)
            print(json.dumps(dict(tl.stats(), user_ops=user_ops, begin=begin, end=time.monotonic_ns(),
                                  main_tid=threading.get_native_id())))
        """
        key_averages = os.path.join(tempfile.mkdtemp(), "key_averages.json")
        with FakeCollector(TOKEN) as collector:
            proc, _ = run_child(code, child_env(collector.addr, THROUGHLINE_TORCH_PROFILER=1,
                                                THROUGHLINE_SAMPLE_HZ=0,
                                                THROUGHLINE_TORCH_KEY_AVERAGES=key_averages))
            self.assertEqual(0, proc.returncode, proc.stderr)
            self.assertTrue(collector.wait_for(lambda ss: ss and ss[0].closed, 10))
        self.assertEqual([], warnings_of(proc.stderr))
        out = last_json_line(proc.stdout)
        self.assertEqual(1, out["user_ops"], "the user's profiler saw its step")
        # ours ended its first chunk when the user's started (the second ends at exit, after this print)
        self.assertEqual(1, out["torch_profiler"]["chunks"])
        session = collector.sessions[0]
        self.assertTrue(session.meta["torch_profiler"].startswith("on: torch "), session.meta)
        self.assertIn("CPU", session.meta["torch_profiler"])
        self.assertEqual("off", session.meta["stack_sampling"])
        self.assertIn("torch", session.meta)
        ops = session.by_category("cpu_op")
        linear = [s for s in ops if s["name"] == "aten::linear"]
        # steps 0-3 and 6-7; step 4 belongs to the user's profiler; step 5's forward ran before
        # the step mark that resumed ours
        self.assertEqual(6, len(linear), [s["start_ns"] for s in linear])
        for s in linear:
            self.assertEqual(out["main_tid"], s["tid"])
            self.assertTrue(out["begin"] <= s["start_ns"] and s["start_ns"] + s["dur_ns"] <= out["end"],
                            "on the agent's monotonic clock: %s" % s)
        # ops and steps share one clock: every captured forward lies inside the run of steps
        steps = session.by_category("step")
        self.assertEqual(7, len(steps))
        inside = [s for s in linear if any(st["start_ns"] <= s["start_ns"] <= st["start_ns"] + st["dur_ns"]
                                           for st in steps)]
        self.assertEqual(5, len(inside), "step 0's forward precedes the first step mark")
        # the first chunk's events, then the second chunk's at exit
        self.assertGreater(len(ops), out["torch_profiler"]["events"])
        # torch's own key_averages() over the same chunks agrees with what reached the collector
        with open(key_averages) as f:
            table = json.load(f)["rows"]
        self.assertNotIn("_error", table)
        self.assertEqual(len(linear), table["aten::linear"]["count"])
        self.assertAlmostEqual(sum(s["dur_ns"] for s in linear) / 1000.0,
                               table["aten::linear"]["cpu_time_total_us"], delta=0.5 * len(linear))
        self.assertGreater(out["torch_profiler"]["events"], 0)
