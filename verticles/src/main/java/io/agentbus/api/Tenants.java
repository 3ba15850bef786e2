package io.agentbus.api;

import java.util.HashMap;
import java.util.Map;

/**
 * Which tenant a task belongs to. The gateway stamps the tenant of the submitting credential into the task's
 * metadata under {@value #METADATA_KEY} (overwriting whatever the caller put there; for {@value #DEFAULT_TENANT}
 * the key is removed instead), so it travels on the task
 * record, its Kafka events, adoption by another node and the agent's assignment without a change of format. A task
 * without the key (accepted before authentication existed) belongs to {@value #DEFAULT_TENANT}.
 */
public final class Tenants {

  public static final String METADATA_KEY = "agentbus.tenant";
  public static final String DEFAULT_TENANT = "default";

  private Tenants() {
  }

  public static String of(Map<String, String> metadata) {
    return metadata == null ? DEFAULT_TENANT : metadata.getOrDefault(METADATA_KEY, DEFAULT_TENANT);
  }

  public static boolean owns(String tenant, TaskView task) {
    return tenant.equals(of(task.metadata()));
  }

  /**
   * The submit as {@code tenant}'s: its tenant stamped into the metadata and its idempotency key {@link #scoped} to
   * the tenant, so two tenants using the same key never meet each other's task. (Its session id is scoped where
   * sessions are kept, so the agent sees the id its caller chose.)
   */
  public static SubmitTask stamp(SubmitTask submit, String tenant) {
    Map<String, String> metadata = new HashMap<>(submit.metadata());
    // the default tenant is the key's absence, so its tasks keep exactly the metadata their caller sent
    if (DEFAULT_TENANT.equals(tenant)) {
      metadata.remove(METADATA_KEY);
    } else {
      metadata.put(METADATA_KEY, tenant);
    }
    String key = submit.idempotencyKey() == null ? null : scoped(tenant, submit.idempotencyKey());
    return new SubmitTask(submit.agentType(), submit.input(), submit.timeoutMs(), metadata, key, submit.traceparent(),
        submit.waitMs(), submit.sessionId(), submit.onBusy());
  }

  /**
   * A caller-chosen name (an idempotency key, a session id) made {@code tenant}'s own: the default tenant's names
   * stay as they are, any other tenant's get its id and a space in front. Callers' names are visible ASCII without
   * spaces, so no name a caller can choose equals another tenant's scoped name.
   */
  public static String scoped(String tenant, String name) {
    return DEFAULT_TENANT.equals(tenant) ? name : tenant + " " + name;
  }

  /** The answer about a task that does not exist, and about another tenant's task alike. */
  public static AgentbusException notFound(String taskId) {
    return new AgentbusException(ErrorCode.TASK_NOT_FOUND,
        "no task " + taskId + " (a finished task is kept for tasks.retention-ms)");
  }
}
