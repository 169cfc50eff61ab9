-- The latest value of each metric of one device.
SELECT r.metric, r.ts_us, r.value
FROM readings AS r
JOIN (
    SELECT metric, MAX(ts_us) AS ts_us
    FROM readings
    WHERE device_id = :device_id
    GROUP BY metric
) AS latest ON latest.metric = r.metric AND latest.ts_us = r.ts_us
WHERE r.device_id = :device_id
ORDER BY r.metric
