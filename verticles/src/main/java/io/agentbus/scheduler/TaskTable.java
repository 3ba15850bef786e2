package io.agentbus.scheduler;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.map.IMap;
import io.agentbus.api.Json;
import io.agentbus.api.TaskView;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster-wide live task table (Hazelcast IMap {@value #MAP}): the view of every task at acceptance and at its
 * end, so any node can find a task and its owner. Kafka stays the record; this is the index. Writes are batched
 * ({@value #FLUSH_MS} ms or {@value #MAX_BATCH} views, one setAll per batch) because one IMap call per task
 * state costs more CPU than the rest of the task's path; reads on this node see unflushed writes. Event-loop
 * confined.
 */
final class TaskTable {

  static final String MAP = "agentbus.tasks";
  private static final long FLUSH_MS = 20;
  private static final int MAX_BATCH = 512;
  private static final Logger LOG = LoggerFactory.getLogger(TaskTable.class);

  private final IMap<String, HazelcastJsonValue> map;
  private final Vertx vertx;
  private final Context context;
  private Map<String, TaskView> pending = new HashMap<>();
  private long flushTimer = -1;

  TaskTable(HazelcastInstance hazelcast, Vertx vertx, Context context) {
    this.map = hazelcast.getMap(MAP);
    this.vertx = vertx;
    this.context = context;
  }

  void put(TaskView view) {
    pending.put(view.id(), view);
    if (pending.size() >= MAX_BATCH) {
      flush();
    } else if (flushTimer < 0) {
      flushTimer = vertx.setTimer(FLUSH_MS, t -> {
        flushTimer = -1;
        flush();
      });
    }
  }

  /** Writes what is pending now; completes when Hazelcast has it. */
  Future<Void> flush() {
    if (flushTimer >= 0) {
      vertx.cancelTimer(flushTimer);
      flushTimer = -1;
    }
    if (pending.isEmpty()) {
      return Future.succeededFuture();
    }
    Map<String, HazelcastJsonValue> batch = new HashMap<>(pending.size() * 2);
    pending.forEach((id, view) -> batch.put(id, new HazelcastJsonValue(Json.toString(view))));
    pending = new HashMap<>();
    return Future.fromCompletionStage(map.setAllAsync(batch), context)
        .onFailure(err -> LOG.warn("{} task views not written to the task table: {}", batch.size(), err.toString()));
  }

  /** The stored view (or one waiting to be written), or null. */
  Future<TaskView> get(String taskId) {
    TaskView local = pending.get(taskId);
    if (local != null) {
      return Future.succeededFuture(local);
    }
    return Future.fromCompletionStage(map.getAsync(taskId), context)
        .map(json -> json == null ? null : Json.fromString(json.getValue(), TaskView.class));
  }
}
