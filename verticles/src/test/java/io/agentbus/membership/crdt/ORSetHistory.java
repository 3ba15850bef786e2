package io.agentbus.membership.crdt;

import java.util.List;

/**
 * Plays generated steps on OR-Set replicas over five elements: adds, removes, full-state syncs, delta deliveries and
 * removals of other replicas.
 */
final class ORSetHistory {

  final Replicas<ORSet<String>> replicas;

  private ORSetHistory(int replicaCount) {
    replicas = new Replicas<>(replicaCount, ORSet.empty());
  }

  static ORSetHistory play(int replicaCount, List<Step> steps) {
    ORSetHistory history = new ORSetHistory(replicaCount);
    steps.forEach(history::play);
    return history;
  }

  static String element(int choice) {
    return "agent-" + choice % 5;
  }

  private void play(Step step) {
    int replica = step.replica() % replicas.count();
    int other = step.other() % replicas.count();
    ORSet<String> state = replicas.state(replica);
    switch (step.kind()) {
      case 0, 1, 2, 9 -> {
        if (!state.isRetired(replicas.id(replica))) {
          replicas.apply(replica, state.add(replicas.id(replica), element(step.value())));
        }
      }
      case 3, 4 -> replicas.apply(replica, state.remove(element(step.value())));
      case 5, 6 -> replicas.sync(other, replica);
      case 7 -> replicas.deliverDelta(step.other(), replica);
      default -> {
        if (other != replica) {
          replicas.apply(replica, state.removeReplica(replicas.id(other)));
        }
      }
    }
  }
}
