-- +goose Up
-- The number of queued tickets (waiting or transferred) of each office,
-- service and day, and of those the priority ones, kept by triggers on
-- every change of a ticket: issuing reads them with the number it takes
-- instead of counting the queue each time.
ALTER TABLE queue_numbers ADD COLUMN queued INTEGER NOT NULL DEFAULT 0;
ALTER TABLE queue_numbers ADD COLUMN queued_priority INTEGER NOT NULL DEFAULT 0;

INSERT INTO queue_numbers (office_code, service_code, day, last_seq)
SELECT DISTINCT office_code, service_code, day, 0 FROM queue_tickets WHERE status IN ('waiting', 'transferred')
ON CONFLICT DO NOTHING;
UPDATE queue_numbers SET
    queued = (SELECT COUNT(*) FROM queue_tickets t WHERE t.office_code = queue_numbers.office_code
        AND t.service_code = queue_numbers.service_code AND t.day = queue_numbers.day AND t.status IN ('waiting', 'transferred')),
    queued_priority = (SELECT COUNT(*) FROM queue_tickets t WHERE t.office_code = queue_numbers.office_code
        AND t.service_code = queue_numbers.service_code AND t.day = queue_numbers.day AND t.status IN ('waiting', 'transferred')
        AND t.priority <> '');

-- +goose StatementBegin
CREATE TRIGGER queue_tickets_queued_insert AFTER INSERT ON queue_tickets
WHEN NEW.status IN ('waiting', 'transferred')
BEGIN
    INSERT INTO queue_numbers (office_code, service_code, day, last_seq, queued, queued_priority)
    VALUES (NEW.office_code, NEW.service_code, NEW.day, 0, 1, NEW.priority <> '')
    ON CONFLICT (office_code, service_code, day) DO UPDATE
        SET queued = queued + 1, queued_priority = queued_priority + excluded.queued_priority;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER queue_tickets_queued_delete AFTER DELETE ON queue_tickets
WHEN OLD.status IN ('waiting', 'transferred')
BEGIN
    UPDATE queue_numbers SET queued = queued - 1, queued_priority = queued_priority - (OLD.priority <> '')
    WHERE office_code = OLD.office_code AND service_code = OLD.service_code AND day = OLD.day;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER queue_tickets_queued_update AFTER UPDATE ON queue_tickets
WHEN (OLD.status IN ('waiting', 'transferred')) <> (NEW.status IN ('waiting', 'transferred'))
    OR ((OLD.status IN ('waiting', 'transferred')) AND (OLD.service_code <> NEW.service_code OR OLD.priority <> NEW.priority))
BEGIN
    UPDATE queue_numbers SET queued = queued - 1, queued_priority = queued_priority - (OLD.priority <> '')
    WHERE office_code = OLD.office_code AND service_code = OLD.service_code AND day = OLD.day
        AND OLD.status IN ('waiting', 'transferred');
    INSERT INTO queue_numbers (office_code, service_code, day, last_seq, queued, queued_priority)
    SELECT NEW.office_code, NEW.service_code, NEW.day, 0, 1, NEW.priority <> ''
    WHERE NEW.status IN ('waiting', 'transferred')
    ON CONFLICT (office_code, service_code, day) DO UPDATE
        SET queued = queued + 1, queued_priority = queued_priority + excluded.queued_priority;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER queue_tickets_queued_update;
DROP TRIGGER queue_tickets_queued_delete;
DROP TRIGGER queue_tickets_queued_insert;
ALTER TABLE queue_numbers DROP COLUMN queued_priority;
ALTER TABLE queue_numbers DROP COLUMN queued;
