-- Jornada schema, version 5: identity verification and secret-key rotation.
--
-- identity_secret: when set, a write key's `identify` events and `POST /v1/experience` must carry
-- `userHash` = hex HMAC-SHA256 of the user id with it (server/identity.ts). It is kept in clear,
-- unlike API keys: the server must compute the HMAC with it.
ALTER TABLE workspaces ADD COLUMN IF NOT EXISTS identity_secret text;

-- expires_at: a key that stops working at that time (the previous secret key during a rotation,
-- server/routes/keys.ts). NULL: no expiry.
ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS expires_at timestamptz;
