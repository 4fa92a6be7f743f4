#include <stdio.h>
#include "sqlite3.h"
static int row(void *u, int n, char **v, char **c) { (void)u; for (int i = 0; i < n; i++) printf("%s=%s ", c[i], v[i] ? v[i] : "NULL"); printf("\n"); return 0; }
int main(void) {
  sqlite3 *db; char *err = 0;
  if (sqlite3_open(":memory:", &db)) return 1;
  const char *sql = "create table t(a integer, b text, c real);"
    "with recursive n(i) as (select 1 union all select i+1 from n where i<1000) insert into t select i, 'row'||i, i*1.5 from n;"
    "select count(*), sum(a), printf('%.3f', avg(c)), max(b) from t;"
    "select a, b, c from t where a % 250 = 0 order by a desc;";
  if (sqlite3_exec(db, sql, row, 0, &err) != SQLITE_OK) { printf("error: %s\n", err); return 1; }
  sqlite3_close(db); return 0;
}
