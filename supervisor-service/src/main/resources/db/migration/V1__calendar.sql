-- Local calendar behind the check_availability and book_appointment tools.
-- Times of day are local to supervisor.calendar.timezone; instants are timestamptz.

CREATE TABLE IF NOT EXISTS supervisor.business_hours (
    weekday smallint PRIMARY KEY CHECK (weekday BETWEEN 1 AND 7),   -- ISO: 1 = Monday .. 7 = Sunday
    opens   time NOT NULL,
    closes  time NOT NULL,
    CHECK (opens < closes)
);

INSERT INTO supervisor.business_hours (weekday, opens, closes) VALUES
    (1, '09:00', '17:00'),
    (2, '09:00', '17:00'),
    (3, '09:00', '17:00'),
    (4, '09:00', '17:00'),
    (5, '09:00', '17:00')
ON CONFLICT (weekday) DO NOTHING;

CREATE TABLE IF NOT EXISTS supervisor.appointments (
    id           uuid PRIMARY KEY,
    starts_at    timestamptz NOT NULL,
    ends_at      timestamptz NOT NULL,
    title        text NOT NULL,
    contact_name text NOT NULL,
    contact      text NOT NULL,
    notes        text,
    session_id   text,
    status       text NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'cancelled')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    CHECK (starts_at < ends_at),
    -- No two booked appointments overlap. A plain range exclusion needs no btree_gist (GiST supports
    -- range types natively); concurrent bookings of the same slot fail with SQLSTATE 23P01.
    CONSTRAINT appointments_no_overlap
        EXCLUDE USING gist (tstzrange(starts_at, ends_at) WITH &&) WHERE (status = 'booked')
);

CREATE INDEX IF NOT EXISTS appointments_starts_at_idx ON supervisor.appointments (starts_at);
CREATE INDEX IF NOT EXISTS appointments_session_idx ON supervisor.appointments (session_id);
