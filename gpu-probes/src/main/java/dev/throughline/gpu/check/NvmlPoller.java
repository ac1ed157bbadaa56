package dev.throughline.gpu.check;

import dev.throughline.gpu.GpuProcessReadings;
import dev.throughline.gpu.GpuSample;
import dev.throughline.gpu.NvmlSampler;

import java.util.ArrayList;
import java.util.List;

/** Reads NVML on its own thread every period while a workload runs; per-process readings once a second. */
final class NvmlPoller {
    private final NvmlSampler sampler;
    private final long periodMs;
    private final List<GpuSample> samples = new ArrayList<>();
    private final List<GpuProcessReadings> processes = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    private NvmlPoller(NvmlSampler sampler, long periodMs) {
        this.sampler = sampler;
        this.periodMs = periodMs;
        this.thread = new Thread(this::loop, "gpucheck-nvml");
        this.thread.setDaemon(true);
    }

    static NvmlPoller start(NvmlSampler sampler, long periodMs) {
        NvmlPoller p = new NvmlPoller(sampler, periodMs);
        p.thread.start();
        return p;
    }

    private void loop() {
        long nextProcesses = 0;
        while (running) {
            List<GpuSample> s = sampler.sample();
            GpuProcessReadings r = null;
            if (System.nanoTime() >= nextProcesses) {
                r = sampler.sampleProcesses();
                nextProcesses = System.nanoTime() + 1_000_000_000L;
            }
            synchronized (this) {
                samples.addAll(s);
                if (r != null) {
                    processes.add(r);
                }
            }
            try {
                Thread.sleep(periodMs);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    void stop() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5000);
    }

    synchronized List<GpuSample> samples() {
        return new ArrayList<>(samples);
    }

    synchronized List<GpuProcessReadings> processReadings() {
        return new ArrayList<>(processes);
    }

    synchronized GpuProcessReadings lastProcesses() {
        return processes.isEmpty() ? null : processes.get(processes.size() - 1);
    }
}
