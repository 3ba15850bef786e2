package io.agentbus.gateway.limits;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.map.IMap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Per-tenant request rate limit across the whole cluster: a one-second fixed window per tenant, counted in a
 * Hazelcast map by an entry processor on the key's owner. Each gateway instance takes a small share of the window's
 * budget at a time (a tenth of the limit, at least one) and spends it locally, so most requests need no network
 * round trip; a share is only taken from what is left, so a connected cluster never admits more than the limit in
 * a window. Confined to one event loop (one instance per gateway verticle instance).
 */
public final class TenantRateLimiter {

  static final String MAP = "agentbus.tenant-rate";
  private static final long WINDOW_TTL_SECONDS = 10;

  private final IMap<String, Long> windows;
  private final Context context;
  private final int perSecond;
  private final int share;
  private final Map<String, Budget> budgets = new HashMap<>();

  /** What is left of a tenant's share for one window on this instance. */
  private static final class Budget {
    long second;
    long left;
    boolean exhausted;
  }

  /** {@code perSecond} 0 or less: no limit. */
  public TenantRateLimiter(HazelcastInstance hazelcast, Context context, int perSecond) {
    this.windows = hazelcast.getMap(MAP);
    this.context = context;
    this.perSecond = perSecond;
    this.share = Math.max(1, perSecond / 10);
  }

  /** Succeeds with 0 when the request may go on, else with the milliseconds until the tenant may retry. */
  public Future<Long> acquire(String tenant) {
    if (perSecond <= 0) {
      return Future.succeededFuture(0L);
    }
    long now = System.currentTimeMillis();
    long second = now / 1000;
    long retryAfterMs = 1000 - now % 1000;
    Budget b = budgets.computeIfAbsent(tenant, t -> new Budget());
    if (b.second != second) {
      b.second = second;
      b.left = 0;
      b.exhausted = false;
    }
    if (b.left > 0) {
      b.left--;
      return Future.succeededFuture(0L);
    }
    if (b.exhausted) {
      return Future.succeededFuture(retryAfterMs);
    }
    return Future.fromCompletionStage(windows.submitToKey(tenant + "@" + second, new Take(share, perSecond)), context)
        .map(granted -> {
          if (b.second != second) {
            return granted > 0 ? 0L : retryAfterMs;
          }
          if (granted <= 0) {
            b.exhausted = true;
            return retryAfterMs;
          }
          b.left += granted - 1;
          return 0L;
        });
  }

  /** Takes up to {@code share} of what is left of the window's {@code limit}; answers how many it took. */
  static final class Take implements EntryProcessor<String, Long, Long> {
    private static final long serialVersionUID = 1L;
    private final long share;
    private final long limit;

    Take(long share, long limit) {
      this.share = share;
      this.limit = limit;
    }

    @Override
    public Long process(Map.Entry<String, Long> entry) {
      long used = entry.getValue() == null ? 0 : entry.getValue();
      long granted = Math.max(0, Math.min(share, limit - used));
      if (granted > 0 || entry.getValue() == null) {
        ((ExtendedMapEntry<String, Long>) entry).setValue(used + granted, WINDOW_TTL_SECONDS, TimeUnit.SECONDS);
      }
      return granted;
    }
  }
}
