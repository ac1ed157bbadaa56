package dev.throughline.samples.serving;

import java.util.Random;

/**
 * The model: a 3-layer perceptron, {@value #INPUTS} → hidden → hidden → {@value #OUTPUTS}, ReLU between
 * layers, fixed random weights from a seed (so a test can compute the same outputs independently).
 * Plain float arrays, row-major: {@code w[o * in + i]} is the weight from input i to output o.
 */
public final class Mlp {
    public static final int INPUTS = 64;
    public static final int OUTPUTS = 16;

    private final int hidden;
    /** Per layer: weights (out × in) and biases (out). */
    private final float[][] weights;
    private final float[][] biases;

    private Mlp(int hidden, float[][] weights, float[][] biases) {
        this.hidden = hidden;
        this.weights = weights;
        this.biases = biases;
    }

    /** Weights uniform in ±1/√fan_in (PyTorch's nn.Linear default range), biases likewise. */
    public static Mlp create(long seed, int hidden) {
        Random random = new Random(seed);
        int[] sizes = {INPUTS, hidden, hidden, OUTPUTS};
        float[][] w = new float[3][];
        float[][] b = new float[3][];
        for (int layer = 0; layer < 3; layer++) {
            int in = sizes[layer];
            int out = sizes[layer + 1];
            float bound = (float) (1 / Math.sqrt(in));
            w[layer] = new float[out * in];
            for (int k = 0; k < w[layer].length; k++) {
                w[layer][k] = (random.nextFloat() * 2 - 1) * bound;
            }
            b[layer] = new float[out];
            for (int k = 0; k < out; k++) {
                b[layer][k] = (random.nextFloat() * 2 - 1) * bound;
            }
        }
        return new Mlp(hidden, w, b);
    }

    public int hidden() {
        return hidden;
    }

    /** Layer {@code layer}'s weight from input {@code i} to output {@code o} (for independent checks). */
    public float weight(int layer, int o, int i) {
        int in = layer == 0 ? INPUTS : hidden;
        return weights[layer][o * in + i];
    }

    public float bias(int layer, int o) {
        return biases[layer][o];
    }

    /**
     * The forward pass of a batch: {@code inputs[r]} has {@link #INPUTS} values; returns one row of
     * {@link #OUTPUTS} per input. Layer by layer over the whole batch, so each weight row is read once
     * per batch while it is in cache: that is what makes batching pay.
     */
    public float[][] forward(float[][] inputs) {
        float[][] x = inputs;
        for (int layer = 0; layer < 3; layer++) {
            x = dense(x, weights[layer], biases[layer], layer < 2);
        }
        return x;
    }

    private static float[][] dense(float[][] x, float[] w, float[] b, boolean relu) {
        int in = x[0].length;
        int out = b.length;
        float[][] y = new float[x.length][out];
        for (int o = 0; o < out; o++) {
            int row = o * in;
            for (int r = 0; r < x.length; r++) {
                float[] xr = x[r];
                float sum = b[o];
                for (int i = 0; i < in; i++) {
                    sum += w[row + i] * xr[i];
                }
                y[r][o] = relu && sum < 0 ? 0 : sum;
            }
        }
        return y;
    }
}
