package dev.throughline.samples.serving;

import dev.throughline.api.Throughline;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service and the load generator as a user runs them: two child JVMs on the compiled classes, the
 * service on a random port. The answer to a known input must be the model's output computed here
 * independently (double sums over the same seeded weights); a 2 s open-loop run must be answered in full
 * and its histogram file must count every request.
 */
class InferenceServiceTest {
    private static final int HIDDEN = 64;

    @TempDir
    Path dir;

    private Process service;

    @AfterEach
    void stop() throws Exception {
        if (service != null) {
            service.destroy();
            service.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(120)
    void answersWithTheModelsOutputAndSustainsAnOpenLoop() throws Exception {
        int port = startService();

        float[] input = Vectors.input(7, 3);
        HttpConnection.Response response;
        try (HttpConnection c = new HttpConnection("127.0.0.1", port)) {
            response = c.post("/infer", Vectors.format(input).getBytes(StandardCharsets.US_ASCII), 0);
            assertEquals(400, c.post("/infer", "1,2,3".getBytes(StandardCharsets.US_ASCII), 0).status());
        }
        assertEquals(200, response.status(), response.body());
        float[] got = Vectors.parse(response.body(), Mlp.OUTPUTS);
        double[] want = reference(Mlp.create(42, HIDDEN), input);
        for (int o = 0; o < Mlp.OUTPUTS; o++) {
            assertEquals(want[o], got[o], 1e-4 * Math.max(1, Math.abs(want[o])), "output " + o);
        }

        Path histogram = dir.resolve("latency.hgrm");
        Process load = java(LoadGenerator.class, "--port", Integer.toString(port), "--rate", "200",
                "--duration-s", "2", "--connections", "8", "--histogram", histogram.toString())
                .redirectErrorStream(true).start();
        String summary = new String(load.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(load.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, load.exitValue(), summary);
        assertTrue(summary.contains("sent 400, ok 400, rejected 0, errors 0"), summary);
        assertTrue(Files.readString(histogram).matches("(?s).*Total count\\s+=\\s+400\\].*"),
                "histogram file counts the 400 requests");
    }

    @Test
    @Timeout(120)
    void progressLogCountsTheAnswersAndTheServicesCpuEverySecond() throws Exception {
        int port = startService();
        Path progress = dir.resolve("progress.txt");
        Process load = java(LoadGenerator.class, "--port", Integer.toString(port), "--closed", "4", "--duration-s", "3",
                "--histogram", dir.resolve("closed.hgrm").toString(), "--progress", progress.toString(),
                "--cpu-of", Long.toString(service.pid())).redirectErrorStream(true).start();
        String summary = new String(load.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(load.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, load.exitValue(), summary);
        Matcher ok = Pattern.compile("ok (\\d+),").matcher(summary);
        assertTrue(ok.find(), summary);

        List<long[]> lines = new ArrayList<>();
        for (String line : Files.readAllLines(progress)) {
            String[] f = line.split(" ");
            assertEquals(4, f.length, line);
            lines.add(new long[] {Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])});
        }
        assertTrue(lines.size() >= 3, "one line a second over 3 s, and the last: " + lines.size());
        for (int i = 1; i < lines.size(); i++) {
            long[] a = lines.get(i - 1), b = lines.get(i);
            assertTrue(b[0] > a[0] && b[1] >= a[1] && b[3] >= a[3], "time, answers and CPU never go back: line " + i);
        }
        long[] last = lines.get(lines.size() - 1);
        assertEquals(Long.parseLong(ok.group(1)), last[1], "the last line counts every answer");
        assertEquals(0, last[2]);
        assertTrue(last[3] > lines.get(0)[3], "the service's CPU ticks grew under load");
    }

    /** Starts the service on a free port; returns the port. */
    private int startService() throws Exception {
        service = java(InferenceService.class, "--port", "0", "--workers", "2", "--max-batch", "4",
                "--max-wait-ms", "1", "--hidden", Integer.toString(HIDDEN)).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(service.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        Matcher m = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)").matcher(String.valueOf(first));
        assertTrue(m.matches(), "first line: " + first);
        return Integer.parseInt(m.group(1));
    }

    /** The forward pass written out plainly, in double precision. */
    private static double[] reference(Mlp model, float[] input) {
        double[] x = new double[input.length];
        for (int i = 0; i < input.length; i++) {
            x[i] = input[i];
        }
        int[] sizes = {Mlp.INPUTS, HIDDEN, HIDDEN, Mlp.OUTPUTS};
        for (int layer = 0; layer < 3; layer++) {
            double[] y = new double[sizes[layer + 1]];
            for (int o = 0; o < y.length; o++) {
                double sum = model.bias(layer, o);
                for (int i = 0; i < sizes[layer]; i++) {
                    sum += model.weight(layer, o, i) * x[i];
                }
                y[o] = layer < 2 ? Math.max(0, sum) : sum;
            }
            x = y;
        }
        return x;
    }

    /** A child JVM running {@code main} with this module's classes and its two dependencies. */
    private static ProcessBuilder java(Class<?> main, String... args) throws Exception {
        List<String> cp = new ArrayList<>();
        for (Class<?> c : new Class<?>[] {InferenceService.class, Throughline.class, Histogram.class}) {
            cp.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", String.join(File.pathSeparator, cp), main.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
    }
}
