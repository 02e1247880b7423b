-- +goose Up
-- The forms of a procedure (tờ khai, mẫu đơn): a JSON list of
-- {"name", "url"} or {"name", "file"}, like documents and steps.
ALTER TABLE procedures ADD COLUMN forms TEXT NOT NULL DEFAULT '[]';

-- +goose Down
ALTER TABLE procedures DROP COLUMN forms;
