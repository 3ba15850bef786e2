package io.agentbus.launcher;

/**
 * One dispatched Server-Sent Event: its type ({@code message} when the stream named none), its data (the
 * {@code data:} lines joined by LF) and the last event ID in force when it was dispatched (may be empty).
 */
record SseEvent(String type, String data, String lastEventId) {
}
