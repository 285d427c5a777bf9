-- Schema 13: attachments' content moves out of the store into its content file beside it
-- (vsm_desktop.store.contentfile: larger pages for bytes written once, in bulk). The store has
-- copied it there before this runs; the pages it frees are zeroed, as for any removed content.
PRAGMA secure_delete = ON;
DROP TABLE IF EXISTS main.blob_chunks;
DROP TABLE IF EXISTS main.blobs;
