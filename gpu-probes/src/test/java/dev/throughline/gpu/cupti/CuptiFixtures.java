package dev.throughline.gpu.cupti;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The committed layout tables and record buffers (src/test/resources/cupti/VERSION/). */
final class CuptiFixtures {
    static final int[] VERSIONS = {CuptiLayout.CUPTI_13_0, CuptiLayout.CUPTI_13_1};

    private CuptiFixtures() {
    }

    static byte[] bytes(int version, String file) {
        try (InputStream in = CuptiFixtures.class.getResourceAsStream("/cupti/" + version + "/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture cupti/" + version + "/" + file);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> lines(int version, String file) {
        List<String> out = new ArrayList<>();
        for (String l : new String(bytes(version, file), StandardCharsets.UTF_8).split("\n")) {
            if (!l.isEmpty()) {
                out.add(l);
            }
        }
        return out;
    }

    static CuptiLayout layout(int version) {
        return version == CuptiLayout.CUPTI_13_0 ? CuptiLayout.cuda13_0() : CuptiLayout.cuda13_1();
    }
}
