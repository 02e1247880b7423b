-- +goose Up
-- The number of queued tickets (waiting or transferred) of each office,
-- service and day, and of those the priority ones, kept by triggers on
-- every change of a ticket: issuing reads them with the number it takes
-- (the row it already locks) instead of counting the queue each time.
ALTER TABLE queue_numbers ADD COLUMN queued INTEGER NOT NULL DEFAULT 0;
ALTER TABLE queue_numbers ADD COLUMN queued_priority INTEGER NOT NULL DEFAULT 0;

INSERT INTO queue_numbers (office_code, service_code, day, last_seq)
SELECT DISTINCT office_code, service_code, day, 0 FROM queue_tickets WHERE status IN ('waiting', 'transferred')
ON CONFLICT DO NOTHING;
UPDATE queue_numbers n SET queued = c.queued, queued_priority = c.queued_priority
FROM (SELECT office_code, service_code, day, COUNT(*) AS queued, COUNT(*) FILTER (WHERE priority <> '') AS queued_priority
      FROM queue_tickets WHERE status IN ('waiting', 'transferred') GROUP BY office_code, service_code, day) c
WHERE n.office_code = c.office_code AND n.service_code = c.service_code AND n.day = c.day;

-- +goose StatementBegin
CREATE FUNCTION queue_tickets_queued() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status IN ('waiting', 'transferred') THEN
        UPDATE queue_numbers SET queued = queued - 1,
            queued_priority = queued_priority - CASE WHEN OLD.priority <> '' THEN 1 ELSE 0 END
        WHERE office_code = OLD.office_code AND service_code = OLD.service_code AND day = OLD.day;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.status IN ('waiting', 'transferred') THEN
        INSERT INTO queue_numbers (office_code, service_code, day, last_seq, queued, queued_priority)
        VALUES (NEW.office_code, NEW.service_code, NEW.day, 0, 1, CASE WHEN NEW.priority <> '' THEN 1 ELSE 0 END)
        ON CONFLICT (office_code, service_code, day) DO UPDATE
            SET queued = queue_numbers.queued + 1, queued_priority = queue_numbers.queued_priority + excluded.queued_priority;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

CREATE TRIGGER queue_tickets_queued_insert AFTER INSERT ON queue_tickets
    FOR EACH ROW WHEN (NEW.status IN ('waiting', 'transferred')) EXECUTE FUNCTION queue_tickets_queued();
CREATE TRIGGER queue_tickets_queued_delete AFTER DELETE ON queue_tickets
    FOR EACH ROW WHEN (OLD.status IN ('waiting', 'transferred')) EXECUTE FUNCTION queue_tickets_queued();
CREATE TRIGGER queue_tickets_queued_update AFTER UPDATE ON queue_tickets
    FOR EACH ROW WHEN ((OLD.status IN ('waiting', 'transferred')) <> (NEW.status IN ('waiting', 'transferred'))
        OR ((OLD.status IN ('waiting', 'transferred')) AND (OLD.service_code <> NEW.service_code OR OLD.priority <> NEW.priority)))
    EXECUTE FUNCTION queue_tickets_queued();

-- +goose Down
DROP TRIGGER queue_tickets_queued_update ON queue_tickets;
DROP TRIGGER queue_tickets_queued_delete ON queue_tickets;
DROP TRIGGER queue_tickets_queued_insert ON queue_tickets;
DROP FUNCTION queue_tickets_queued();
ALTER TABLE queue_numbers DROP COLUMN queued_priority;
ALTER TABLE queue_numbers DROP COLUMN queued;
