/* scalr-sha256.c — SHA-256 over libcrypto's EVP interface (scalr-sha256.h). */
#include "config.h"

#include "scalr-sha256.h"

#include <openssl/evp.h>

struct _ScalrSha256 {
  EVP_MD_CTX *ctx;
};

ScalrSha256 *
scalr_sha256_new (void)
{
  ScalrSha256 *sum = g_new (ScalrSha256, 1);
  sum->ctx = EVP_MD_CTX_new ();
  if (sum->ctx == NULL || EVP_DigestInit_ex (sum->ctx, EVP_sha256 (), NULL) != 1)
    g_error ("libcrypto cannot start a SHA-256 digest");   /* out of memory or a broken install */
  return sum;
}

void
scalr_sha256_update (ScalrSha256 *sum, const void *data, gsize n)
{
  if (n > 0 && EVP_DigestUpdate (sum->ctx, data, n) != 1)
    g_error ("libcrypto's SHA-256 update failed");
}

char *
scalr_sha256_hex (ScalrSha256 *sum)
{
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_DigestFinal_ex (sum->ctx, md, &len) != 1)
    g_error ("libcrypto's SHA-256 digest failed");
  static const char hex[] = "0123456789abcdef";
  char *out = g_malloc (2 * len + 1);
  for (unsigned int i = 0; i < len; i++)
    {
      out[2 * i] = hex[md[i] >> 4];
      out[2 * i + 1] = hex[md[i] & 15];
    }
  out[2 * len] = '\0';
  return out;
}

void
scalr_sha256_free (ScalrSha256 *sum)
{
  if (sum == NULL)
    return;
  EVP_MD_CTX_free (sum->ctx);
  g_free (sum);
}
