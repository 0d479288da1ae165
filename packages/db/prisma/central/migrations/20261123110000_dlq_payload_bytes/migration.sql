-- The DLQ mirror keeps the dead item's payload as bytes (issue 8): a payload jsonb refuses (U+0000,
-- a lone surrogate) made the mirror fail the same way its item did. Existing rows keep their JSON
-- text as UTF-8 bytes.
ALTER TABLE "dlq_items" ALTER COLUMN "payload" SET DATA TYPE BYTEA USING convert_to("payload"::text, 'UTF8');
