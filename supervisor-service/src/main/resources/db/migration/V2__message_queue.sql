-- Durable queue of verified CRM webhook events (issue 6). Columns follow seed 001's message_queue
-- (status, contact_id, processed_by_agent, appointment_booked, created_at, updated_at, langgraph_thread_id,
-- langgraph_run_id, workflow_state) plus what the queue itself needs: provider, event id (dedup), attempts,
-- visibility timeout, claim token (fencing of a reclaimed row) and the reply bookkeeping that makes the reply
-- go out at most once per event.
CREATE TABLE IF NOT EXISTS supervisor.message_queue (
    id                  bigserial PRIMARY KEY,
    provider            text NOT NULL,                  -- ghl, ghl-workflow, ...
    event_id            text NOT NULL,                  -- the provider's webhookId, else sha256:<hex of the raw body>
    event_type          text NOT NULL,                  -- InboundMessage, OutboundMessage, ContactCreate, AppointmentCreate
    status              text NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'processing', 'completed', 'failed', 'recorded')),
    location_id         text,
    contact_id          text,
    channel             text,                           -- reply type for the conversations API: SMS, Email, ...
    message             text,                           -- the contact's message (InboundMessage)
    inbound_message_id  text,                           -- the provider's id of the inbound message
    payload             jsonb NOT NULL,                 -- the verified event as received
    processed_by_agent  text,
    appointment_booked  boolean NOT NULL DEFAULT false,
    langgraph_thread_id varchar(255),                   -- our chat session id: ghl:<locationId>:<contactId>
    langgraph_run_id    varchar(255),                   -- our turn id
    workflow_state      jsonb NOT NULL DEFAULT '{}'::jsonb,  -- routing, checkpoint id, appointment ids
    reply               text,                           -- the agent's answer, saved before it is sent
    reply_attempted_at  timestamptz,                    -- set just before the send; cleared when it surely failed
    outbound_message_id text,                           -- the provider's id of our reply (recorded before completion)
    attempts            integer NOT NULL DEFAULT 0,
    max_attempts        integer NOT NULL DEFAULT 5,
    last_error          text,
    available_at        timestamptz NOT NULL DEFAULT now(),  -- not claimable before (retry backoff)
    locked_until        timestamptz,                    -- visibility timeout of a claim
    claim_token         uuid,
    claimed_by          text,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    completed_at        timestamptz,
    CONSTRAINT message_queue_event_unique UNIQUE (provider, event_id)
);

CREATE INDEX IF NOT EXISTS message_queue_claimable_idx ON supervisor.message_queue (id)
    WHERE status IN ('pending', 'processing');
CREATE INDEX IF NOT EXISTS message_queue_status_idx ON supervisor.message_queue (status, id);
CREATE INDEX IF NOT EXISTS message_queue_created_idx ON supervisor.message_queue (created_at);
CREATE INDEX IF NOT EXISTS message_queue_contact_idx ON supervisor.message_queue (contact_id, created_at);
CREATE INDEX IF NOT EXISTS message_queue_outbound_idx ON supervisor.message_queue (outbound_message_id)
    WHERE outbound_message_id IS NOT NULL;
-- seed 001
CREATE INDEX IF NOT EXISTS idx_langgraph_thread ON supervisor.message_queue (langgraph_thread_id)
    WHERE langgraph_thread_id IS NOT NULL;
