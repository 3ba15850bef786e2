package io.agentbus.gateway;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.vertx.core.Context;

/**
 * When a cluster member is lost, the tasks it owned move to a survivor within seconds: re-watch followed tasks a
 * few times shortly after, so their SSE streams continue from the new owner without waiting for the periodic
 * refresh.
 */
final class OwnerLossWatcher implements MembershipListener {

  private static final long[] REFRESH_AFTER_MS = {2_000, 5_000, 10_000};

  private final Context context;
  private final EventStreams streams;

  OwnerLossWatcher(Context context, EventStreams streams) {
    this.context = context;
    this.streams = streams;
  }

  @Override
  public void memberAdded(MembershipEvent event) {
    // nothing moves when a member joins
  }

  @Override
  public void memberRemoved(MembershipEvent event) {
    context.runOnContext(v -> {
      for (long delay : REFRESH_AFTER_MS) {
        context.owner().setTimer(delay, t -> streams.refreshAll());
      }
    });
  }
}
