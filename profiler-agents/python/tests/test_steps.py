"""Step detection priority: explicit step() > torch.profiler step > optimizer.step (in-process)."""

import unittest

from throughline_agent import agent as agent_mod
from throughline_agent import wire


def new_agent():
    # never started: no threads, no connection; events stay in its queue
    return agent_mod.Agent(agent_mod.Config("127.0.0.1:9"))


def step_events(agent):
    return [(ev[5], dict(ev[7])["source"]) for ev in agent.queue
            if ev[0] == agent_mod._EV_SLICE and ev[1] == wire.STEP]


class StepPriorityTest(unittest.TestCase):

    def test_a_step_runs_from_one_mark_to_the_next(self):
        agent = new_agent()
        for _ in range(4):
            agent.steps.mark("optimizer.step")
        self.assertEqual([("step 0", "optimizer.step"), ("step 1", "optimizer.step"),
                          ("step 2", "optimizer.step")], step_events(agent))
        slices = [ev for ev in agent.queue if ev[1] == wire.STEP]
        for a, b in zip(slices, slices[1:]):
            self.assertEqual(a[3] + a[4], b[3])

    def test_profiler_marks_win_over_optimizer_and_explicit_over_both(self):
        agent = new_agent()
        agent.steps.mark("optimizer.step")
        agent.steps.mark("optimizer.step")          # step 0 from the optimizer
        agent.steps.mark("torch.profiler")          # a better source appears: restart the mark
        agent.steps.mark("optimizer.step")          # ignored from now on
        agent.steps.mark("torch.profiler")          # step 1
        agent.steps.mark("explicit")                # the best source: restart
        agent.steps.mark("torch.profiler")          # ignored
        agent.steps.mark("optimizer.step")          # ignored
        agent.steps.mark("explicit")                # step 2
        self.assertEqual([("step 0", "optimizer.step"), ("step 1", "torch.profiler"),
                          ("step 2", "explicit")], step_events(agent))

    def test_parse_addr(self):
        self.assertEqual(("127.0.0.1", 4000), agent_mod.parse_addr("127.0.0.1:4000"))
        self.assertEqual(("127.0.0.1", 4000), agent_mod.parse_addr("4000"))
        self.assertEqual(("::1", 4000), agent_mod.parse_addr("[::1]:4000"))
        with self.assertRaises(ValueError):
            agent_mod.parse_addr("localhost:http")

    def test_full_queue_drops_and_counts(self):
        agent = agent_mod.Agent(agent_mod.Config("127.0.0.1:9", buffer_events=16))
        for i in range(20):
            agent.counter("x", i, 1.0)
        self.assertEqual(16, len(agent.queue))
        self.assertEqual(4, agent.drops[agent_mod.LOSS_BUFFER_FULL])
        agent._give_up()
        agent.counter("x", 21, 1.0)
        self.assertEqual(0, len(agent.queue))
        self.assertEqual(17, agent.drops[agent_mod.LOSS_COLLECTOR_GONE])


if __name__ == "__main__":
    unittest.main()
