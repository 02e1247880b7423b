-- +goose Up
-- Where to go and when (docs/domain.md, "Opening hours"): an office's
-- address, phone and opening hours per weekday (JSON {"mon": ["07:00-11:30"],
-- ...}, local time), how long before closing the kiosk stops issuing, and a
-- unit's own address and phone. Offices created before opening hours
-- existed keep working: they get the default hours, Monday to Friday.
ALTER TABLE queue_offices ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE queue_offices ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE queue_offices ADD COLUMN hours TEXT NOT NULL DEFAULT '{}';
ALTER TABLE queue_offices ADD COLUMN last_ticket_minutes INTEGER NOT NULL DEFAULT 30;
UPDATE queue_offices SET hours = '{"mon":["07:00-11:30","13:30-17:00"],"tue":["07:00-11:30","13:30-17:00"],"wed":["07:00-11:30","13:30-17:00"],"thu":["07:00-11:30","13:30-17:00"],"fri":["07:00-11:30","13:30-17:00"],"sat":[],"sun":[]}';
ALTER TABLE units ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE units ADD COLUMN phone TEXT NOT NULL DEFAULT '';
-- A retired service or counter is hidden from the kiosk and the consoles;
-- its tickets and their history stay.
ALTER TABLE queue_services ADD COLUMN retired_at DATETIME NULL;
ALTER TABLE queue_counters ADD COLUMN retired_at DATETIME NULL;

-- +goose Down
ALTER TABLE queue_counters DROP COLUMN retired_at;
ALTER TABLE queue_services DROP COLUMN retired_at;
ALTER TABLE units DROP COLUMN phone;
ALTER TABLE units DROP COLUMN address;
ALTER TABLE queue_offices DROP COLUMN last_ticket_minutes;
ALTER TABLE queue_offices DROP COLUMN hours;
ALTER TABLE queue_offices DROP COLUMN phone;
ALTER TABLE queue_offices DROP COLUMN address;
