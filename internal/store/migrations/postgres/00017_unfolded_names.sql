-- +goose Up
-- The dossiers whose applicant's name is still to fold (00014): the store
-- looks for them each time it opens, and without this index that look
-- walked every dossier, a second of start-up on a large store.
CREATE INDEX dossiers_unfolded ON dossiers (code) WHERE applicant_fold = '';

-- +goose Down
DROP INDEX dossiers_unfolded;
