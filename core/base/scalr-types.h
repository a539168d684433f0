/* scalr-types.h — forward declarations of the core types.
 *
 * Part of libscalr (GTK-free). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _ScalrReader        ScalrReader;
typedef struct _ScalrIdMap         ScalrIdMap;
typedef struct _ScalrDataset       ScalrDataset;
typedef struct _ScalrCsr           ScalrCsr;
typedef struct _ScalrDomainRule    ScalrDomainRule;
typedef struct _ScalrDomains       ScalrDomains;
typedef struct _ScalrDatasetStats  ScalrDatasetStats;
typedef struct _ScalrStore         ScalrStore;
typedef struct _ScalrProgress      ScalrProgress;
typedef struct _ScalrEvalResult    ScalrEvalResult;   /* scalr-eval.h */

/* Dense ids: users, items and domains are numbered 0..n-1 in order of first appearance. */
typedef guint32 ScalrId;

G_END_DECLS
