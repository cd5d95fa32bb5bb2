-- A booking made by an agent's tool call carries the call's key (<turn id>:book_appointment:<n>): a turn run again
-- under the same turn id (an idempotent chat request retried after its first attempt died before storing the turn)
-- finds the appointment its first run booked instead of booking a second one.
ALTER TABLE supervisor.appointments ADD COLUMN IF NOT EXISTS idempotency_key text;
CREATE UNIQUE INDEX IF NOT EXISTS appointments_idempotency_key_idx
    ON supervisor.appointments (idempotency_key) WHERE idempotency_key IS NOT NULL;
