package dev.throughline.app.cli;

import dev.throughline.api.Scope;
import dev.throughline.api.Throughline;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The JVM the attach tests profile, run as a child {@code java} process: a worker serves "requests" in batches of
 * four (queue phase each, one compute phase per batch, CPU work and garbage so GCs happen, a short park). Commands on
 * stdin: {@code threads} prints the live thread names on one line, {@code served} how many batches were served
 * while an agent's sink was installed, {@code exit} ends it; stdin closed ends it too.
 * With {@code --serve N} it ignores stdin and exits once N batches were served while recorded (as a {@code record}
 * child).
 */
public final class ServiceTarget {
    static volatile double sink;
    static final java.util.concurrent.atomic.AtomicLong SERVED_WHILE_RECORDED = new java.util.concurrent.atomic.AtomicLong();

    private ServiceTarget() {
    }

    public static void main(String[] args) throws Exception {
        Thread worker = new Thread(ServiceTarget::serve, "target-worker");
        worker.setDaemon(true);
        worker.start();
        System.out.println("ready " + ProcessHandle.current().pid());
        System.out.flush();
        if (args.length == 2 && args[0].equals("--serve")) { // exit once N batches were recorded (at most a minute)
            long n = Long.parseLong(args[1]);
            for (int i = 0; i < 600 && SERVED_WHILE_RECORDED.get() < n; i++) {
                Thread.sleep(100);
            }
            System.exit(0);
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.equals("threads")) {
                List<String> names = new ArrayList<>();
                for (Thread t : Thread.getAllStackTraces().keySet()) {
                    names.add(t.getName());
                }
                System.out.println("threads " + String.join("|", names));
                System.out.flush();
            } else if (line.equals("served")) {
                System.out.println("served " + SERVED_WHILE_RECORDED.get());
                System.out.flush();
            } else if (line.equals("exit")) {
                break;
            }
        }
        System.exit(0);
    }

    private static void serve() {
        List<byte[]> garbage = new ArrayList<>();
        while (true) {
            long[] batch = new long[4];
            List<Scope> requests = new ArrayList<>();
            for (int i = 0; i < batch.length; i++) {
                batch[i] = Throughline.newRequestId();
                requests.add(Throughline.request(batch[i], "POST /infer"));
                try (Scope q = Throughline.phase("queue", batch[i])) {
                    LockSupport.parkNanos(1_000_000L);
                }
            }
            try (Scope c = Throughline.phase("compute", batch)) {
                double x = 0;
                for (int i = 0; i < 200_000; i++) {
                    x += Math.sqrt(i + x);
                }
                sink = x;
                for (int i = 0; i < 200; i++) {
                    garbage.add(new byte[16 * 1024]);
                }
                if (garbage.size() > 2000) {
                    garbage.clear();
                }
            }
            try (Scope r = Throughline.span("respond")) {
                LockSupport.parkNanos(15_000_000L); // a park over the agent's 10 ms threshold
            }
            boolean recorded = Throughline.active();
            for (Scope r : requests) {
                r.close();
            }
            Throughline.step();
            if (recorded && Throughline.active()) {
                SERVED_WHILE_RECORDED.incrementAndGet();
            }
        }
    }
}
