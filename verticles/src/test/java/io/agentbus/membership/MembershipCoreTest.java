package io.agentbus.membership;

import static io.agentbus.membership.CoreFixture.agent;
import static io.agentbus.membership.CoreFixture.antiEntropy;
import static io.agentbus.membership.CoreFixture.deliver;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentbus.api.AgentDescriptor;
import io.agentbus.api.AgentLoad;
import io.agentbus.api.AgentStatus;
import io.agentbus.api.AgentViewChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MembershipCoreTest {

  private static final long MS = 1_000_000;
  private final CoreFixture cluster = new CoreFixture();
  private final MembershipCore a = cluster.core("a");
  private final MembershipCore b = cluster.core("b");
  private final MembershipCore c = cluster.core("c");

  /** Registers agent x (type echo) at home on a and delivers the delta to {@code others}. */
  private void registerXOnA(MembershipCore... others) {
    deliver(a.register(agent("x", "echo"), 0), others);
  }

  @Test
  @DisplayName("a registration is published at once and shows the node as the agent's home")
  void registrationIsPublishedAtOnce() {
    MembershipCore.Outcome outcome = a.register(agent("x", "echo"), 0);

    assertThat(outcome.viewChange().upserts()).extracting(s -> s.agent().id()).containsExactly("x");
    assertThat(outcome.viewChange().upserts().get(0).agent().nodeId()).isEqualTo("a");
    assertThat(outcome.viewChange().upserts().get(0).agent().inbox()).isEqualTo("agentbus.agent.x.inbox");
    assertThat(outcome.deltas()).hasSize(1);
  }

  @Test
  @DisplayName("re-registering an id with a new descriptor replaces the old one everywhere")
  void reRegistrationReplaces() {
    registerXOnA(b);
    cluster.wallClock.addAndGet(1);

    MembershipCore.Outcome again = a.register(agent("x", "planner"), 0);
    MembershipCore.Outcome atB = deliver(again, b).get(0);

    assertThat(atB.viewChange().upserts()).singleElement()
        .satisfies(s -> assertThat(s.agent().types()).containsExactly("planner"));
    assertThat(b.state().entriesOf("x")).hasSize(1);
    assertThat(b.list().agents()).hasSize(1);
    assertThat(b.state().stateHash()).isEqualTo(a.state().stateHash());
  }

  @Test
  @DisplayName("an agent without heartbeats turns suspect, comes back with one, and is removed after its time to live")
  void leaseLifecycle() {
    registerXOnA(b);

    assertThat(a.expireLeases(CoreFixture.SUSPECT_MS * MS - 1).deltas()).isEmpty();
    MembershipCore.Outcome suspect = a.expireLeases(CoreFixture.SUSPECT_MS * MS);
    assertThat(suspect.viewChange().upserts()).singleElement().satisfies(s -> assertThat(s.suspect()).isTrue());
    deliver(suspect, b);
    assertThat(b.status("x").suspect()).as("suspect is replicated").isTrue();

    MembershipCore.Outcome revived = a.heartbeat("x", 4000 * MS);
    assertThat(revived.viewChange().upserts()).singleElement().satisfies(s -> assertThat(s.suspect()).isFalse());
    deliver(revived, b);
    assertThat(b.status("x").suspect()).isFalse();

    MembershipCore.Outcome expired = a.expireLeases((4000 + CoreFixture.TTL_MS) * MS);
    assertThat(expired.viewChange().removedAgentIds()).containsExactly("x");
    deliver(expired, b);
    assertThat(b.list().agents()).isEmpty();
    assertThat(a.heartbeat("x", 0)).as("a lapsed agent must register again").isNull();
  }

  @Test
  @DisplayName("deregistration removes the agent at once, on every node")
  void deregistration() {
    registerXOnA(b);

    MembershipCore.Outcome gone = a.deregister("x");
    assertThat(gone.viewChange().removedAgentIds()).containsExactly("x");
    assertThat(deliver(gone, b).get(0).viewChange().removedAgentIds()).containsExactly("x");
  }

  @Test
  @DisplayName("load counts under each node's replica; in-flight-elsewhere sums only the other, live replicas")
  void loadAndInFlightElsewhere() {
    registerXOnA(b, c);

    deliver(a.load(new AgentLoad(Map.of("x", 5L), Map.of("x", 2L))), b, c);
    deliver(b.load(new AgentLoad(Map.of("x", 4L), Map.of())), a, c);

    assertThat(a.status("x")).satisfies(s -> {
      assertThat(s.dispatched()).isEqualTo(9);
      assertThat(s.completed()).isEqualTo(2);
      assertThat(s.inFlight()).isEqualTo(7);
      assertThat(s.inFlightElsewhere()).as("b's 4").isEqualTo(4);
    });
    assertThat(b.status("x").inFlightElsewhere()).as("a's 5 - 2").isEqualTo(3);
    assertThat(c.status("x").inFlightElsewhere()).as("both").isEqualTo(7);

    c.retire(List.of(b.replica()));
    assertThat(c.status("x").inFlightElsewhere()).as("a retired replica has nothing in flight").isEqualTo(3);
    assertThat(c.status("x").dispatched()).as("its counts still happened").isEqualTo(9);
  }

  @Test
  @DisplayName("completions ahead of their dispatches (a lost delta) never make in-flight-elsewhere negative")
  void inFlightElsewhereNeverNegative() {
    registerXOnA(b);
    a.load(new AgentLoad(Map.of("x", 3L), Map.of()));
    deliver(a.load(new AgentLoad(Map.of(), Map.of("x", 3L))), b);

    assertThat(b.status("x").inFlightElsewhere()).isZero();
  }

  @Test
  @DisplayName("load changes are coalesced and carry only the agents whose counts changed")
  void loadChangesAreCoalesced() {
    List<AgentDescriptor> many = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      many.add(agent("agent-" + i, "echo"));
    }
    a.registerAll(many, 0, false);
    a.flushLoad();

    MembershipCore.Outcome load = a.load(new AgentLoad(Map.of("agent-7", 1L, "agent-9", 2L), Map.of()));
    assertThat(load.viewChange().isEmpty()).as("load alone is not published at once").isTrue();
    AgentViewChange flushed = a.flushLoad();
    assertThat(flushed.upserts()).extracting(s -> s.agent().id()).containsExactlyInAnyOrder("agent-7", "agent-9");
    assertThat(a.flushLoad().isEmpty()).isTrue();

    MembershipCore.Outcome one = a.register(agent("agent-1000", "echo"), 0);
    assertThat(one.viewChange().upserts()).extracting(s -> s.agent().id()).containsExactly("agent-1000");
    assertThat(one.viewChange().full()).isFalse();
  }

  @Test
  @DisplayName("concurrent registrations of one id converge to the newer one; the other home gives its entry up")
  void concurrentRegistrationsConverge() {
    MembershipCore.Outcome atA = a.register(agent("x", "echo"), 0);
    cluster.wallClock.addAndGet(5);
    MembershipCore.Outcome atB = b.register(agent("x", "planner"), 0);

    MembershipCore.Outcome aSeesB = deliver(atB, a).get(0);
    deliver(atA, b);

    assertThat(a.status("x").agent().nodeId()).isEqualTo("b");
    assertThat(b.status("x").agent().nodeId()).isEqualTo("b");
    assertThat(a.holdsLease("x")).as("a gives the agent up").isFalse();
    assertThat(aSeesB.deltas()).as("a removes its own entry").isNotEmpty();
    deliver(aSeesB, b);
    assertThat(a.state().entriesOf("x")).hasSize(1);
    assertThat(b.state().entriesOf("x")).hasSize(1);
    assertThat(a.state().stateHash()).isEqualTo(b.state().stateHash());
  }

  @Test
  @DisplayName("a retired replica's agents disappear and a late delta of it changes nothing")
  void retirement() {
    deliver(b.register(agent("y", "echo"), 0), a);
    MembershipCore.Outcome late = b.register(agent("z", "echo"), 0);

    MembershipCore.Outcome retired = a.retire(List.of(b.replica()));
    assertThat(retired.viewChange().removedAgentIds()).containsExactly("y");
    assertThat(deliver(late, a).get(0).viewChange().isEmpty()).isTrue();
    assertThat(a.list().agents()).isEmpty();
    assertThat(a.retire(List.of(b.replica())).agentsChanged()).as("idempotent").isZero();
  }

  @Test
  @DisplayName("a node whose replica was retired by others continues under a new one and adds its agents again")
  void reincarnation() {
    registerXOnA(b);
    var oldReplica = a.replica();

    b.retire(List.of(oldReplica));
    assertThat(b.list().agents()).isEmpty();
    antiEntropy(a, b);
    assertThat(a.replica()).isNotEqualTo(oldReplica);
    antiEntropy(a, b);

    assertThat(b.list().agents()).extracting(s -> s.agent().id()).containsExactly("x");
    assertThat(a.state().stateHash()).isEqualTo(b.state().stateHash());
  }

  @Test
  @DisplayName("anti-entropy heals lost deltas in both directions and ends with identical states")
  void antiEntropyHealsBothWays() {
    a.register(agent("from-a", "echo"), 0);
    b.register(agent("from-b", "echo"), 0);
    a.load(new AgentLoad(Map.of("from-a", 2L), Map.of()));

    antiEntropy(a, b);

    for (MembershipCore core : List.of(a, b)) {
      assertThat(core.list().agents()).extracting(s -> s.agent().id()).containsExactly("from-a", "from-b");
    }
    AgentStatus x = b.status("from-a");
    assertThat(x.dispatched()).isEqualTo(2);
    assertThat(a.state().stateHash()).isEqualTo(b.state().stateHash());
    assertThat(a.state().hashes()).isEqualTo(b.state().hashes());
  }

  @Test
  @DisplayName("an empty shard hashes to 0, and a state that held something never does")
  void emptyShardsHashToZero() {
    int shard = ReplicatedAgents.shardOf("x");
    assertThat(a.state().hashes()[shard]).isZero();
    a.register(agent("x", "echo"), 0);
    a.deregister("x");
    assertThat(a.state().hashes()[shard]).as("the removal is state too").isNotZero();
  }

  @Test
  @DisplayName("a heartbeat of an agent at home elsewhere is refused")
  void heartbeatOfAStranger() {
    registerXOnA(b);
    assertThat(b.heartbeat("x", 0)).isNull();
    assertThat(b.status("x").agent().types()).isEqualTo(Set.of("echo"));
  }
}
