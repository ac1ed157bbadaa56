package dev.throughline.bench;

import dev.throughline.app.capture.Collector;
import dev.throughline.app.capture.CollectorStats;
import dev.throughline.protocol.FrameWriter;
import dev.throughline.protocol.Handshake;
import dev.throughline.protocol.SliceFrame;
import dev.throughline.storage.CaptureWriter;
import dev.throughline.storage.Category;

import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Events per second the collector sustains from one agent: one loopback connection sends N slice
 * frames as fast as it can (10 names, cpu_op), then BYE; the time runs from the first frame to the
 * closed capture (summaries, indexes, integrity check included). An agent that sends faster than the
 * collector writes loses the overflow of the bounded queue (counted): the sustained rate is what was
 * written per second. Prints one line per run: {@code sent written dropped seconds written/s}.
 * Usage: CollectorThroughput N RUNS
 */
public final class CollectorThroughput {
    private CollectorThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        int runs = Integer.parseInt(args[1]);
        for (int run = 0; run < runs; run++) {
            Path file = Files.createTempFile("collector-bench-", ".tlcap");
            Files.delete(file);
            Collector collector = Collector.start(CaptureWriter.create(file, false));
            long started = System.nanoTime();
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), collector.port())) {
                BufferedOutputStream out = new BufferedOutputStream(s.getOutputStream(), 1 << 16);
                new Handshake(collector.token(), ProcessHandle.current().pid(), 0, "python", "bench", "").writeTo(out);
                out.flush();
                InputStream in = s.getInputStream();
                if (in.read() != Handshake.REPLY_ACCEPTED) {
                    throw new IllegalStateException("refused");
                }
                FrameWriter w = new FrameWriter(out);
                int[] names = new int[10];
                for (int i = 0; i < names.length; i++) {
                    names[i] = w.intern("aten::op" + i);
                }
                long ts = 1_000_000_000L;
                for (int i = 0; i < n; i++) {
                    w.write(new SliceFrame(Category.CPU_OP.id, 7, ts, 800, names[i % names.length]));
                    ts += 1_000;
                }
                w.bye();
                w.flush();
                // wait until the writer thread has taken everything it will take
                while (collector.stats().events() + collector.stats().drops() < n) {
                    Thread.sleep(1);
                }
            }
            CollectorStats stats = collector.stats();
            collector.close();
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("%d %d %d %.3f %.0f%n", n, stats.events(), stats.drops(), seconds,
                    stats.events() / seconds);
            Files.deleteIfExists(file);
        }
    }
}
