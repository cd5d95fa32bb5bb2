package dev.switchboard.supervisor.crm.webhook;

import dev.switchboard.supervisor.crm.webhook.WebhookEvent.Disposition;
import io.vertx.core.Context;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/** Webhook providers that exist only in tests, to watch the intake from inside a provider. */
final class TestWebhookProviders {

    private TestWebhookProviders() {}

    /**
     * {@code POST /webhooks/test-thread-probe}: accepts anything as an ignored event and remembers whether
     * {@link WebhookProvider#accept} ran on a Vert.x event-loop thread, where signature checks must never run.
     */
    @ApplicationScoped
    static class ThreadProbe implements WebhookProvider {

        static final String NAME = "test-thread-probe";

        private volatile Boolean onEventLoop;
        private volatile String thread;

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public WebhookEvent accept(byte[] rawBody, Function<String, String> headers, Instant now) {
            onEventLoop = Context.isOnEventLoopThread();
            thread = Thread.currentThread().getName();
            return new WebhookEvent(
                    NAME,
                    "probe-" + now.toEpochMilli(),
                    "Probe",
                    Disposition.IGNORE,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null);
        }

        /** @return whether the last delivery was checked on an event loop, {@code null} before the first */
        Boolean onEventLoop() {
            return onEventLoop;
        }

        /** @return the thread that checked the last delivery */
        String thread() {
            return thread;
        }
    }

    /** {@code POST /webhooks/test-switched-off}: a provider its configuration switches off. */
    @ApplicationScoped
    static class SwitchedOff implements WebhookProvider {

        static final String NAME = "test-switched-off";
        static final String REASON = "The webhook provider 'test-switched-off' is off: TEST_SETTING is not set";

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public Optional<String> disabledReason() {
            return Optional.of(REASON);
        }

        @Override
        public WebhookEvent accept(byte[] rawBody, Function<String, String> headers, Instant now) {
            throw new AssertionError("an off provider never sees a delivery");
        }
    }
}
