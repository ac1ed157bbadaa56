package dev.throughline.samples.serving;

import java.util.SplittableRandom;

/** The wire format of inputs and outputs: comma-separated floats as text, and the inputs the load generator sends. */
public final class Vectors {
    private Vectors() {
    }

    public static String format(float[] v) {
        StringBuilder sb = new StringBuilder(v.length * 12);
        for (int i = 0; i < v.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(v[i]); // Float.toString round-trips exactly
        }
        return sb.toString();
    }

    public static float[] parse(String text, int expected) {
        String[] parts = text.trim().split(",");
        if (parts.length != expected) {
            throw new IllegalArgumentException("expected " + expected + " comma-separated numbers, got " + parts.length);
        }
        float[] v = new float[expected];
        for (int i = 0; i < expected; i++) {
            v[i] = Float.parseFloat(parts[i].trim());
        }
        return v;
    }

    /** The {@code n}-th input of a run: values in [-1, 1), the same for the same seed and n. */
    public static float[] input(long seed, long n) {
        SplittableRandom r = new SplittableRandom(seed * 1_000_003L + n);
        float[] v = new float[Mlp.INPUTS];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return v;
    }
}
