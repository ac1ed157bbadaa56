package dev.throughline.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.Files;

/**
 * Writes handshake.bin and frames.bin from golden.json. Run once, by hand, when the fixtures are (re)made:
 * {@code mvn -o -pl profiler-agents/protocol test -Dtest=GoldenFixtureWriter -Dthroughline.golden.write=true}.
 * The fixtures are committed; a format change means a new protocol version (PROTOCOL.md).
 */
class GoldenFixtureWriter {
    @Test
    @EnabledIfSystemProperty(named = "throughline.golden.write", matches = "true")
    void writeFixtures() throws Exception {
        Golden g = Golden.load();
        Files.write(Golden.DIR.resolve("handshake.bin"), g.handshake.encode());
        Files.write(Golden.DIR.resolve("frames.bin"), g.encodeFrames());
    }
}
