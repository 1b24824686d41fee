-- 0022: the desk's page of orders comes from the index alone. A district's desk holds tens of
-- thousands of orders (74,000 of 小店区 at Taiyuan's scale); choosing the twenty due first read
-- each of them from the heap (~700 ms). With the due time, the creation time, the site and the id
-- in the index that chooses them, the page is an index-only scan and a top-N sort, and the heap is
-- read for the twenty rows of the page only. It replaces the 0003 index of the same keys.
CREATE INDEX orders_handling_page_idx ON orders (city_code, handling_org_id, state) INCLUDE (accept_due_at, created_at, org_id, id);
DROP INDEX orders_handling_idx;
