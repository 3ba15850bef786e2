package io.agentbus.launcher;

import com.fasterxml.jackson.databind.JsonNode;

/** A successful answer of the node: its status, the body as JSON and as text, and whether it was a replay. */
record ApiReply(int status, JsonNode body, String raw, boolean replayed) {
}
