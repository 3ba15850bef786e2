package io.agentbus.membership.crdt;

import java.util.List;

/**
 * Plays generated steps on G-Counter replicas: increments, full-state syncs, delta deliveries and prunes of other
 * replicas, counting the true total of accepted increments and noticing if any replica's value ever drops.
 */
final class GCounterHistory {

  final Replicas<GCounter> replicas;
  long trueTotal;
  boolean valueEverDropped;

  private GCounterHistory(int replicaCount) {
    replicas = new Replicas<>(replicaCount, GCounter.empty());
  }

  static GCounterHistory play(int replicaCount, List<Step> steps) {
    GCounterHistory history = new GCounterHistory(replicaCount);
    steps.forEach(history::play);
    return history;
  }

  private void play(Step step) {
    int replica = step.replica() % replicas.count();
    int other = step.other() % replicas.count();
    long before = replicas.state(replica).value();
    switch (step.kind()) {
      case 0, 1, 2, 3 -> increment(replica, step.value());
      case 4, 5 -> replicas.sync(other, replica);
      case 6, 7 -> replicas.deliverDelta(step.other(), replica);
      case 8 -> {
        if (other != replica) {
          replicas.apply(replica, replicas.state(replica).prune(replicas.id(other)));
        }
      }
      default -> increment(replica, 1);
    }
    valueEverDropped |= replicas.state(replica).value() < before;
  }

  private void increment(int replica, long n) {
    GCounter state = replicas.state(replica);
    if (!state.isRetired(replicas.id(replica))) {
      replicas.apply(replica, state.increment(replicas.id(replica), n));
      trueTotal += n;
    }
  }
}
