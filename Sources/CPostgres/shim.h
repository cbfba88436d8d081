// libpq, PostgreSQL's C client (Debian's libpq-dev; pkg-config gives -I/usr/include/postgresql).
#include <libpq-fe.h>
