package io.agentbus.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Carries an agentbus record on the event bus: JSON on the wire between nodes, the instance itself within a node
 * (records are immutable; receivers must not modify the JSON trees inside them).
 */
public final class RecordCodec<T> implements MessageCodec<T, T> {

  private final Class<T> type;

  public RecordCodec(Class<T> type) {
    this.type = type;
  }

  @Override
  public void encodeToWire(Buffer buffer, T value) {
    byte[] bytes = Json.toBytes(value);
    buffer.appendInt(bytes.length).appendBytes(bytes);
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    return Json.fromBytes(buffer.getBytes(pos + 4, pos + 4 + length), type);
  }

  @Override
  public T transform(T value) {
    return value;
  }

  @Override
  public String name() {
    return "agentbus." + type.getSimpleName();
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
