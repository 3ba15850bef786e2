package io.agentbus.api;

import io.vertx.core.eventbus.EventBus;
import java.util.List;

/** Registers the codec of every agentbus record, once per event bus (the node bootstrap and test bases do it). */
public final class Codecs {

  private static final List<Class<?>> RECORDS = List.of(
      SubmitTask.class, TaskView.class, TaskEvent.class, TaskEventBatch.class, TaskRef.class, CancelTask.class,
      TaskQuery.class, TaskPage.class, WatchTask.class, AgentDescriptor.class, AgentRef.class, AgentStatus.class,
      AgentList.class, AgentLoad.class, AgentViewChange.class, AgentLease.class, MembershipSummary.class,
      LifecycleNotice.class, Assignment.class, StopSignal.class, AgentReport.class, ToolCall.class, ToolOutcome.class,
      ToolDescriptor.class, ToolList.class, ToolObservation.class, SessionSnapshot.class);

  private Codecs() {
  }

  /** Every record type carried on the event bus. */
  public static List<Class<?>> records() {
    return RECORDS;
  }

  public static void register(EventBus bus) {
    for (Class<?> type : RECORDS) {
      registerOne(bus, type);
    }
  }

  private static <T> void registerOne(EventBus bus, Class<T> type) {
    try {
      bus.registerDefaultCodec(type, new RecordCodec<>(type));
    } catch (IllegalStateException alreadyRegistered) {
      // registration is idempotent per event bus
    }
  }
}
