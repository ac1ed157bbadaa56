package dev.throughline.agent;

import dev.throughline.protocol.Frame;
import dev.throughline.protocol.FrameReader;
import dev.throughline.protocol.Handshake;
import dev.throughline.protocol.StringFrame;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/** One-connection collector for the agent's tests: accepts any token; may hold off reading frames ({@link #stalled}). */
final class FakeCollector implements AutoCloseable {
    private final ServerSocket server = new ServerSocket();
    private final CountDownLatch reading = new CountDownLatch(1);
    final CompletableFuture<List<Frame>> frames = new CompletableFuture<>();
    final Map<Integer, String> strings = new HashMap<>();

    private FakeCollector(boolean stalled) throws IOException {
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        if (!stalled) {
            reading.countDown();
        }
        Thread t = new Thread(this::serve, "fake-collector");
        t.setDaemon(true);
        t.start();
    }

    static FakeCollector reading() throws IOException {
        return new FakeCollector(false);
    }

    /** Accepts the handshake, then reads nothing until {@link #startReading()}: the socket buffers fill up. */
    static FakeCollector stalled() throws IOException {
        return new FakeCollector(true);
    }

    AgentArgs args() {
        return AgentArgs.parse("addr=127.0.0.1:" + server.getLocalPort() + ",token=t", Map.of());
    }

    static Handshake handshake() {
        return new Handshake("t", ProcessHandle.current().pid(), 0, "jvm", "test", "");
    }

    void startReading() {
        reading.countDown();
    }

    String text(int id) {
        return Objects.requireNonNull(strings.get(id), "string " + id);
    }

    private void serve() {
        List<Frame> out = new ArrayList<>();
        try (Socket s = server.accept()) {
            Handshake.read(s.getInputStream());
            s.getOutputStream().write(Handshake.REPLY_ACCEPTED);
            s.getOutputStream().flush();
            reading.await();
            FrameReader r = new FrameReader(new BufferedInputStream(s.getInputStream()));
            for (Frame f; (f = r.next()) != null; ) {
                if (f instanceof StringFrame) {
                    strings.put(((StringFrame) f).id(), ((StringFrame) f).text());
                }
                out.add(f);
            }
            frames.complete(out);
        } catch (Exception e) {
            frames.completeExceptionally(e);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
