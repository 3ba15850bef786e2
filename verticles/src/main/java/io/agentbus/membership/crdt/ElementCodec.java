package io.agentbus.membership.crdt;

import java.util.function.Function;

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

  /** A codec from two functions, e.g. a JSON mapping of agent descriptors. */
  static <E> ElementCodec<E> of(Function<E, byte[]> encode, Function<byte[], E> decode) {
    return new ElementCodec<>() {
      @Override
      public byte[] encode(E element) {
        return encode.apply(element);
      }

      @Override
      public E decode(byte[] bytes) {
        return decode.apply(bytes);
      }
    };
  }

  /** Strings as strict UTF-8: a string with a lone surrogate is refused, never silently altered. */
  static ElementCodec<String> utf8() {
    return of(Utf8::encode, Utf8::decode);
  }
}
