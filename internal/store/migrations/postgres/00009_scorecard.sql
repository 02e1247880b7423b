-- +goose Up
-- The scorecard (docs/scorecard.md) reads a year of a unit in a few
-- milliseconds from this tally of its ended dossiers, by day (grain d) and
-- by month (grain m, `day` the first of the month); ended is every status
-- but received, in_progress, payment and refused: what each counts for never
-- changes with the clock. Dossiers still running are read from dossiers
-- itself, since whether they are late depends on the moment. Triggers keep
-- the tally, whatever code writes a dossier; `day` is the local date of
-- reception (Asia/Ho_Chi_Minh, UTC+7 all year).
CREATE TABLE scorecard_days (
    unit_code      TEXT NOT NULL,
    grain          TEXT NOT NULL CHECK (grain IN ('d', 'm')),
    procedure_code TEXT NOT NULL,
    day            DATE NOT NULL,
    received       BIGINT NOT NULL DEFAULT 0,
    counted        BIGINT NOT NULL DEFAULT 0,
    on_time        BIGINT NOT NULL DEFAULT 0,
    late_apology   BIGINT NOT NULL DEFAULT 0,
    finished       BIGINT NOT NULL DEFAULT 0,
    e_result       BIGINT NOT NULL DEFAULT 0,
    digitised      BIGINT NOT NULL DEFAULT 0,
    reused         BIGINT NOT NULL DEFAULT 0,
    synced         BIGINT NOT NULL DEFAULT 0,
    online         BIGINT NOT NULL DEFAULT 0,
    fee            BIGINT NOT NULL DEFAULT 0,
    paid_online    BIGINT NOT NULL DEFAULT 0,
    elapsed        DOUBLE PRECISION NOT NULL DEFAULT 0,
    allowed        DOUBLE PRECISION NOT NULL DEFAULT 0,
    PRIMARY KEY (unit_code, grain, day, procedure_code)
);

