"""The encoder against the protocol's golden fixtures, byte for byte (shared with the Java tests)."""

import json
import os
import unittest

from throughline_agent import wire
from tests.fake_collector import Session, decode_frames, decode_handshake, Reader

GOLDEN = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", "..", "protocol", "src",
                                       "test", "resources", "golden"))


def _load(name, mode="rb"):
    path = os.path.join(GOLDEN, name)
    if not os.path.exists(path):
        raise AssertionError("golden fixture missing: %s (the protocol module owns it)" % path)
    with open(path, mode) as f:
        return f.read()


def encode_golden_frame(frame):
    t = frame["type"]
    if t == "STRING":
        return wire.string_frame(frame["id"], frame["text"])
    if t == "THREAD":
        return wire.thread_frame(frame["tid"], frame["name"])
    if t == "SLICE":
        args = [(a["key"], a["tag"], float(a["value"]) if a["tag"] == wire.ARG_FLOAT else a["value"])
                for a in frame["args"]]
        return wire.slice_frame(frame["category"], frame["tid"], frame["start_ns"], frame["dur_ns"],
                                frame["name"], frame["correlation"], args)
    if t == "COUNTER":
        return wire.counter_frame(frame["name"], frame["ts_ns"], frame["value"])
    if t == "SAMPLE":
        return wire.sample_frame(frame["tid"], frame["ts_ns"], frame["weight"],
                                 [(f["function"], f["file"], f["line"]) for f in frame["frames"]])
    if t == "LOSS":
        return wire.loss_frame(frame["kind"], frame["count"])
    if t == "META":
        return wire.meta_frame(frame["key"], frame["value"])
    if t == "BYE":
        return wire.bye_frame()
    raise AssertionError("golden.json has a frame type this test does not know: %r" % t)


def first_difference(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    return min(len(a), len(b))


class GoldenFixtureTest(unittest.TestCase):
    def setUp(self):
        self.golden = json.loads(_load("golden.json", "r"))

    def assertBytesEqual(self, expected, actual, what):
        if expected != actual:
            i = first_difference(expected, actual)
            self.fail("%s differs from the fixture at byte %d (fixture %d bytes, ours %d): "
                      "fixture %s, ours %s" % (what, i, len(expected), len(actual),
                                               expected[i:i + 16].hex(), actual[i:i + 16].hex()))

    def test_handshake_matches_fixture_byte_for_byte(self):
        h = self.golden["handshake"]
        ours = wire.handshake(h["token"], h["pid"], h["ppid"], h["kind"], h["name"], h["cmdline"],
                              version=h["version"])
        self.assertBytesEqual(_load("handshake.bin"), ours, "handshake")

    def test_frames_match_fixture_byte_for_byte(self):
        expected = _load("frames.bin")
        ours = b"".join(encode_golden_frame(f) for f in self.golden["frames"])
        # frame by frame first, so a failure names the frame
        offset = 0
        for index, frame in enumerate(self.golden["frames"]):
            one = encode_golden_frame(frame)
            self.assertBytesEqual(expected[offset:offset + len(one)], one,
                                  "frame %d (%s)" % (index, frame["type"]))
            offset += len(one)
        self.assertBytesEqual(expected, ours, "frames.bin")

    def test_fixture_decodes_to_golden_json(self):
        reader = Reader(_load("handshake.bin"))
        self.assertEqual(self.golden["handshake"], decode_handshake(reader))
        self.assertEqual(reader.pos, len(reader.data))
        decoded = decode_frames(_load("frames.bin"))
        expected = []
        for f in self.golden["frames"]:
            f = dict(f)
            if f["type"] == "SLICE":
                f["args"] = [dict(a, value=float(a["value"]) if a["tag"] == 1 else a["value"])
                             for a in f["args"]]
            expected.append(f)
        self.assertEqual(expected, decoded)


class ConnectionEncoderTest(unittest.TestCase):
    """The interning encoder the agent uses: strings once per connection, threads announced."""

    def test_interns_strings_once_and_announces_threads(self):
        conn = wire.Connection({7: "MainThread"}.get)
        out = bytearray()
        conn.slice(out, wire.STEP, 7, 10, 5, "step 0", -1, (("step", 0), ("source", "explicit"),
                                                           ("lr", 0.5)))
        conn.slice(out, wire.DATA_WAIT, 7, 12, 1, "DataLoader.__next__")
        conn.sample(out, 7, 13, [("main", "/a.py", 3), ("f", "/a.py", 9)])
        conn.sample(out, 7, 14, [("main", "/a.py", 3), ("f", "/a.py", 9)])
        conn.counter(out, "rss_bytes", 15, 1024)
        conn.loss(out, "buffer full", 2)
        conn.bye(out)
        frames = decode_frames(bytes(out))
        texts = [f["text"] for f in frames if f["type"] == "STRING"]
        self.assertEqual(len(texts), len(set(texts)))
        self.assertEqual([f["id"] for f in frames if f["type"] == "STRING"],
                         list(range(1, len(texts) + 1)))
        session = Session({})
        for f in frames:
            session.add(f)  # raises on a string or thread used before its definition
        self.assertEqual({7: "MainThread"}, session.threads)
        self.assertEqual(["step 0", "DataLoader.__next__"], [s["name"] for s in session.slices])
        self.assertEqual({"step": 0, "source": "explicit", "lr": 0.5}, session.slices[0]["args"])
        self.assertEqual([("main", "/a.py", 3), ("f", "/a.py", 9)], session.samples[1]["stack"])
        self.assertEqual([("rss_bytes", 15, 1024.0)], session.counters)
        self.assertEqual({"buffer full": 2}, session.loss)
        self.assertTrue(session.bye)

    def test_non_ascii_strings_and_negative_times(self):
        conn = wire.Connection()
        out = bytearray()
        conn.slice(out, wire.KERNEL, 2 ** 63, -5, 0, "naïve ünïcode ✓", 9007199254740993)
        frames = decode_frames(bytes(out))
        self.assertEqual("thread %d" % 2 ** 63, frames[0]["text"])
        self.assertEqual("THREAD", frames[1]["type"])
        self.assertEqual("naïve ünïcode ✓", frames[2]["text"])
        self.assertEqual((2 ** 63, -5, 9007199254740993),
                         (frames[3]["tid"], frames[3]["start_ns"], frames[3]["correlation"]))


if __name__ == "__main__":
    unittest.main()
