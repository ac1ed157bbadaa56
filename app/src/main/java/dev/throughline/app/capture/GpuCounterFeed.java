package dev.throughline.app.capture;

import dev.throughline.gpu.GpuProcessReadings;
import dev.throughline.gpu.GpuProcessSample;
import dev.throughline.gpu.GpuSample;
import dev.throughline.gpu.NvmlSampler;
import dev.throughline.protocol.CounterFrame;
import dev.throughline.protocol.FrameWriter;
import dev.throughline.protocol.Handshake;
import dev.throughline.protocol.MetaFrame;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;

/**
 * Feeds NVML readings into a recording as one more agent: it connects to the collector with the
 * recording's token and sends COUNTER frames ("gpu0 utilization %", …), so GPU counters take the same
 * path, clock and loss accounting as every other event. One daemon thread, {@code hz} readings a second;
 * per-process memory and utilization ("gpu0 pid 4242 memory bytes", …) once a second, with META saying whether
 * the driver gives them ({@code nvml.process_memory}, {@code nvml.process_utilization}).
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
        long nextProcesses = 0;
        String memoryStatus = null;
        String utilStatus = null;
        try {
            while (running) {
                if (System.nanoTime() >= nextProcesses) { // per-process readings once a second: NVML walks every process
                    GpuProcessReadings p = sampler.sampleProcesses();
                    for (ProcessCounter c : processCounters(p)) {
                        counter(c.name(), c.tsNs(), c.value());
                    }
                    if (!p.memory.toString().equals(memoryStatus)) {
                        memoryStatus = p.memory.toString();
                        out.write(new MetaFrame(out.intern("nvml.process_memory"), out.intern(memoryStatus)));
                    }
                    if (!p.utilization.toString().equals(utilStatus)) {
                        utilStatus = p.utilization.toString();
                        out.write(new MetaFrame(out.intern("nvml.process_utilization"), out.intern(utilStatus)));
                    }
                    nextProcesses = System.nanoTime() + 1_000_000_000L;
                }
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

    /** One per-process reading as a counter of the NVML feed. */
    record ProcessCounter(String name, long tsNs, double value) {
    }

    /**
     * Per-process GPU readings as counters named by device and pid ({@code gpu0 pid 4242 memory bytes},
     * {@code … SM %}, {@code … memory %}); what the driver could not give (-1) is left out.
     */
    static java.util.List<ProcessCounter> processCounters(GpuProcessReadings readings) {
        java.util.List<ProcessCounter> out = new java.util.ArrayList<>();
        for (GpuProcessSample s : readings.samples) {
            String prefix = "gpu" + s.device + " pid " + s.pid + " ";
            if (s.usedMemoryBytes >= 0) {
                out.add(new ProcessCounter(prefix + "memory bytes", s.tsNs, s.usedMemoryBytes));
            }
            if (s.smUtilPercent >= 0) {
                out.add(new ProcessCounter(prefix + "SM %", s.tsNs, s.smUtilPercent));
            }
            if (s.memoryUtilPercent >= 0) {
                out.add(new ProcessCounter(prefix + "memory %", s.tsNs, s.memoryUtilPercent));
            }
        }
        return out;
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