-- +goose StatementBegin
CREATE FUNCTION scorecard_days_add(d dossiers, sign INTEGER) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF d.status IN ('received', 'in_progress', 'payment', 'refused') THEN
        RETURN;
    END IF;
    INSERT INTO scorecard_days AS s (unit_code, grain, procedure_code, day, received, counted, on_time, late_apology, finished, e_result, digitised, reused, synced, online, fee, paid_online, elapsed, allowed)
    VALUES (d.unit_code, 'd', d.procedure_code, (d.received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, sign * 1, sign * (d.status NOT IN ('withdrawn', 'stopped'))::int, sign * (d.status NOT IN ('withdrawn', 'stopped') AND ((d.status IN ('done', 'returned') AND COALESCE(d.finished_at, d.returned_at, d.received_at) <= d.due_at) OR d.status = 'supplement'))::int, sign * (d.status NOT IN ('withdrawn', 'stopped') AND NOT (d.status NOT IN ('withdrawn', 'stopped') AND ((d.status IN ('done', 'returned') AND COALESCE(d.finished_at, d.returned_at, d.received_at) <= d.due_at) OR d.status = 'supplement')) AND d.apology_issued_at IS NOT NULL AND NOT d.apology_late)::int, sign * (d.status IN ('done', 'returned'))::int, sign * (d.status IN ('done', 'returned') AND d.e_result)::int, sign * (d.digitized)::int, sign * (d.reused_data)::int, sign * (d.synced_national)::int, sign * (d.channel = 'online')::int, sign * (d.has_fee)::int, sign * (d.has_fee AND d.paid_online)::int, sign * CASE WHEN d.status IN ('done', 'returned') THEN EXTRACT(EPOCH FROM (COALESCE(d.finished_at, d.returned_at, d.received_at) - d.received_at)) ELSE 0 END, sign * CASE WHEN d.status IN ('done', 'returned') THEN EXTRACT(EPOCH FROM (d.due_at - d.received_at)) ELSE 0 END)
    ON CONFLICT (unit_code, grain, day, procedure_code) DO UPDATE SET received = s.received + excluded.received, counted = s.counted + excluded.counted, on_time = s.on_time + excluded.on_time, late_apology = s.late_apology + excluded.late_apology, finished = s.finished + excluded.finished, e_result = s.e_result + excluded.e_result, digitised = s.digitised + excluded.digitised, reused = s.reused + excluded.reused, synced = s.synced + excluded.synced, online = s.online + excluded.online, fee = s.fee + excluded.fee, paid_online = s.paid_online + excluded.paid_online, elapsed = s.elapsed + excluded.elapsed, allowed = s.allowed + excluded.allowed;
    INSERT INTO scorecard_days AS s (unit_code, grain, procedure_code, day, received, counted, on_time, late_apology, finished, e_result, digitised, reused, synced, online, fee, paid_online, elapsed, allowed)
    VALUES (d.unit_code, 'm', d.procedure_code, date_trunc('month', d.received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, sign * 1, sign * (d.status NOT IN ('withdrawn', 'stopped'))::int, sign * (d.status NOT IN ('withdrawn', 'stopped') AND ((d.status IN ('done', 'returned') AND COALESCE(d.finished_at, d.returned_at, d.received_at) <= d.due_at) OR d.status = 'supplement'))::int, sign * (d.status NOT IN ('withdrawn', 'stopped') AND NOT (d.status NOT IN ('withdrawn', 'stopped') AND ((d.status IN ('done', 'returned') AND COALESCE(d.finished_at, d.returned_at, d.received_at) <= d.due_at) OR d.status = 'supplement')) AND d.apology_issued_at IS NOT NULL AND NOT d.apology_late)::int, sign * (d.status IN ('done', 'returned'))::int, sign * (d.status IN ('done', 'returned') AND d.e_result)::int, sign * (d.digitized)::int, sign * (d.reused_data)::int, sign * (d.synced_national)::int, sign * (d.channel = 'online')::int, sign * (d.has_fee)::int, sign * (d.has_fee AND d.paid_online)::int, sign * CASE WHEN d.status IN ('done', 'returned') THEN EXTRACT(EPOCH FROM (COALESCE(d.finished_at, d.returned_at, d.received_at) - d.received_at)) ELSE 0 END, sign * CASE WHEN d.status IN ('done', 'returned') THEN EXTRACT(EPOCH FROM (d.due_at - d.received_at)) ELSE 0 END)
    ON CONFLICT (unit_code, grain, day, procedure_code) DO UPDATE SET received = s.received + excluded.received, counted = s.counted + excluded.counted, on_time = s.on_time + excluded.on_time, late_apology = s.late_apology + excluded.late_apology, finished = s.finished + excluded.finished, e_result = s.e_result + excluded.e_result, digitised = s.digitised + excluded.digitised, reused = s.reused + excluded.reused, synced = s.synced + excluded.synced, online = s.online + excluded.online, fee = s.fee + excluded.fee, paid_online = s.paid_online + excluded.paid_online, elapsed = s.elapsed + excluded.elapsed, allowed = s.allowed + excluded.allowed;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION scorecard_days_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM scorecard_days_add(OLD, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM scorecard_days_add(NEW, 1);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER dossiers_scorecard AFTER INSERT OR UPDATE OR DELETE ON dossiers
    FOR EACH ROW EXECUTE FUNCTION scorecard_days_trigger();

INSERT INTO scorecard_days (unit_code, grain, procedure_code, day, received, counted, on_time, late_apology, finished, e_result, digitised, reused, synced, online, fee, paid_online, elapsed, allowed)
SELECT unit_code, 'd', procedure_code, (received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, SUM(1), SUM((status NOT IN ('withdrawn', 'stopped'))::int), SUM((status NOT IN ('withdrawn', 'stopped') AND ((status IN ('done', 'returned') AND COALESCE(finished_at, returned_at, received_at) <= due_at) OR status = 'supplement'))::int), SUM((status NOT IN ('withdrawn', 'stopped') AND NOT (status NOT IN ('withdrawn', 'stopped') AND ((status IN ('done', 'returned') AND COALESCE(finished_at, returned_at, received_at) <= due_at) OR status = 'supplement')) AND apology_issued_at IS NOT NULL AND NOT apology_late)::int), SUM((status IN ('done', 'returned'))::int), SUM((status IN ('done', 'returned') AND e_result)::int), SUM((digitized)::int), SUM((reused_data)::int), SUM((synced_national)::int), SUM((channel = 'online')::int), SUM((has_fee)::int), SUM((has_fee AND paid_online)::int), SUM(CASE WHEN status IN ('done', 'returned') THEN EXTRACT(EPOCH FROM (COALESCE(finished_at, returned_at, received_at) - received_at)) ELSE 0 END), SUM(CASE WHEN status IN ('done', 'returned') THEN EXTRACT(EPOCH FROM (due_at - received_at)) ELSE 0 END)
FROM dossiers WHERE status NOT IN ('received', 'in_progress', 'payment', 'refused')
GROUP BY unit_code, procedure_code, (received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date;
INSERT INTO scorecard_days (unit_code, grain, procedure_code, day, received, counted, on_time, late_apology, finished, e_result, digitised, reused, synced, online, fee, paid_online, elapsed, allowed)
SELECT unit_code, 'm', procedure_code, date_trunc('month', received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, SUM(1), SUM((status NOT IN ('withdrawn', 'stopped'))::int), SUM((status NOT IN ('withdrawn', 'stopped') AND ((status IN ('done', 'returned') AND COALESCE(finished_at, returned_at, received_at) <= due_at) OR status = 'supplement'))::int), SUM((status NOT IN ('withdrawn', 'stopped') AND NOT (status NOT IN ('withdrawn', 'stopped') AND ((status IN ('done', 'returned') AND COALESCE(finished_at, returned_at, received_at) <= due_at) OR status = 'supplement')) AND apology_issued_at IS NOT NULL AND NOT apology_late)::int), SUM((status IN ('done', 'returned'))::int), SUM((status IN ('done', 'returned') AND e_result)::int), SUM((digitized)::int), SUM((reused_data)::int), SUM((synced_national)::int), SUM((channel = 'online')::int), SUM((has_fee)::int), SUM((has_fee AND paid_online)::int), SUM(CASE WHEN status IN ('done', 'returned') THEN EXTRACT(EPOCH FROM (COALESCE(finished_at, returned_at, received_at) - received_at)) ELSE 0 END), SUM(CASE WHEN status IN ('done', 'returned') THEN EXTRACT(EPOCH FROM (due_at - received_at)) ELSE 0 END)
FROM dossiers WHERE status NOT IN ('received', 'in_progress', 'payment', 'refused')
GROUP BY unit_code, procedure_code, date_trunc('month', received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date;

-- A unit's dossiers by the day they were received (the desk's list of
-- what cost points), and its running dossiers alone (the scorecard).
CREATE INDEX dossiers_unit_received ON dossiers (unit_code, received_at);
CREATE INDEX dossiers_running ON dossiers (unit_code, received_at)
    INCLUDE (procedure_code, due_at, digitized, reused_data, synced_national, channel, has_fee, paid_online, apology_issued_at, apology_late)
    WHERE status IN ('received', 'in_progress', 'payment');

-- +goose Down
DROP INDEX dossiers_running;
DROP INDEX dossiers_unit_received;
DROP TRIGGER dossiers_scorecard ON dossiers;
DROP FUNCTION scorecard_days_trigger();
DROP FUNCTION scorecard_days_add(dossiers, INTEGER);
DROP TABLE scorecard_days;
