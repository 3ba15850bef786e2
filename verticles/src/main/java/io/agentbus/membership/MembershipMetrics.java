package io.agentbus.membership;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * Meters of the membership replicator: {@code agentbus_membership_deltas_total{outcome=sent|received|dropped|
 * rejected}}, {@code agentbus_membership_delta_bytes_total{direction}}, {@code
 * agentbus_membership_anti_entropy_rounds_total{outcome}}, {@code agentbus_membership_healed_agents_total}, {@code
 * agentbus_membership_sync_seconds{kind=start-up|anti-entropy}}, {@code agentbus_membership_agents{status}} and
 * {@code agentbus_membership_replicas{state}}.
 */
final class MembershipMetrics {

  private final Counter deltasSent;
  private final Counter deltasReceived;
  private final Counter deltasDropped;
  private final Counter messagesRejected;
  private final Counter bytesSent;
  private final Counter bytesReceived;
  private final Counter rounds;
  private final Counter roundsFailed;
  private final Counter healed;
  private final Timer startUpSync;
  private final Timer roundTrip;
  private volatile long lastFullSyncMs = -1;

  MembershipMetrics(MeterRegistry registry, MembershipCore core) {
    deltasSent = deltas(registry, "sent", "Delta messages published");
    deltasReceived = deltas(registry, "received", "Delta messages received from other nodes");
    deltasDropped = deltas(registry, "dropped", "Delta messages not published (membership.drop-outgoing-deltas)");
    messagesRejected = deltas(registry, "rejected", "Membership messages refused as malformed");
    bytesSent = bytes(registry, "sent");
    bytesReceived = bytes(registry, "received");
    rounds = rounds(registry, "ok");
    roundsFailed = rounds(registry, "failed");
    healed = Counter.builder("agentbus.membership.healed.agents")
        .description("Agents whose state changed through anti-entropy or state transfer").register(registry);
    startUpSync = sync(registry, "start-up", "Start-up state transfer, from asking a peer until all of it arrived");
    roundTrip = sync(registry, "anti-entropy", "Anti-entropy exchange, from the hashes to the peer's answer");
    Gauge.builder("agentbus.membership.agents", core, c -> c.view().size() - c.view().suspectCount())
        .description("Agents in this node's view").tag("status", "alive").register(registry);
    Gauge.builder("agentbus.membership.agents", core, c -> c.view().suspectCount())
        .description("Agents in this node's view").tag("status", "suspect").register(registry);
    Gauge.builder("agentbus.membership.replicas", core, c -> c.state().knownReplicas().size()
            - c.state().retiredReplicas().size())
        .description("Replica ids in the state").tag("state", "live").register(registry);
    Gauge.builder("agentbus.membership.replicas", core, c -> c.state().retiredReplicas().size())
        .description("Replica ids in the state").tag("state", "retired").register(registry);
  }

  private static Counter deltas(MeterRegistry registry, String outcome, String description) {
    return Counter.builder("agentbus.membership.deltas").tag("outcome", outcome).description(description)
        .register(registry);
  }

  private static Counter bytes(MeterRegistry registry, String direction) {
    return Counter.builder("agentbus.membership.delta.bytes").tag("direction", direction)
        .description("Bytes of membership delta messages").baseUnit("bytes").register(registry);
  }

  private static Counter rounds(MeterRegistry registry, String outcome) {
    return Counter.builder("agentbus.membership.anti.entropy.rounds").tag("outcome", outcome)
        .description("Anti-entropy rounds this node started").register(registry);
  }

  private static Timer sync(MeterRegistry registry, String kind, String description) {
    return Timer.builder("agentbus.membership.sync").tag("kind", kind).description(description).register(registry);
  }

  void deltaSent(int bytes) {
    deltasSent.increment();
    bytesSent.increment(bytes);
  }

  void deltaReceived(int bytes) {
    deltasReceived.increment();
    bytesReceived.increment(bytes);
  }

  void deltaDropped() {
    deltasDropped.increment();
  }

  void rejected() {
    messagesRejected.increment();
  }

  void round(boolean ok, long nanos) {
    (ok ? rounds : roundsFailed).increment();
    if (ok) {
      roundTrip.record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  void healed(int agents) {
    healed.increment(agents);
  }

  void startUpSync(long nanos) {
    startUpSync.record(nanos, TimeUnit.NANOSECONDS);
    lastFullSyncMs = TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  long deltasSent() {
    return (long) deltasSent.count();
  }

  long deltasReceived() {
    return (long) deltasReceived.count();
  }

  long deltasDropped() {
    return (long) deltasDropped.count();
  }

  long bytesSent() {
    return (long) bytesSent.count();
  }

  long bytesReceived() {
    return (long) bytesReceived.count();
  }

  long rounds() {
    return (long) rounds.count();
  }

  long healed() {
    return (long) healed.count();
  }

  long lastFullSyncMs() {
    return lastFullSyncMs;
  }
}
