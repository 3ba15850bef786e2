package io.agentbus.scheduler;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.map.IMap;
import io.agentbus.api.Json;
import io.agentbus.api.TaskView;
import io.vertx.core.Context;
import io.vertx.core.Future;

/**
 * The cluster-wide live task table (Hazelcast IMap {@value #MAP}): the view of every task at acceptance and at its
 * end, so any node can find a task and its owner. Kafka stays the record; this is the index.
 */
final class TaskTable {

  static final String MAP = "agentbus.tasks";

  private final IMap<String, HazelcastJsonValue> map;
  private final Context context;

  TaskTable(HazelcastInstance hazelcast, Context context) {
    this.map = hazelcast.getMap(MAP);
    this.context = context;
  }

  Future<Void> put(TaskView view) {
    return Future.fromCompletionStage(map.setAsync(view.id(), new HazelcastJsonValue(Json.toString(view))), context);
  }

  /** The stored view, or null. */
  Future<TaskView> get(String taskId) {
    return Future.fromCompletionStage(map.getAsync(taskId), context)
        .map(json -> json == null ? null : Json.fromString(json.getValue(), TaskView.class));
  }
}
