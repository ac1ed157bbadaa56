package dev.throughline.app.capture;

import dev.throughline.gpu.GpuSample;
import dev.throughline.gpu.NvmlSampler;
import dev.throughline.protocol.CounterFrame;
import dev.throughline.protocol.FrameWriter;
import dev.throughline.protocol.Handshake;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;

/**
 * Feeds NVML readings into a recording as one more agent: it connects to the collector with the
 * recording's token and sends COUNTER frames ("gpu0 utilization %", …), so GPU counters take the same
 * path, clock and loss accounting as every other event. One daemon thread, {@code hz} readings a second.
 */
public final class GpuCounterFeed implements AutoCloseable {
    private final NvmlSampler sampler;
    private final Thread thread;
    private volatile boolean running = true;
    private final Socket socket;
    private final FrameWriter out;

    private GpuCounterFeed(NvmlSampler sampler, Socket socket, FrameWriter out, int hz) {
        this.sampler = sampler;
        this.socket = socket;
        this.out = out;
        this.thread = new Thread(() -> loop(Math.max(1, 1000 / Math.max(1, hz))), "throughline-nvml");
        this.thread.setDaemon(true);
    }

    /** Connects to the collector and starts sampling; the sampler is closed with the feed. */
    public static GpuCounterFeed start(NvmlSampler sampler, Collector collector, int hz) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), collector.port());
        try {
            BufferedOutputStream stream = new BufferedOutputStream(socket.getOutputStream());
            new Handshake(collector.token(), ProcessHandle.current().pid(), 0, "gpu-probe", "NVML", "").writeTo(stream);
            stream.flush();
            InputStream in = socket.getInputStream();
            int reply = in.read();
            if (reply != Handshake.REPLY_ACCEPTED) {
                throw new IOException("the collector refused the NVML feed (reply " + reply + ")");
            }
            GpuCounterFeed feed = new GpuCounterFeed(sampler, socket, new FrameWriter(stream), hz);
            feed.thread.start();
            return feed;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private void loop(long periodMs) {
        try {
            while (running) {
                for (GpuSample s : sampler.sample()) {
                    String gpu = "gpu" + s.device + " ";
                    counter(gpu + "utilization %", s.tsNs, s.gpuUtilPercent);
                    counter(gpu + "memory utilization %", s.tsNs, s.memoryUtilPercent);
                    counter(gpu + "memory used bytes", s.tsNs, s.memoryUsedBytes);
                    counter(gpu + "power W", s.tsNs, s.powerMilliwatts < 0 ? -1 : s.powerMilliwatts / 1000.0);
                    counter(gpu + "SM clock MHz", s.tsNs, s.smClockMhz);
                    counter(gpu + "memory clock MHz", s.tsNs, s.memoryClockMhz);
                    counter(gpu + "temperature C", s.tsNs, s.temperatureC);
                    counter(gpu + "PCIe rx KB/s", s.tsNs, s.pcieRxKBps);
                    counter(gpu + "PCIe tx KB/s", s.tsNs, s.pcieTxKBps);
                }
                out.flush();
                Thread.sleep(periodMs);
            }
        } catch (InterruptedException | IOException stop) {
            // closed, or the collector went away: the recording ends either way
        }
    }

    private void counter(String name, long tsNs, double value) throws IOException {
        if (value >= 0) { // -1: NVML could not read it on this device
            out.write(new CounterFrame(out.intern(name), tsNs, value));
        }
    }

    /** Stops sampling, says BYE so the collector counts nothing as cut, and closes NVML. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(1000);
            out.bye();
            out.flush();
        } catch (InterruptedException | IOException ignored) {
            // the collector is closing anyway
        } finally {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing to do
            }
            sampler.close();
        }
    }
}
