-- +goose Up
-- The applicant's name folded (internal/textfold: lower case, no
-- diacritics), so that the desk finds "Nguyễn Văn An" typed "nguyen van an"
-- or "Văn An". Dossiers stored before it are folded by the store when it
-- opens (store.DB.Migrate).
ALTER TABLE dossiers ADD COLUMN applicant_fold TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE dossiers DROP COLUMN applicant_fold;
