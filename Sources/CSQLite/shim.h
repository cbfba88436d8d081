#include <sqlite3.h>

// SQLITE_TRANSIENT is a cast macro Swift cannot import: it tells SQLite to copy
// bound text/blob values before the bind call returns.
static inline sqlite3_destructor_type tuan_sqlite_transient(void) { return SQLITE_TRANSIENT; }

// sqlite3_config is variadic, which Swift cannot call. Memory statistics take a global mutex
// around every allocation SQLite makes; we never read them, so they are switched off. Only
// effective before SQLite initialises, hence called before the first connection opens.
static inline int tuan_sqlite_disable_memory_statistics(void) { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }
