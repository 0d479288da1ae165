-- Emails are stored lowercased (review D2 of issue 10). better-auth looks a user up by
-- `email.toLowerCase()` and Kassa lowercases every email it writes (createUser, invitations), but
-- users made before issue 10 kept the case they were typed with: `Owner@Shop.ru` could no longer
-- sign in, and an invitation to `owner@shop.ru` made a second account instead of joining the first.

-- Two users whose emails differ only in case are two accounts that lowercasing would merge into one
-- address: refused (the migration rolls back, nothing changes) so a person decides which one stays.
DO $$
DECLARE
  clashes TEXT;
BEGIN
  SELECT string_agg(format('%s (users %s)', address, ids), '; ' ORDER BY address)
    INTO clashes
    FROM (
      SELECT lower(btrim("email")) AS address, string_agg("id", ', ' ORDER BY "id") AS ids
        FROM "users"
       GROUP BY lower(btrim("email"))
      HAVING count(*) > 1
    ) AS same_address;
  IF clashes IS NOT NULL THEN
    RAISE EXCEPTION 'users whose emails differ only in case or spaces: %. Give one of each pair another email (or delete it) and start again.', clashes;
  END IF;
END $$;

UPDATE "users" SET "email" = lower(btrim("email")) WHERE "email" <> lower(btrim("email"));

-- From now on the database refuses a mixed-case email, whichever code path writes it.
ALTER TABLE "users" ADD CONSTRAINT "users_email_lowercase" CHECK ("email" = lower(btrim("email")));
