-- An order's insert checked its organization, and an attribution's insert its order,
-- one locking read per row (the attribution's also wrote a lock into the order's row,
-- just written by the same transaction). Both rows are written by the transaction
-- that has just read or written what they point to, and neither organizations nor
-- orders are ever deleted, so the checks only cost time: order sync spent a large
-- part of its database time in them.
ALTER TABLE customer_order DROP CONSTRAINT customer_order_organization_id_fkey;
ALTER TABLE attribution DROP CONSTRAINT attribution_order_id_fkey;
