-- min/avg/max per metric and time bucket. Portable (PostgreSQL and SQLite): timestamps are epoch
-- microseconds, so a bucket is an integer division; GROUP BY positions avoid repeating params.
SELECT metric,
       (ts_us / :bucket_us) * :bucket_us AS bucket_us,
       MIN(value) AS min_value,
       AVG(value) AS avg_value,
       MAX(value) AS max_value,
       COUNT(*) AS samples
FROM readings
WHERE device_id = :device_id
  AND ts_us >= :from_us
  AND ts_us < :to_us
  AND (CAST(:metric AS VARCHAR(100)) IS NULL OR metric = CAST(:metric AS VARCHAR(100)))
GROUP BY 1, 2
ORDER BY 2, 1
LIMIT :limit
