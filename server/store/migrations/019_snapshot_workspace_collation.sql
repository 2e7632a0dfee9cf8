-- account_snapshots.workspace_id takes the database's collation, as workspace_id has in every other
-- table: Citus colocates tables distributed by a column only when the column's type and collation
-- agree (020_distribute_by_workspace.sql). The workspace is only ever compared for equality, so no
-- result changes; the listing's byte order is account_id's, which stays COLLATE "C".
ALTER TABLE account_snapshots ALTER COLUMN workspace_id TYPE text COLLATE "default";
