/* scalr-domains.h — the two domains of an experiment: rules, per-domain CSR matrices.
 *
 * A rule selects events of a dataset:
 *   all                          every event
 *   domain:Books                 events whose domain label is Books ('|' for "or": domain:Books|Music)
 *   category:Comedy,!Drama       events on items with category Comedy and not Drama;
 *                                ',' is "and", '|' is "or", '!' negates: category:Action|Adventure,!Drama
 * Source and target must not share an event (that would leak target events into the
 * source); an implicit threshold drops events rated below it, and k-core filtering
 * keeps, within each domain, users and items with at least k events. */
#pragma once

#include "scalr-types.h"
#include "scalr-config.h"
#include "scalr-csr.h"

G_BEGIN_DECLS

#define SCALR_DOMAIN_ERROR (scalr_domain_error_quark ())
GQuark scalr_domain_error_quark (void);

typedef enum {
  SCALR_DOMAIN_ERROR_PARSE,             /* a rule that does not parse */
  SCALR_DOMAIN_ERROR_UNKNOWN_CATEGORY,  /* a category no item has */
  SCALR_DOMAIN_ERROR_UNKNOWN_DOMAIN,    /* a domain label no event has */
  SCALR_DOMAIN_ERROR_NO_METADATA,       /* a category rule on a dataset without an items file */
  SCALR_DOMAIN_ERROR_EMPTY,             /* a rule that selects no events */
  SCALR_DOMAIN_ERROR_OVERLAP,           /* an event selected by both rules */
  SCALR_DOMAIN_ERROR_NO_OVERLAP_USERS,  /* no user has events in both domains */
  SCALR_DOMAIN_ERROR_FILTERED_EMPTY,    /* the threshold or k-core filter removes a domain or every overlap user */
} ScalrDomainError;

/* [dataset]: which stored dataset and which two domains (name, source, target,
 * implicit_threshold, kcore). */
extern const ScalrParam scalr_dataset_params[];

/* On error returns NULL and sets @error naming the rule and the offending part. */
ScalrDomainRule *scalr_domain_rule_parse     (const char *text, GError **error) G_GNUC_WARN_UNUSED_RESULT;
void             scalr_domain_rule_free      (ScalrDomainRule *rule);
/* The rule in canonical form (borrowed). */
const char      *scalr_domain_rule_to_string (const ScalrDomainRule *rule);

typedef struct {
  ScalrCsr *matrix;      /* n_users × n_items (domain-local item ids); values are ratings */
  double   *timestamps;  /* nnz, parallel to matrix->indices */
  ScalrId  *items;       /* n_items: local item → dataset item id */
  guint     n_items;
  char     *rule;        /* canonical rule text */
} ScalrDomain;

typedef struct {
  double threshold;      /* NAN: keep every event; else keep rating >= (float) threshold (ratings are floats) */
  guint  kcore;          /* 0 or 1: off */
} ScalrDomainsOptions;

#define SCALR_DOMAINS_OPTIONS_INIT { NAN, 0 }

/* Selects the two domains (a new reference; the domains hold one on @dataset). Domains are
 * reference-counted and immutable, so splits and threads may share them. On error returns
 * NULL and sets @error. */
ScalrDomains     *scalr_domains_new        (ScalrDataset              *dataset,
                                            const char                *source_rule,
                                            const char                *target_rule,
                                            const ScalrDomainsOptions *options,
                                            GError                   **error) G_GNUC_WARN_UNUSED_RESULT;
ScalrDomains     *scalr_domains_ref        (ScalrDomains *domains);
void              scalr_domains_unref      (ScalrDomains *domains);
ScalrDataset     *scalr_domains_get_dataset (ScalrDomains *domains);   /* borrowed */
const ScalrDomain *scalr_domains_get_source (ScalrDomains *domains);
const ScalrDomain *scalr_domains_get_target (ScalrDomains *domains);
guint             scalr_domains_get_n_users (ScalrDomains *domains);
/* Users with at least one event in both domains. */
guint             scalr_domains_get_n_overlap (ScalrDomains *domains);
/* Events dropped by the threshold and the k-core filter. */
guint64           scalr_domains_get_n_filtered (ScalrDomains *domains);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScalrDomainRule, scalr_domain_rule_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScalrDomains, scalr_domains_unref)

G_END_DECLS
