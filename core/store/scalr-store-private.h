/* scalr-store-private.h — helpers shared by the store's files. */
#pragma once

#include <sqlite3.h>

#include "scalr-store.h"

G_BEGIN_DECLS

sqlite3  *_scalr_store_get_db (ScalrStore *store);
/* Sets @error from the connection's last error, prefixed with the store path and @what. */
void      _scalr_store_set_error (ScalrStore *store, int rc, const char *what, GError **error);
sqlite3_stmt *_scalr_store_prepare (ScalrStore *store, const char *sql, GError **error);
gboolean  _scalr_store_exec (ScalrStore *store, const char *sql, GError **error);
gboolean  _scalr_store_begin (ScalrStore *store, GError **error);
gboolean  _scalr_store_commit (ScalrStore *store, GError **error);
void      _scalr_store_rollback (ScalrStore *store);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

G_END_DECLS
