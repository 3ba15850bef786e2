package io.agentbus.membership;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Shares one copy of strings that repeat across many decoded entries (agent types, node ids). Bounded: once full it
 * hands strings back as they are, so hostile input cannot grow it. Thread-safe.
 */
final class StringPool {

  private final int capacity;
  private final ConcurrentHashMap<String, String> pool = new ConcurrentHashMap<>();

  StringPool(int capacity) {
    this.capacity = capacity;
  }

  String intern(String s) {
    String shared = pool.get(s);
    if (shared != null) {
      return shared;
    }
    if (pool.size() < capacity) {
      shared = pool.putIfAbsent(s, s);
    }
    return shared != null ? shared : s;
  }
}
