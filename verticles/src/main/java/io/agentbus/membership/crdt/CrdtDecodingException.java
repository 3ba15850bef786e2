package io.agentbus.membership.crdt;

/**
 * The bytes are not a valid encoding of the expected CRDT: unknown format version, wrong kind, truncated, trailing
 * bytes, a size over its limit, not in canonical form, or a state that breaks an invariant. The only exception the
 * decoders in this package throw, whatever the input.
 */
public final class CrdtDecodingException extends RuntimeException {

  public CrdtDecodingException(String message) {
    super(message);
  }

  public CrdtDecodingException(String message, Throwable cause) {
    super(message, cause);
  }
}
