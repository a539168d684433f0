/* scalr-registry.h — the one place that knows every component.
 *
 * Adding a generator or a downstream recommender is one new file (its class, with its
 * parameter table) plus one line in scalr-registry.c (and its meson line): the registry
 * registers the class with its layer's list (scalr_generator_register,
 * scalr_recommender_register) and assembles the configuration's parameter tables in order —
 * [dataset], [split], [generator] (common keys, then each generator's), [sampler],
 * [downstream] (common keys, then each model's), [eval] — filling the choice lists of
 * generator.model and downstream.models from the registered names. The config module
 * (core/base) therefore depends on no component. */
#pragma once

#include "scalr-generator.h"
#include "scalr-recommender.h"

G_BEGIN_DECLS

/* Registers the built-in components and the parameter tables. Idempotent and thread-safe;
 * every entry point (the CLI, the workbench, each test program) calls it before it makes
 * a config. */
void scalr_registry_init (void);

/* Adds a component after scalr_registry_init (a plug-in, a test's dummy) and rebuilds the
 * parameter tables so the config, `scalr config`, the store and the GUI forms see it. Call
 * at start-up, before other threads use configs. A name already registered is a programmer
 * error. */
void scalr_registry_add_generator   (const ScalrGeneratorClass *klass);
void scalr_registry_add_recommender (const ScalrRecommenderClass *klass);

G_END_DECLS
