package dev.switchboard.supervisor.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The routing head on tiny synthetic vectors. */
class SoftmaxHeadTest {

    /** Three noisy clusters around the axes of a 3-d space. */
    private static final double[][] X = {
        {1, 0.1, 0}, {0.9, 0, 0.1}, {1, 0.05, 0.05},
        {0, 1, 0.1}, {0.1, 0.9, 0}, {0.05, 1, 0},
        {0, 0.1, 1}, {0.1, 0, 0.9}, {0, 0.05, 1},
    };

    private static final int[] Y = {0, 0, 0, 1, 1, 1, 2, 2, 2};

    @Test
    void learnsSeparableClassesAndReturnsDistributions() {
        SoftmaxHead head = SoftmaxHead.train(X, Y, 3);
        double[][] probes = {{0.8, 0.2, 0.1}, {0.2, 0.7, 0}, {0.1, 0.1, 0.8}};
        for (int c = 0; c < 3; c++) {
            double[] p = head.predict(probes[c]);
            assertEquals(3, p.length);
            assertEquals(1.0, p[0] + p[1] + p[2], 1e-9);
            for (int k = 0; k < 3; k++) {
                assertTrue(p[k] >= 0 && p[k] <= 1);
                if (k != c) {
                    assertTrue(p[c] > p[k], "class " + c + " should win for its probe");
                }
            }
        }
    }

    @Test
    void aCancelledTrainingStopsWithinItsSteps() {
        java.util.concurrent.atomic.AtomicInteger checks = new java.util.concurrent.atomic.AtomicInteger();
        assertThrows(
                java.util.concurrent.CancellationException.class,
                () -> SoftmaxHead.train(X, Y, 3, 0.01, 1500, () -> checks.incrementAndGet() > 10));
        assertEquals(11, checks.get(), "checked before every step, stopped at the first true");
    }

    @Test
    void strongerRegularisationGivesLessConfidentProbabilities() {
        double[] probe = {1, 0, 0};
        double weak = SoftmaxHead.train(X, Y, 3, 0.001, 1500).predict(probe)[0];
        double strong = SoftmaxHead.train(X, Y, 3, 1.0, 1500).predict(probe)[0];
        assertTrue(weak > strong, weak + " vs " + strong);
        assertTrue(strong > 1.0 / 3);
    }

    @Test
    void classBalancingKeepsAMinorityClassReachable() {
        double[][] x = {{1, 0}, {0.95, 0.05}, {0.9, 0.1}, {0.97, 0}, {0.92, 0.02}, {0.94, 0.03}, {0, 1}};
        int[] y = {0, 0, 0, 0, 0, 0, 1};
        SoftmaxHead head = SoftmaxHead.train(x, y, 2);
        assertTrue(head.predict(new double[] {0.05, 1})[1] > 0.5);
    }

    @Test
    void trainingIsDeterministic() {
        double[] probe = {0.3, 0.4, 0.3};
        assertArrayEquals(
                SoftmaxHead.train(X, Y, 3).predict(probe),
                SoftmaxHead.train(X, Y, 3).predict(probe));
    }

    @Test
    void rejectsInvalidInput() {
        assertThrows(IllegalArgumentException.class, () -> SoftmaxHead.train(new double[0][], new int[0], 2));
        assertThrows(IllegalArgumentException.class, () -> SoftmaxHead.train(X, new int[] {0}, 3));
        assertThrows(IllegalArgumentException.class, () -> SoftmaxHead.train(X, Y, 2));
        SoftmaxHead head = SoftmaxHead.train(X, Y, 3);
        assertThrows(IllegalArgumentException.class, () -> head.predict(new double[] {1, 0}));
    }
}
