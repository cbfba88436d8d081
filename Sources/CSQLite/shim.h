#include <sqlite3.h>

// SQLITE_TRANSIENT is a cast macro Swift cannot import: it tells SQLite to copy
// bound text/blob values before the bind call returns.
static inline sqlite3_destructor_type tuan_sqlite_transient(void) { return SQLITE_TRANSIENT; }
