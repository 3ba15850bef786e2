package io.agentbus.scheduler;

import java.security.SecureRandom;

/**
 * Task ids: {@code tsk_}, 24 base32 characters (a 48-bit millisecond time then 72 random bits), {@code _} and the id
 * of the node that accepted the task. Ids sort by creation time, cannot be guessed, are safe in event-bus
 * addresses and URLs, and tell any node where the task was accepted without a lookup.
 */
public final class TaskIds {

  private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private TaskIds() {
  }

  private static final int PREFIX = 4 + 24;

  public static String next(String nodeId) {
    return next() + "_" + nodeId;
  }

  /** The node that accepted the task, or null when the id does not say. */
  public static String acceptedBy(String taskId) {
    if (taskId == null || taskId.length() <= PREFIX + 1 || taskId.charAt(PREFIX) != '_') {
      return null;
    }
    return taskId.substring(PREFIX + 1);
  }

  static String next() {
    char[] out = new char[24];
    long time = System.currentTimeMillis();
    for (int i = 9; i >= 0; i--) {
      out[i] = ALPHABET[(int) (time & 31)];
      time >>>= 5;
    }
    byte[] random = new byte[9];
    RANDOM.nextBytes(random);
    long bits = 0;
    int available = 0;
    int r = 0;
    for (int i = 10; i < 24; i++) {
      if (available < 5) {
        bits = (bits << 8) | (random[r++] & 0xff);
        available += 8;
      }
      out[i] = ALPHABET[(int) ((bits >>> (available - 5)) & 31)];
      available -= 5;
    }
    return "tsk_" + new String(out);
  }

  /** Whether {@code id} could be a task id at all (a cheap check before any lookup). */
  public static boolean wellFormed(String id) {
    return id != null && id.length() <= 128 && id.matches("[A-Za-z0-9_-]+");
  }
}
