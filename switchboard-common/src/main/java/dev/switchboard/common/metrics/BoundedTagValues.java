package dev.switchboard.common.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Caps the distinct values of each tag of each meter: the first {@code maxValues} values of tag {@code k} on meter
 * {@code n} are kept, any further one becomes {@value #OTHER}. Tags often carry names clients or agents choose (agent
 * names and versions, prompt ids, webhook event types); without a cap, made-up values would create meters, and
 * memory and Prometheus series, without bound. Memory here is bounded too: at most {@code maxValues} remembered
 * values per meter name and tag key.
 */
public final class BoundedTagValues implements MeterFilter {

    /** The value that replaces a tag value beyond the cap. */
    public static final String OTHER = "other";

    private final int maxValues;
    private final ConcurrentMap<String, Set<String>> seen = new ConcurrentHashMap<>();

    /** @param maxValues distinct values kept per meter name and tag key (at least 1) */
    public BoundedTagValues(int maxValues) {
        if (maxValues < 1) {
            throw new IllegalArgumentException("maxValues must be at least 1");
        }
        this.maxValues = maxValues;
    }

    @Override
    public Meter.Id map(Meter.Id id) {
        List<Tag> tags = id.getTags();
        List<Tag> mapped = null;
        for (int i = 0; i < tags.size(); i++) {
            Tag tag = tags.get(i);
            if (!admit(id.getName(), tag)) {
                if (mapped == null) {
                    mapped = new ArrayList<>(tags);
                }
                mapped.set(i, Tag.of(tag.getKey(), OTHER));
            }
        }
        return mapped == null ? id : id.replaceTags(mapped);
    }

    /** @return whether the tag's value is among the first {@code maxValues} of its meter name and key */
    private boolean admit(String name, Tag tag) {
        Set<String> values = seen.computeIfAbsent(name + '\u0000' + tag.getKey(), k -> ConcurrentHashMap.newKeySet());
        if (values.contains(tag.getValue())) {
            return true;
        }
        synchronized (values) {
            if (values.size() < maxValues) {
                values.add(tag.getValue());
                return true;
            }
            return values.contains(tag.getValue()) || OTHER.equals(tag.getValue());
        }
    }
}
