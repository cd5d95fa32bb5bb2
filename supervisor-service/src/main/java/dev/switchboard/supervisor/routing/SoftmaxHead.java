package dev.switchboard.supervisor.routing;

import java.util.Arrays;

/**
 * Multinomial logistic regression (softmax) over embedding vectors, trained in plain Java.
 *
 * <p>Training is full-batch gradient descent with Nesterov momentum on the class-balanced cross-entropy
 * plus an L2 penalty on the weights (not on the biases). Features are centred on the training mean and
 * scaled to unit mean norm first. It is deterministic: the same input gives bit-identical weights.
 * Instances are immutable and thread-safe.
 */
final class SoftmaxHead {

    /** Default L2 penalty, chosen by cross-validation over the seeded examples. */
    static final double DEFAULT_L2 = 0.002;
    /** Default number of gradient steps. */
    static final int DEFAULT_ITERATIONS = 1500;

    private final double[][] weights; // [class][dim + 1], last column is the bias
    private final double[] mean;
    private final double scale;

    private SoftmaxHead(double[][] weights, double[] mean, double scale) {
        this.weights = weights;
        this.mean = mean;
        this.scale = scale;
    }

    /**
     * Trains a head with {@link #DEFAULT_L2} and {@link #DEFAULT_ITERATIONS}.
     *
     * @see #train(double[][], int[], int, double, int)
     */
    static SoftmaxHead train(double[][] x, int[] y, int classes) {
        return train(x, y, classes, DEFAULT_L2, DEFAULT_ITERATIONS);
    }

    /**
     * Trains a head.
     *
     * @param x          training vectors, all of the same dimension (n x d, n &ge; 1)
     * @param y          class of each vector, in [0, classes)
     * @param classes    number of classes (&ge; 1); a class without samples gets low probabilities
     * @param l2         L2 penalty on the weights (&ge; 0)
     * @param iterations gradient steps (&ge; 0)
     * @return the trained head
     * @throws IllegalArgumentException on empty input, mismatched sizes or a label out of range
     */
    static SoftmaxHead train(double[][] x, int[] y, int classes, double l2, int iterations) {
        return train(x, y, classes, l2, iterations, () -> false);
    }

    /**
     * Like {@link #train(double[][], int[], int, double, int)}, giving up when {@code cancelled} turns true (checked
     * before every gradient step).
     *
     * @throws java.util.concurrent.CancellationException when cancelled
     */
    static SoftmaxHead train(
            double[][] x,
            int[] y,
            int classes,
            double l2,
            int iterations,
            java.util.function.BooleanSupplier cancelled) {
        int n = x.length;
        if (n == 0 || y.length != n || classes < 1 || l2 < 0 || iterations < 0) {
            throw new IllegalArgumentException("invalid training input");
        }
        int d = x[0].length;
        int[] counts = new int[classes];
        for (int i = 0; i < n; i++) {
            if (x[i].length != d || y[i] < 0 || y[i] >= classes) {
                throw new IllegalArgumentException("invalid training sample " + i);
            }
            counts[y[i]]++;
        }
        double[] mean = new double[d];
        for (double[] v : x) {
            for (int j = 0; j < d; j++) {
                mean[j] += v[j] / n;
            }
        }
        double sumNorm = 0;
        for (double[] v : x) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                double c = v[j] - mean[j];
                s += c * c;
            }
            sumNorm += Math.sqrt(s);
        }
        double scale = sumNorm > 1e-12 ? n / sumNorm : 1.0;

        // Preprocessed features with a trailing 1 for the bias.
        double[][] f = new double[n][];
        double maxSq = 0;
        for (int i = 0; i < n; i++) {
            f[i] = features(x[i], mean, scale);
            double s = 0;
            for (double v : f[i]) {
                s += v * v;
            }
            maxSq = Math.max(maxSq, s);
        }
        // Class-balanced sample weights, normalised to sum 1.
        int present = 0;
        for (int c : counts) {
            present += c > 0 ? 1 : 0;
        }
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = 1.0 / (present * (double) counts[y[i]]);
        }

        int p = d + 1;
        double step = 1.0 / (0.5 * maxSq + l2);
        double[][] theta = new double[classes][p];
        double[][] prev = new double[classes][p];
        double[][] look = new double[classes][p];
        double[][] grad = new double[classes][p];
        double[] prob = new double[classes];
        double t = 1;
        for (int it = 0; it < iterations; it++) {
            if (cancelled.getAsBoolean()) {
                throw new java.util.concurrent.CancellationException("head training cancelled");
            }
            double tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
            double momentum = (t - 1) / tNext;
            for (int k = 0; k < classes; k++) {
                for (int j = 0; j < p; j++) {
                    look[k][j] = theta[k][j] + momentum * (theta[k][j] - prev[k][j]);
                }
            }
            for (double[] g : grad) {
                Arrays.fill(g, 0);
            }
            for (int i = 0; i < n; i++) {
                softmax(look, f[i], prob);
                for (int k = 0; k < classes; k++) {
                    double r = w[i] * (prob[k] - (y[i] == k ? 1 : 0));
                    if (r != 0) {
                        double[] gk = grad[k];
                        double[] fi = f[i];
                        for (int j = 0; j < p; j++) {
                            gk[j] += r * fi[j];
                        }
                    }
                }
            }
            for (int k = 0; k < classes; k++) {
                for (int j = 0; j < p; j++) {
                    double g = grad[k][j] + (j < d ? l2 * look[k][j] : 0);
                    prev[k][j] = theta[k][j];
                    theta[k][j] = look[k][j] - step * g;
                }
            }
            t = tNext;
        }
        return new SoftmaxHead(theta, mean, scale);
    }

    /**
     * Class probabilities for one vector.
     *
     * @param v a vector of the training dimension
     * @return probabilities per class, summing to 1
     * @throws IllegalArgumentException if the dimension differs from the training data
     */
    double[] predict(double[] v) {
        if (v.length != mean.length) {
            throw new IllegalArgumentException("expected dimension " + mean.length + " but got " + v.length);
        }
        double[] prob = new double[weights.length];
        softmax(weights, features(v, mean, scale), prob);
        return prob;
    }

    /** Number of classes. */
    int classes() {
        return weights.length;
    }

    private static double[] features(double[] v, double[] mean, double scale) {
        double[] f = new double[v.length + 1];
        for (int j = 0; j < v.length; j++) {
            f[j] = (v[j] - mean[j]) * scale;
        }
        f[v.length] = 1.0;
        return f;
    }

    private static void softmax(double[][] theta, double[] f, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < theta.length; k++) {
            double z = 0;
            double[] tk = theta[k];
            for (int j = 0; j < f.length; j++) {
                z += tk[j] * f[j];
            }
            out[k] = z;
            max = Math.max(max, z);
        }
        double sum = 0;
        for (int k = 0; k < out.length; k++) {
            out[k] = Math.exp(out[k] - max);
            sum += out[k];
        }
        for (int k = 0; k < out.length; k++) {
            out[k] /= sum;
        }
    }
}
