package io.agentbus.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The saved state of a session, as an agent left it. Versions start at 1 and grow by one with every save; a save
 * names the version it expects to replace (0: none yet) and fails with {@link ErrorCode#SESSION_VERSION_CONFLICT}
 * if another save came first.
 *
 * @param updatedAtMs wall-clock time of the save
 */
public record SessionSnapshot(String sessionId, long version, JsonNode state, long updatedAtMs) {
}
