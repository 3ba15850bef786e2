package io.agentbus.membership;

import io.agentbus.api.Addresses;
import io.agentbus.api.AgentDescriptor;
import io.agentbus.api.AgentStatus;
import io.agentbus.api.AgentViewChange;
import io.agentbus.api.Json;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Bench hooks, served only with {@code membership.bench-hooks=true}, for {@code agentbus bench membership}: register
 * and remove synthetic agents (ids {@code <prefix>-<n>}, type {@code bench}, leases that never lapse) and report when
 * this node first saw each of them and how many of a prefix it sees. Times are wall-clock microseconds since the
 * epoch, comparable between processes on one machine. JSON bodies on
 * {@code agentbus.membership.node.<id>.bench.{register,deregister,times,count,summary}}.
 */
final class BenchHooks {

  static final String PREFIX = "bench.";
  private static final int BATCH = 1000;

  private final Vertx vertx;
  private final MembershipCore core;
  private final Consumer<MembershipCore.Outcome> apply;
  private final Supplier<JsonObject> summary;
  private final Map<String, Long> registeredAt = new HashMap<>();
  private final Map<String, Long> seenAt = new HashMap<>();
  private final Map<String, Integer> countByPrefix = new HashMap<>();
  private final Map<String, Long> lastRemovalByPrefix = new HashMap<>();

  BenchHooks(Vertx vertx, MembershipCore core, Consumer<MembershipCore.Outcome> apply, Supplier<JsonObject> summary) {
    this.vertx = vertx;
    this.core = core;
    this.apply = apply;
    this.summary = summary;
  }

  List<MessageConsumer<?>> listen(EventBus bus) {
    String node = core.nodeId();
    return List.of(
        bus.<AgentViewChange>localConsumer(Addresses.MEMBERSHIP_VIEW, msg -> observe(msg.body())),
        bus.<JsonObject>consumer(Addresses.membershipOn(node, PREFIX + "register"), this::register),
        bus.<JsonObject>consumer(Addresses.membershipOn(node, PREFIX + "deregister"), this::deregister),
        bus.<JsonObject>consumer(Addresses.membershipOn(node, PREFIX + "times"), this::times),
        bus.<JsonObject>consumer(Addresses.membershipOn(node, PREFIX + "count"), this::count),
        bus.<JsonObject>consumer(Addresses.membershipOn(node, PREFIX + "summary"), msg -> msg.reply(summary.get())));
  }

  static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
  }

  private void observe(AgentViewChange change) {
    long now = nowMicros();
    for (AgentStatus s : change.upserts()) {
      String id = s.agent().id();
      if (s.agent().types().contains("bench") && seenAt.putIfAbsent(id, now) == null) {
        countByPrefix.merge(prefixOf(id), 1, Integer::sum);
      }
    }
    for (String id : change.removedAgentIds()) {
      if (seenAt.remove(id) != null) {
        countByPrefix.merge(prefixOf(id), -1, Integer::sum);
        lastRemovalByPrefix.put(prefixOf(id), now);
      }
    }
  }

  private static String prefixOf(String id) {
    int dash = id.lastIndexOf('-');
    return dash < 0 ? id : id.substring(0, dash);
  }

  /** {prefix, count, interval_ms}: registers count agents, one every interval_ms, or in batches when 0. */
  private void register(Message<JsonObject> msg) {
    String prefix = msg.body().getString("prefix", "bench");
    int count = msg.body().getInteger("count", 1);
    long interval = msg.body().getLong("interval_ms", 0L);
    msg.reply(new JsonObject().put("scheduled", count));
    if (interval > 0) {
      int[] next = {0};
      vertx.setPeriodic(interval, timer -> {
        registerRange(prefix, next[0], next[0] + 1);
        if (++next[0] >= count) {
          vertx.cancelTimer(timer);
        }
      });
    } else {
      registerBatches(prefix, 0, count);
    }
  }

  private void registerBatches(String prefix, int from, int to) {
    int end = Math.min(to, from + BATCH);
    registerRange(prefix, from, end);
    if (end < to) {
      vertx.runOnContext(v -> registerBatches(prefix, end, to));
    }
  }

  private void registerRange(String prefix, int from, int to) {
    List<AgentDescriptor> agents = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      agents.add(new AgentDescriptor(prefix + "-" + i, Set.of("bench"), 1, Map.of(), core.nodeId(), null));
    }
    long now = nowMicros();
    agents.forEach(a -> registeredAt.put(a.id(), now));
    apply.accept(core.registerAll(agents, System.nanoTime(), true));
  }

  /** {prefix}: removes this node's agents of the prefix. */
  private void deregister(Message<JsonObject> msg) {
    String prefix = msg.body().getString("prefix", "bench") + "-";
    List<String> ids = core.homeAgents().stream().filter(id -> id.startsWith(prefix)).toList();
    apply.accept(core.deregisterAll(ids));
    ids.forEach(registeredAt::remove);
    msg.reply(new JsonObject().put("removed", ids.size()));
  }

  /** {prefix}: {registered: {id: us}, seen: {id: us}} of the prefix's agents this node registered or saw. */
  private void times(Message<JsonObject> msg) {
    String prefix = msg.body().getString("prefix", "bench") + "-";
    JsonObject registered = new JsonObject();
    JsonObject seen = new JsonObject();
    registeredAt.forEach((id, t) -> {
      if (id.startsWith(prefix)) {
        registered.put(id, t);
      }
    });
    seenAt.forEach((id, t) -> {
      if (id.startsWith(prefix)) {
        seen.put(id, t);
      }
    });
    msg.reply(new JsonObject().put("registered", registered).put("seen", seen));
  }

  /** {prefix}: {count, last_removal_us} for the prefix's agents in this node's view. */
  private void count(Message<JsonObject> msg) {
    String prefix = msg.body().getString("prefix", "bench");
    msg.reply(new JsonObject().put("count", countByPrefix.getOrDefault(prefix, 0))
        .put("last_removal_us", lastRemovalByPrefix.getOrDefault(prefix, 0L)));
  }

  static JsonObject toJson(Object record) {
    return new JsonObject(Json.toString(record));
  }
}
