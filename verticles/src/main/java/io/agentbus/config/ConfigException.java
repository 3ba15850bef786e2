package io.agentbus.config;

/** A setting that is unknown or malformed; the message says which and where it came from. */
public class ConfigException extends RuntimeException {

  public ConfigException(String message) {
    super(message);
  }
}
