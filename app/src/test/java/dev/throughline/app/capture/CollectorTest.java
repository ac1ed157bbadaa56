package dev.throughline.app.capture;

import dev.throughline.protocol.CounterFrame;
import dev.throughline.protocol.FrameWriter;
import dev.throughline.protocol.Handshake;
import dev.throughline.protocol.LossFrame;
import dev.throughline.protocol.MetaFrame;
import dev.throughline.protocol.SampleFrame;
import dev.throughline.protocol.SliceFrame;
import dev.throughline.protocol.StringFrame;
import dev.throughline.protocol.ThreadFrame;
import dev.throughline.storage.CaptureReader;
import dev.throughline.storage.CaptureWriter;
import dev.throughline.storage.Category;
import dev.throughline.storage.model.LossRow;
import dev.throughline.storage.model.SliceRecord;
import dev.throughline.storage.model.TrackInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CollectorTest {
    @TempDir
    Path dir;

    private Collector start(CollectorOptions options) throws Exception {
        return Collector.start(CaptureWriter.create(dir.resolve("c.tlcap"), false), options);
    }

    private CaptureReader read() throws Exception {
        return CaptureReader.open(dir.resolve("c.tlcap"));
    }

    private static List<SliceRecord> slices(CaptureReader r) throws Exception {
        List<SliceRecord> out = new ArrayList<>();
        r.forEachSlice(out::add);
        return out;
    }

    private static List<String> processes(CaptureReader r) throws Exception {
        List<String> out = new ArrayList<>();
        try (Statement st = r.connection().createStatement();
             ResultSet rs = st.executeQuery("SELECT pid, name, kind, cmdline FROM process ORDER BY id")) {
            while (rs.next()) {
                out.add(rs.getLong(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4));
            }
        }
        return out;
    }

    private static long loss(CaptureReader r, String source, String kind) throws Exception {
        return r.loss().stream().filter(l -> l.source().equals(source) && l.kind().equals(kind))
                .mapToLong(LossRow::count).sum();
    }

    @Test
    void listensOnLoopbackWithARandomToken() throws Exception {
        try (Collector c = start(CollectorOptions.DEFAULTS); Collector d = Collector.start(
                CaptureWriter.create(dir.resolve("d.tlcap"), false))) {
            assertTrue(c.address().startsWith("127.0.0.1:"));
            assertTrue(c.token().matches("[0-9a-f]{32}"), c.token());
            assertNotEquals(c.token(), d.token());
            assertNotEquals(c.port(), d.port());
        }
    }

    @Test
    void eventsOfAnAcceptedAgentLandInTheCapture() throws Exception {
        Collector c = start(CollectorOptions.DEFAULTS);
        try (AgentClient a = new AgentClient(c, AgentClient.python(c, 4242, "train.py"))) {
            assertEquals(Handshake.REPLY_ACCEPTED, a.reply);
            a.send(new ThreadFrame(4243, a.intern("MainThread")));
            int step = a.intern("step");
            int bs = a.intern("batch_size");
            int src = a.intern("source");
            int opt = a.intern("optimizer.step");
            for (int i = 0; i < 3; i++) {
                long t = 1_000_000_000L + i * 200_000_000L;
                a.send(new SliceFrame(Category.STEP.id, 4243, t, 180_000_000L, step, -1,
                        List.of(SliceFrame.Arg.ofLong(bs, 64), SliceFrame.Arg.ofString(src, opt))));
                a.send(new SliceFrame(Category.DATA_WAIT.id, 4243, t, 50_000_000L, a.intern("DataLoader.__next__")));
            }
            a.send(new SliceFrame(Category.KERNEL.id, 99, 1_100_000_000L, 5, a.intern("naïve ✓")));
            a.send(new CounterFrame(a.intern("rss_bytes"), 1_100_000_000L, 7.5e8));
            a.send(new CounterFrame(a.intern("rss_bytes"), 1_200_000_000L, 7.6e8));
            int fn = a.intern("train_one_epoch");
            a.send(new SampleFrame(4243, 1_050_000_000L, 1, List.of(new SampleFrame.Location(fn, a.intern("/t.py"), 3))));
            a.send(new LossFrame(a.intern("buffer full"), 5));
            a.send(new LossFrame(a.intern("buffer full"), 8));
            a.bye();
        }
        assertEventually(() -> c.stats().steps() == 3 && c.stats().drops() == 8); // the LOSS frames come last
        CollectorStats stats = c.stats();
        c.close();
        assertEquals(1, stats.processes());
        assertEquals(3 * 2 + 1 + 2 + 1, stats.events());
        assertEquals(8, stats.drops());

        try (CaptureReader r = read()) {
            assertEquals(List.of("4242 train.py python train.py --steps 3"), processes(r));
            List<SliceRecord> slices = slices(r);
            assertEquals(7, slices.size());
            assertEquals(3, r.categoryCounts().get(Category.STEP));
            assertEquals(3, r.categoryCounts().get(Category.DATA_WAIT));
            assertEquals(3, r.steps().size());
            assertEquals(1_000_000_000L, slices.get(0).startNs());
            assertEquals(180_000_000L, slices.get(0).durNs());
            assertEquals(Map.of("batch_size", 64L, "source", "optimizer.step"), r.args(slices.get(0).argsId()));
            assertEquals("naïve ✓", slices.get(6).name());
            List<TrackInfo> tracks = r.tracks();
            assertTrue(tracks.stream().anyMatch(t -> "thread".equals(t.kind()) && Long.valueOf(4243).equals(t.tid())
                    && "MainThread".equals(t.threadName()) && Long.valueOf(4242).equals(t.pid())), tracks.toString());
            assertTrue(tracks.stream().anyMatch(t -> "counter".equals(t.kind()) && "rss_bytes".equals(t.name())), tracks.toString());
            assertEquals(2, r.query("SELECT * FROM counter", 10).rows().size());
            assertEquals(8, loss(r, "agent python", "buffer full"));
            assertEquals(1, r.loss().size(), r.loss().toString());
            // the sample became a one-frame call tree on thread 4243
            assertEquals(List.of(List.of("train_one_epoch", "/t.py", 3L, 0L, 1L, 4243L)), r.query(
                    "SELECT fn.value, file.value, f.line, c.depth, s.weight, t.tid FROM sample s"
                            + " JOIN callsite c ON c.id = s.callsite_id JOIN frame f ON f.id = c.frame_id"
                            + " JOIN string fn ON fn.id = f.name_id JOIN string file ON file.id = f.file_id"
                            + " JOIN thread t ON t.id = s.thread_id", 10).rows().stream()
                    .map(row -> row.stream().map(v -> v instanceof Integer i ? (Object) Long.valueOf(i) : v).toList())
                    .toList());
        }
    }

    @Test
    void metaFramesBecomeCaptureMetaPerAgentProcess() throws Exception {
        Collector c = start(CollectorOptions.DEFAULTS);
        try (AgentClient a = new AgentClient(c, new Handshake(c.token(), 1234, 1, "jvm", "Service", ""))) {
            a.send(new MetaFrame(a.intern("profiler_engine"), a.intern("cpu")));
            a.send(new MetaFrame(a.intern("profiler_engine"), a.intern("itimer"))); // the later value wins
            a.send(new MetaFrame(a.intern("jfr"), a.intern("on")));
            a.bye();
        }
        c.close();
        try (CaptureReader r = read()) {
            assertEquals("itimer", r.meta("agent.jvm.1234.profiler_engine"));
            assertEquals("on", r.meta("agent.jvm.1234.jfr"));
            assertTrue(r.loss().isEmpty(), r.loss().toString());
        }
    }

    @Test
    void aBadTokenIsRefusedBeforeAnyFrameIsRead() throws Exception {
        Collector c = start(CollectorOptions.DEFAULTS);
        Handshake wrong = new Handshake("0123456789abcdef0123456789abcdef", 7, 1, "python", "intruder", "");
        try (AgentClient a = new AgentClient(c, wrong)) {
            assertEquals(Handshake.REPLY_BAD_TOKEN, a.reply);
            try {
                a.send(new StringFrame(1, "step")).send(new SliceFrame(1, 1, 0, 10, 1));
                a.out.flush();
            } catch (java.io.IOException closed) {
                // the server may already have closed the connection
            }
            assertEquals(-1, a.readAfterReply(), "the server closes a refused connection");
        }
        assertEventually(() -> c.stats().refused() == 1);
        assertEquals(0, c.stats().processes());
        c.close();
        try (CaptureReader r = read()) {
            assertTrue(processes(r).isEmpty());
            assertTrue(slices(r).isEmpty());
            assertEquals(1, loss(r, "collector", "connection refused: bad token"));
            assertEquals("python pid 7 (intruder)", r.loss().get(0).example());
        }
    }

    @Test
    void otherVersionsAndGarbageAreRefused() throws Exception {
        Collector c = start(CollectorOptions.DEFAULTS);
        try (AgentClient a = new AgentClient(c, new Handshake(2, c.token(), 7, 1, "jvm", "svc", ""))) {
            assertEquals(Handshake.REPLY_UNSUPPORTED_VERSION, a.reply);
            assertEquals(-1, a.readAfterReply());
        }
        try (Socket s = new Socket("127.0.0.1", c.port())) {
            s.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes());
            assertEquals(-1, s.getInputStream().read(), "no reply to something that is not an agent");
        }
        assertEventually(() -> c.stats().refused() == 2);
        c.close();
        try (CaptureReader r = read()) {
            assertEquals(1, loss(r, "collector", "connection refused: unsupported protocol version"));
            assertEquals(1, loss(r, "collector", "connection refused: bad handshake"));
            assertTrue(processes(r).isEmpty());
        }
    }

    @Test
    void aClientCutMidFrameIsCountedAndTheCaptureStillCloses() throws Exception {
        Collector c = start(CollectorOptions.DEFAULTS);
        try (AgentClient a = new AgentClient(c, AgentClient.python(c, 10, "worker"))) {
            a.send(new SliceFrame(Category.DATA_FETCH.id, 11, 5_000, 1_000, a.intern("fetch")));
            byte[] next = FrameWriter.encode(new SliceFrame(Category.DATA_FETCH.id, 11, 7_000, 1_000, 1));
            a.out.write(next, 0, next.length / 2);
            a.out.flush();
        }
        assertEventually(() -> c.stats().drops() == 1);
        c.close();
        try (CaptureReader r = read()) {
            assertEquals(1, slices(r).size());
            assertEquals(1, loss(r, "collector", "connection cut mid-frame"));
            assertTrue(r.cleanlyClosed());
            assertTrue(r.loss().get(0).example().contains("stream ended inside the frame"), r.loss().get(0).example());
        }
    }

    @Test
    void aConnectionStillOpenAtStopIsCutAfterTheDrainTime() throws Exception {
        Collector c = start(CollectorOptions.DEFAULTS.withDrainTimeout(Duration.ofMillis(200)));
        AgentClient a = new AgentClient(c, AgentClient.python(c, 10, "stuck"));
        a.send(new SliceFrame(Category.STEP.id, 11, 5_000, 1_000, a.intern("step")));
        a.out.flush();
        assertEventually(() -> c.stats().steps() == 1);
        c.close();
        a.close();
        try (CaptureReader r = read()) {
            assertEquals(1, r.steps().size());
            assertEquals(1, loss(r, "collector", "connection still open at stop (cut)"));
        }
    }

    @Test
    void unknownFrameTypesAndUndefinedStringsAreCounted() throws Exception {
        Collector c = start(CollectorOptions.DEFAULTS);
        try (AgentClient a = new AgentClient(c, AgentClient.python(c, 10, "x"))) {
            a.out.write(new byte[] {0, 0, 0, 3, 99, 1, 2});
            a.send(new SliceFrame(Category.STEP.id, 11, 5_000, 1_000, 77));
            a.send(new SliceFrame(200, 11, 5_000, 1_000, a.intern("odd")));
            a.send(new SliceFrame(Category.STEP.id, 11, 5_000, 1_000, a.intern("step")));
            a.bye();
        }
        assertEventually(() -> c.stats().steps() == 1);
        c.close();
        try (CaptureReader r = read()) {
            assertEquals(1, slices(r).size());
            assertEquals(1, loss(r, "agent-protocol", "unknown frame type 99"));
            assertEquals(1, loss(r, "collector", "undefined string id"));
            assertEquals(1, loss(r, "collector", "unknown slice category"));
        }
    }

    @Test
    void whatIsKeptPlusWhatIsDroppedIsWhatWasSent() throws Exception {
        Collector c = start(CollectorOptions.DEFAULTS.withQueueCapacity(4));
        int sent = 20_000;
        try (AgentClient a = new AgentClient(c, AgentClient.python(c, 10, "fast"))) {
            int name = a.intern("op");
            for (int i = 0; i < sent; i++) {
                a.send(new SliceFrame(Category.CPU_OP.id, 11, 1000L * i, 500, name));
            }
            a.bye();
        }
        c.close();
        try (CaptureReader r = read()) {
            long kept = slices(r).size();
            long dropped = loss(r, "collector", "queue full");
            assertEquals(sent, kept + dropped, "kept " + kept + ", dropped " + dropped);
        }
    }

    @Test
    void severalAgentsAtOnceGetTheirOwnProcessRows() throws Exception {
        Collector c = start(CollectorOptions.DEFAULTS);
        AgentClient main = new AgentClient(c, AgentClient.python(c, 100, "train.py"));
        AgentClient worker = new AgentClient(c, AgentClient.python(c, 101, "DataLoader worker 0"));
        worker.send(new SliceFrame(Category.DATA_FETCH.id, 101, 2_000, 10, worker.intern("fetch")));
        main.send(new SliceFrame(Category.STEP.id, 100, 1_000, 10, main.intern("step")));
        worker.bye();
        main.bye();
        assertEventually(() -> c.stats().events() == 2);
        c.close();
        try (CaptureReader r = read()) {
            List<String> p = processes(r);
            assertEquals(2, p.size());
            assertTrue(p.contains("101 DataLoader worker 0 python train.py --steps 3"), p.toString());
            assertTrue(r.loss().isEmpty(), r.loss().toString());
        }
    }

    @Test
    void gpuWorkWithDeviceAndStreamArgsGoesOnAGpuStreamTrack() throws Exception {
        Collector c = start(CollectorOptions.DEFAULTS);
        try (AgentClient a = new AgentClient(c, AgentClient.python(c, 10, "train.py"))) {
            int device = a.intern("device");
            int stream = a.intern("stream");
            a.send(new SliceFrame(Category.KERNEL.id, 10, 1_000, 500, a.intern("sgemm"), 42,
                    List.of(SliceFrame.Arg.ofLong(device, 0), SliceFrame.Arg.ofLong(stream, 7))));
            a.send(new SliceFrame(Category.MEMCPY.id, 10, 2_000, 100, a.intern("Memcpy HtoD"), 43,
                    List.of(SliceFrame.Arg.ofLong(device, 0), SliceFrame.Arg.ofLong(stream, 7))));
            a.send(new SliceFrame(Category.CUDA_API.id, 10, 900, 50, a.intern("cudaLaunchKernel"), 42,
                    List.of(SliceFrame.Arg.ofLong(device, 0), SliceFrame.Arg.ofLong(stream, 7))));
            // torch's gpu_user_annotation: a record_function range projected onto the stream, spanning its kernels
            a.send(new SliceFrame(Category.USER.id, 10, 950, 1_200, a.intern("Optimizer.step#SGD.step"), -1,
                    List.of(SliceFrame.Arg.ofLong(device, 0), SliceFrame.Arg.ofLong(stream, 7))));
            a.bye();
        }
        assertEventually(() -> c.stats().events() == 4);
        c.close();
        try (CaptureReader r = read()) {
            List<TrackInfo> tracks = r.tracks();
            TrackInfo gpu = tracks.stream().filter(t -> "gpu_stream".equals(t.kind())).findFirst().orElseThrow();
            assertEquals(0, gpu.device());
            assertEquals(7L, gpu.stream());
            List<SliceRecord> slices = slices(r);
            assertEquals(gpu.id(), slices.get(0).trackId());
            assertEquals(gpu.id(), slices.get(1).trackId());
            assertNotEquals(gpu.id(), slices.get(2).trackId(), "the launch stays on its thread");
            assertEquals(42, slices.get(0).correlationId());
            TrackInfo annotations = tracks.stream().filter(t -> "gpu_annotation".equals(t.kind())).findFirst().orElseThrow();
            assertEquals(7L, annotations.stream());
            assertEquals(annotations.id(), slices.get(3).trackId(), "the annotation is not among the stream's kernels");
            assertEquals(2, slices.stream().filter(x -> x.trackId() == gpu.id()).count(),
                    "the stream's track holds its kernel and its copy, not the annotation spanning them");
        }
    }

    @Test
    void abortLeavesNothingBehind() throws Exception {
        Collector c = start(CollectorOptions.DEFAULTS);
        try (AgentClient a = new AgentClient(c, AgentClient.python(c, 10, "x"))) {
            a.send(new SliceFrame(Category.STEP.id, 11, 5_000, 1_000, a.intern("step")));
            a.bye();
        }
        c.abort();
        try (var files = Files.list(dir)) {
            assertFalse(files.findAny().isPresent());
        }
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void assertEventually(Condition c) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!c.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within 10 s");
            }
            Thread.sleep(10);
        }
    }

}
