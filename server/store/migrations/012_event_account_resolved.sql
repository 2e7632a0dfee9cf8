-- Whether an event's account was resolved by the store (from its user's `group` calls) rather than
-- given by its sender: true for every event stored without an account but with a user, whatever
-- the resolution found (journey.md, "Entities": such an event belongs to the account of its user's
-- latest group call at its time). A group call that arrives after events it dates before
-- re-assigns those (server/store/late-groups.ts); an account given by the sender never changes.
-- NULL: given, or stored before this column (those with an account keep it: the store cannot tell
-- whether it was given; those without one are still resolved, see 013).
ALTER TABLE events ADD COLUMN IF NOT EXISTS account_resolved boolean;
