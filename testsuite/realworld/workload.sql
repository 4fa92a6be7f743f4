-- A deterministic SQL workload for the real-world suite (the sqlite3 shell): recursive
-- CTEs, indexes, joins, window functions, floating-point aggregates and text functions.
.mode list
.headers off
CREATE TABLE t(id INTEGER PRIMARY KEY, grp INTEGER, x REAL, name TEXT);
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 200000)
INSERT INTO t SELECT i, (i * 7919) % 97, (i % 1000) / 7.0 + i * 1e-6, printf('n%08x', (i * 2654435761) % 4294967296) FROM c;
CREATE INDEX t_grp ON t(grp, x);
CREATE TABLE g(grp INTEGER PRIMARY KEY, label TEXT);
WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < 96)
INSERT INTO g SELECT i, 'group-' || i FROM c;
SELECT count(*), sum(x), avg(x), min(name), max(name) FROM t;
SELECT g.label, count(*), round(sum(t.x), 6), round(avg(t.x), 9) FROM t JOIN g USING (grp)
  GROUP BY g.grp ORDER BY sum(t.x) DESC LIMIT 10;
SELECT grp, id, x, rank() OVER (PARTITION BY grp ORDER BY x DESC, id) AS r FROM t
  WHERE grp < 3 ORDER BY grp, r LIMIT 15;
SELECT substr(name, 2, 3) AS p, count(*) FROM t GROUP BY p ORDER BY count(*) DESC, p LIMIT 8;
UPDATE t SET x = x * 1.5 WHERE grp % 3 = 0;
DELETE FROM t WHERE id % 11 = 0;
SELECT count(*), round(sum(x), 4), total(x * x) FROM t;
SELECT printf('%.17g %.6e %Lf', sum(x) / 3, avg(x), max(x)) FROM t;
SELECT CAST('1.0e+100' AS REAL), CAST('123456789012345678901234567890' AS REAL), 1e308 * 10, -0.0, 0.1 + 0.2;
WITH RECURSIVE fib(n, a, b) AS (SELECT 1, 0, 1 UNION ALL SELECT n + 1, b, a + b FROM fib WHERE n < 90)
SELECT n, a FROM fib WHERE n % 15 = 0;
SELECT group_concat(id, ',') FROM (SELECT id FROM t WHERE grp = 42 ORDER BY x DESC, id LIMIT 20);
CREATE TABLE s AS SELECT grp, json_group_array(id) AS ids FROM (SELECT grp, id FROM t WHERE id < 2000 ORDER BY id) GROUP BY grp;
SELECT grp, json_array_length(ids), json_extract(ids, '$[0]') FROM s ORDER BY grp LIMIT 5;
PRAGMA integrity_check;
