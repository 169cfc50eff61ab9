-- Gauges whose name starts with the given prefix, in id order.
SELECT id, name
FROM chassis_test_gauge
WHERE name LIKE :prefix || '%'
ORDER BY id
