package io.agentbus.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentbus.api.AgentDescriptor;
import io.agentbus.api.AgentList;
import io.agentbus.api.AgentStatus;
import io.agentbus.api.AgentViewChange;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AgentRouterTest {

  private static AgentStatus agent(String id, int capacity, String... types) {
    return new AgentStatus(new AgentDescriptor(id, Set.of(types), capacity, Map.of(), "n1", "inbox." + id), 0, 0, false, 0);
  }

  private static AgentList view(AgentStatus... agents) {
    return new AgentList(Arrays.asList(agents));
  }

  @Test
  @DisplayName("routing picks the agent of the type with the least work in flight")
  void leastInFlight() {
    AgentRouter router = new AgentRouter(10);
    router.update(view(agent("a", 10, "echo"), agent("b", 10, "echo"), agent("p", 10, "planner")));
    router.acquire("a");
    router.acquire("a");
    router.acquire("b");
    assertThat(router.pick("echo").id()).isEqualTo("b");
    router.acquire("b");
    router.acquire("b");
    assertThat(router.pick("echo").id()).isEqualTo("a");
    assertThat(router.pick("planner").id()).isEqualTo("p");
  }

  @Test
  @DisplayName("routing never assigns an agent more tasks than its capacity")
  void capacityRespected() {
    AgentRouter router = new AgentRouter(10);
    router.update(view(agent("a", 2, "echo"), agent("b", 1, "echo")));
    Map<String, Integer> assigned = new HashMap<>();
    for (int i = 0; i < 3; i++) {
      AgentDescriptor a = router.pick("echo");
      router.acquire(a.id());
      assigned.merge(a.id(), 1, Integer::sum);
    }
    assertThat(assigned).containsEntry("a", 2).containsEntry("b", 1);
    assertThat(router.pick("echo")).isNull();
    router.release("b");
    assertThat(router.pick("echo").id()).isEqualTo("b");
  }

  @Test
  @DisplayName("equally loaded agents take turns")
  void rotationAmongEquals() {
    AgentRouter router = new AgentRouter(10);
    router.update(view(agent("a", 100, "echo"), agent("b", 100, "echo"), agent("c", 100, "echo")));
    Map<String, Integer> picks = new HashMap<>();
    for (int i = 0; i < 30; i++) {
      picks.merge(router.pick("echo").id(), 1, Integer::sum);
    }
    assertThat(picks).containsOnlyKeys("a", "b", "c").allSatisfy((id, n) -> assertThat(n).isEqualTo(10));
  }

  @Test
  @DisplayName("an unknown type has no agent; a type's queue is FIFO and bounded")
  void queues() {
    AgentRouter router = new AgentRouter(2);
    router.update(view(agent("a", 1, "echo")));
    assertThat(router.knowsType("nope")).isFalse();
    assertThat(router.pick("nope")).isNull();
    assertThat(router.enqueue("echo", "t1")).isTrue();
    assertThat(router.enqueue("echo", "t2")).isTrue();
    assertThat(router.enqueue("echo", "t3")).isFalse();
    router.acquire("a");
    assertThat(router.queueFull("echo")).isTrue();
    router.requeueFirst("echo", "t0");
    assertThat(List.of(router.nextWaiting("echo"), router.nextWaiting("echo"), router.nextWaiting("echo")))
        .containsExactly("t0", "t1", "t2");
    assertThat(router.nextWaiting("echo")).isNull();
  }

  @Test
  @DisplayName("a new view reports agents that are gone and forgets their types")
  void agentsGone() {
    AgentRouter router = new AgentRouter(2);
    router.update(view(agent("a", 1, "echo"), agent("b", 1, "echo", "planner")));
    Set<String> gone = router.update(view(agent("a", 1, "echo")));
    assertThat(gone).containsExactly("b");
    assertThat(router.knowsType("planner")).isFalse();
    assertThat(router.agent("b")).isNull();
  }

  private static AgentStatus status(String id, int capacity, boolean suspect, long elsewhere) {
    return new AgentStatus(new AgentDescriptor(id, Set.of("echo"), capacity, Map.of(), "n1", "inbox." + id), 0, 0,
        suspect, elsewhere);
  }

  @Test
  @DisplayName("suspect agents get no tasks; work other schedulers have on an agent counts against its capacity")
  void suspectsAndLoadElsewhere() {
    AgentRouter router = new AgentRouter(10);
    router.apply(new AgentViewChange(List.of(status("a", 4, true, 0), status("b", 4, false, 3),
        status("c", 4, false, 1)), List.of(), true));
    assertThat(router.pick("echo").id()).as("c carries less cluster-wide than b; a is suspect").isEqualTo("c");
    router.acquire("c");
    router.acquire("c");
    router.acquire("c");
    assertThat(router.pick("echo").id()).as("c is full (1 elsewhere + 3 here)").isEqualTo("b");
    router.acquire("b");
    assertThat(router.pick("echo")).as("b is full too (3 elsewhere + 1 here) and a is suspect").isNull();
    router.apply(new AgentViewChange(List.of(status("a", 4, false, 0)), List.of(), false));
    assertThat(router.pick("echo").id()).as("a is live again").isEqualTo("a");
  }

  @Test
  @DisplayName("view changes apply incrementally: upserts change types, removals and full views report who is gone")
  void incrementalViews() {
    AgentRouter router = new AgentRouter(10);
    router.apply(new AgentViewChange(List.of(agent("a", 1, "echo"), agent("b", 1, "echo")), List.of(), true));
    router.apply(new AgentViewChange(List.of(agent("a", 1, "planner")), List.of(), false));
    assertThat(router.pick("planner").id()).isEqualTo("a");
    assertThat(router.pick("echo").id()).isEqualTo("b");
    assertThat(router.apply(new AgentViewChange(List.of(), List.of("b"), false))).containsExactly("b");
    assertThat(router.knowsType("echo")).isFalse();
    assertThat(router.apply(new AgentViewChange(List.of(agent("z", 1, "echo")), List.of(), true)))
        .containsExactly("a");
  }

  @Test
  @DisplayName("with thousands of agents of one type, routing still only picks agents with room and spreads the work")
  void largePools() {
    AgentRouter router = new AgentRouter(10);
    List<AgentStatus> many = new java.util.ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      many.add(agent("a" + i, 2, "echo"));
    }
    router.apply(new AgentViewChange(many, List.of(), true));
    Map<String, Integer> given = new HashMap<>();
    for (int i = 0; i < 10_000; i++) {
      AgentDescriptor a = router.pick("echo");
      assertThat(a).as("pick " + i).isNotNull();
      router.acquire(a.id());
      given.merge(a.id(), 1, Integer::sum);
    }
    assertThat(given).hasSize(5000).allSatisfy((id, n) -> assertThat(n).isEqualTo(2));
    assertThat(router.pick("echo")).isNull();
  }
}
