package dev.switchboard.supervisor.routing;

import java.util.List;
import java.util.Map;

/**
 * Embeddings of agent descriptions and examples shared between supervisor replicas, so that a new agent's texts are
 * embedded once in the cluster instead of once per replica: the first replica to claim a text embeds and stores it,
 * the others wait briefly for it. Implementations never throw (a failure reads as "not found" or "not claimed").
 */
public interface SharedEmbeddings {

    /** Sharing switched off: nothing found, every text claimed, nothing stored. */
    SharedEmbeddings NONE = new SharedEmbeddings() {
        @Override
        public Map<String, double[]> find(List<String> texts) {
            return Map.of();
        }

        @Override
        public List<String> claim(List<String> texts) {
            return texts;
        }

        @Override
        public void store(Map<String, double[]> vectors) {
            // nothing to share with
        }
    };

    /**
     * @param texts texts to look up
     * @return the stored unit vectors of those texts that have one
     */
    Map<String, double[]> find(List<String> texts);

    /**
     * Claims the right to embed {@code texts} for a short while (a claim expires, so a replica that dies while
     * embedding holds nobody up for long).
     *
     * @return the texts this caller won; the others are being embedded by another replica
     */
    List<String> claim(List<String> texts);

    /** Stores unit vectors by text for the other replicas. */
    void store(Map<String, double[]> vectors);
}
