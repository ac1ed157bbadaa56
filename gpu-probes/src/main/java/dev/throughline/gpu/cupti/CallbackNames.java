package dev.throughline.gpu.cupti;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * CUDA runtime and driver API names by CUPTI callback id, generated from CUDA 13.0's
 * cupti_runtime_cbid.h / cupti_driver_cbid.h (src/test/c/gen-cupti-fixtures.sh). Ids are only ever
 * appended, so a newer CUPTI's new calls show as "runtime cbid N" rather than a wrong name.
 */
public final class CallbackNames {
    private static final CallbackNames INSTANCE = new CallbackNames(load("runtime-cbid.txt"), load("driver-cbid.txt"));

    private final Map<Integer, String> runtime;
    private final Map<Integer, String> driver;

    private CallbackNames(Map<Integer, String> runtime, Map<Integer, String> driver) {
        this.runtime = runtime;
        this.driver = driver;
    }

    public static CallbackNames get() {
        return INSTANCE;
    }

    public String runtime(int cbid) {
        String n = runtime.get(cbid);
        return n != null ? n : "runtime cbid " + cbid;
    }

    public String driver(int cbid) {
        String n = driver.get(cbid);
        return n != null ? n : "driver cbid " + cbid;
    }

    private static Map<Integer, String> load(String resource) {
        Map<Integer, String> names = new HashMap<>();
        try (InputStream in = CallbackNames.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                int sp = line.indexOf(' ');
                if (sp > 0) {
                    names.put(Integer.parseInt(line.substring(0, sp)), line.substring(sp + 1).trim());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }
}
