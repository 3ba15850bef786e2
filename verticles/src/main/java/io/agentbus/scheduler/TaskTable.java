package io.agentbus.scheduler;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import io.agentbus.api.Json;
import io.agentbus.api.TaskView;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster-wide table of moved tasks (Hazelcast IMap {@value #MAP}): a task taken over from a lost node, keyed by
 * its id, with the view its new owner had when it took it over, so that requests for it, which its id sends to the
 * node that accepted it, find the new owner. An entry is written when a task is adopted and deleted when its adopter
 * forgets the finished task (tasks.retention-ms), so it is bounded by the tasks moved in that time; Kafka stays the
 * record. Tasks that never moved are not in it: their id names their owner.
 *
 * <p>Writes are batched ({@value #FLUSH_MS} ms or {@value #MAX_BATCH} changes: one setAll and one batched delete)
 * because one IMap call per task costs more CPU than the rest of a task's path. Reads on this node see pending
 * writes. Event-loop confined.
 */
final class TaskTable {

  static final String MAP = "agentbus.tasks";
  private static final long FLUSH_MS = 20;
  private static final int MAX_BATCH = 512;
  private static final Logger LOG = LoggerFactory.getLogger(TaskTable.class);

  private final IMap<String, HazelcastJsonValue> map;
  private final Vertx vertx;
  private final Context context;
  private Map<String, TaskView> puts = new HashMap<>();
  private Set<String> deletes = new HashSet<>();
  private long flushTimer = -1;

  TaskTable(HazelcastInstance hazelcast, Vertx vertx, Context context) {
    this.map = hazelcast.getMap(MAP);
    this.vertx = vertx;
    this.context = context;
  }

  /** Records a moved task and its new owner. */
  void put(TaskView view) {
    puts.put(view.id(), view);
    deletes.remove(view.id());
    scheduleFlush();
  }

  /** Forgets a moved task. */
  void remove(String taskId) {
    if (puts.remove(taskId) == null) {
      deletes.add(taskId);
    }
    scheduleFlush();
  }

  private void scheduleFlush() {
    if (puts.size() + deletes.size() >= MAX_BATCH) {
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
    Future<Void> written = Future.succeededFuture();
    if (!puts.isEmpty()) {
      Map<String, HazelcastJsonValue> batch = new HashMap<>(puts.size() * 2);
      puts.forEach((id, view) -> batch.put(id, new HazelcastJsonValue(Json.toString(view))));
      puts = new HashMap<>();
      written = Future.fromCompletionStage(map.setAllAsync(batch), context);
    }
    if (!deletes.isEmpty()) {
      Set<String> batch = deletes;
      deletes = new HashSet<>();
      Future<Void> deleted = Future.fromCompletionStage(map.submitToKeys(batch, new Delete()), context).mapEmpty();
      written = Future.join(written, deleted).mapEmpty();
    }
    return written.onFailure(err -> LOG.warn("task table not updated: {}", err.toString()));
  }

  /** The moved task's stored view (or one waiting to be written), or null. */
  Future<TaskView> get(String taskId) {
    TaskView local = puts.get(taskId);
    if (local != null) {
      return Future.succeededFuture(local);
    }
    if (deletes.contains(taskId)) {
      return Future.succeededFuture(null);
    }
    return Future.fromCompletionStage(map.getAsync(taskId), context)
        .map(json -> json == null ? null : Json.fromString(json.getValue(), TaskView.class));
  }

  /** Deletes the entry it runs on. */
  static final class Delete implements EntryProcessor<String, HazelcastJsonValue, Boolean> {
    private static final long serialVersionUID = 1L;

    @Override
    public Boolean process(Map.Entry<String, HazelcastJsonValue> entry) {
      boolean present = entry.getValue() != null;
      entry.setValue(null);
      return present;
    }
  }
}
