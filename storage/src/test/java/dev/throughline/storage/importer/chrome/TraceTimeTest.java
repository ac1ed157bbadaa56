package dev.throughline.storage.importer.chrome;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TraceTimeTest {

    @ParameterizedTest(name = "{0} µs = {1} ns")
    @CsvSource({
            "0, 0",
            "1, 1000",
            "4203669603018.756, 4203669603018756",
            "1707417525509335, 1707417525509335000",
            "1707417525509335.0, 1707417525509335000",
            "0.001, 1",
            "0.0004, 0",
            "0.0005, 1",
            "0.00049999, 0",
            "12.3456, 12346",
            "12.3454, 12345",
            "2.9995, 3000",
            "-0.0005, -1",
            "-5.25, -5250",
            "1e3, 1000000",
            "1.5E3, 1500000",
            "1.5e+3, 1500000",
            "15e-1, 1500",
            "1e-3, 1",
            "1e-4, 0",
            "5e-4, 1",
            "1e-30, 0",
            "0.000000000000000000000000001, 0",
            "9223372036854775.807, 9223372036854775807",
            "1623212388426602.0000000000000000001, 1623212388426602000",
            "00012.5, 12500",
    })
    void microsToNanosIsExact(String micros, long nanos) throws Exception {
        assertEquals(nanos, TraceTime.microsToNanos(micros));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "", "-", "1.2.3", "1e", "1e+", ".", "9223372036854775.808", "1e20", "99999999999999999999"})
    void rejectsWhatIsNotAnInt64NanosecondNumber(String text) {
        assertThrows(TraceTime.BadNumberException.class, () -> TraceTime.microsToNanos(text));
    }

    @Test
    void nanosToMicrosIsExactDecimalText() {
        assertEquals("1234.567", TraceTime.nanosToMicros(1_234_567));
        assertEquals("5", TraceTime.nanosToMicros(5_000));
        assertEquals("0", TraceTime.nanosToMicros(0));
        assertEquals("0.001", TraceTime.nanosToMicros(1));
        assertEquals("0.01", TraceTime.nanosToMicros(10));
        assertEquals("0.1", TraceTime.nanosToMicros(100));
        assertEquals("1.23", TraceTime.nanosToMicros(1_230));
        assertEquals("1.005", TraceTime.nanosToMicros(1_005));
        assertEquals("-0.001", TraceTime.nanosToMicros(-1));
        assertEquals("4203669603018.756", TraceTime.nanosToMicros(4_203_669_603_018_756L));
        assertEquals("9223372036854775.807", TraceTime.nanosToMicros(Long.MAX_VALUE));
        assertEquals("-9223372036854775.808", TraceTime.nanosToMicros(Long.MIN_VALUE));
    }

    @Test
    void roundTripsEveryNanosecondValue() throws Exception {
        long[] samples = {1, 999, 1000, 1001, 123_456_789, 1_661_203_462_584_767_123L, Long.MAX_VALUE, -7, -1_000_001};
        for (long ns : samples) {
            assertEquals(ns, TraceTime.microsToNanos(TraceTime.nanosToMicros(ns)), Long.toString(ns));
        }
    }
}
