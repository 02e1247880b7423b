-- +goose Up
CREATE TABLE units (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    level       TEXT NOT NULL CHECK (level IN ('province', 'district', 'commune')),
    parent_code TEXT REFERENCES units (code),
    agency_code TEXT NOT NULL DEFAULT '',
    created_at  DATETIME NOT NULL
);
CREATE INDEX units_parent ON units (parent_code);

CREATE TABLE procedures (
    code            TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    name_en         TEXT NOT NULL DEFAULT '',
    field           TEXT NOT NULL,
    field_en        TEXT NOT NULL DEFAULT '',
    level           TEXT NOT NULL,
    agency          TEXT NOT NULL,
    processing_days INTEGER NOT NULL,
    processing_note TEXT NOT NULL DEFAULT '',
    fee             TEXT NOT NULL DEFAULT '',
    online          TEXT NOT NULL CHECK (online IN ('full', 'partial', 'none')),
    documents       TEXT NOT NULL DEFAULT '[]',
    legal_basis     TEXT NOT NULL DEFAULT '[]',
    steps           TEXT NOT NULL DEFAULT '[]',
    verified        BOOLEAN NOT NULL DEFAULT FALSE,
    source          TEXT NOT NULL DEFAULT '',
    updated_at      DATETIME NOT NULL
);

-- One row whose version grows with every catalog change, so that each
-- instance knows when to rebuild its in-memory search index.
CREATE TABLE catalog_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO catalog_version (id, version) VALUES (1, 0);

-- +goose Down
DROP TABLE catalog_version;
DROP TABLE procedures;
DROP TABLE units;
