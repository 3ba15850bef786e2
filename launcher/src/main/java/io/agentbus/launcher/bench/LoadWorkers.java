package io.agentbus.launcher.bench;

import io.vertx.core.Deployable;

/** Makes the verticles that send a load run's requests: one per client event loop, keeping {@code slots} in flight. */
@FunctionalInterface
interface LoadWorkers {

  Deployable create(Tally tally, int slots);
}
