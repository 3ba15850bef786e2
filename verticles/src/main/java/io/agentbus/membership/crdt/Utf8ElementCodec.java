package io.agentbus.membership.crdt;

/** Strings as strict UTF-8 (see {@link ElementCodec#utf8()}). */
enum Utf8ElementCodec implements ElementCodec<String> {
  INSTANCE;

  @Override
  public byte[] encode(String element) {
    return Utf8.encode(element);
  }

  @Override
  public String decode(byte[] bytes) {
    return Utf8.decode(bytes);
  }
}
