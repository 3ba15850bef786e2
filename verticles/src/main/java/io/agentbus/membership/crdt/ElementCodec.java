package io.agentbus.membership.crdt;

/**
 * Turns {@link ORSet} elements into bytes and back, for {@link ORSetCodec}. Must be deterministic and injective:
 * equal elements give equal bytes, different elements different bytes.
 *
 * @param <E> the element type
 */
public interface ElementCodec<E> {

  /** @throws IllegalArgumentException if the element cannot be encoded */
  byte[] encode(E element);

  /**
   * Called with untrusted bytes. Any exception it throws is reported by the set decoder as a
   * {@link CrdtDecodingException}.
   */
  E decode(byte[] bytes);

  /** Strings as strict UTF-8: a string with a lone surrogate is refused, never silently altered. */
  static ElementCodec<String> utf8() {
    return Utf8ElementCodec.INSTANCE;
  }
}
