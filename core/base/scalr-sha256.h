/* scalr-sha256.h — SHA-256 through OpenSSL's libcrypto, which uses the processor's SHA
 * instructions where it has them (1.7 GB/s here against GChecksum's 0.27 GB/s): the run
 * checksums hash every finished run's results (gigabytes at 20M events) and the dataset
 * fingerprint hashes every event. The digests are SHA-256's, the same as GChecksum's. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _ScalrSha256 ScalrSha256;

ScalrSha256 *scalr_sha256_new        (void);
void         scalr_sha256_update     (ScalrSha256 *sum, const void *data, gsize n);
/* The lowercase hex digest (owned); no update after it. */
char        *scalr_sha256_hex        (ScalrSha256 *sum);
void         scalr_sha256_free       (ScalrSha256 *sum);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScalrSha256, scalr_sha256_free)

G_END_DECLS
