-- The table the replicate_prod_to_envs pipeline copies, as each environment's migrations would create it.
-- Apply it to the prod, dev, staging and qa databases before the first run (see docs/integrations.md).
CREATE TABLE IF NOT EXISTS public.customers (
  id integer PRIMARY KEY,
  name text NOT NULL,
  email text,
  balance numeric(12, 2),
  signed_up date,
  updated_at timestamptz
);
