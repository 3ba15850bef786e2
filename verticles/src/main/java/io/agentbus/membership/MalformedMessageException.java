package io.agentbus.membership;

/** A membership message or element that does not decode: it is counted and dropped, never half-applied. */
final class MalformedMessageException extends RuntimeException {

  MalformedMessageException(String message) {
    super(message);
  }

  MalformedMessageException(String message, Throwable cause) {
    super(message, cause);
  }
}
