package io.agentbus.toolexecutor;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.map.IMap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The idempotency ledger of tool intents: a Hazelcast map from an intent's key (its CloudEvent source and id) to a
 * {@link LedgerEntry}, changed only by entry processors, so every transition is atomic on the key's partition owner
 * (and replayed on its backup). Each entry lives {@code ttlMs} after its last change; the map's configuration
 * bounds its size. All calls are asynchronous and complete on the given context.
 */
final class IdempotencyLedger {

  static final String MAP = "agentbus.tool-ledger";

  /** The result of a transition: whether it was made, and the entry as it is now. */
  record Change(boolean made, LedgerEntry entry) {
  }

  private final IMap<String, String> map;
  private final Context context;
  private final long ttlMs;

  IdempotencyLedger(HazelcastInstance hazelcast, Context context, long ttlMs) {
    this.map = hazelcast.getMap(MAP);
    this.context = context;
    this.ttlMs = ttlMs;
  }

  /** Records {@code started} if the key is new; otherwise leaves the entry as it is. */
  Future<Change> claim(String key, LedgerEntry started) {
    return submit(key, new Claim(started.toJson(), ttlMs));
  }

  /** Replaces a {@code started} entry of {@code attempt} by {@code next} (the next attempt, a new owner). */
  Future<Change> takeOver(String key, int attempt, LedgerEntry next) {
    return submit(key, new TakeOver(attempt, next.toJson(), ttlMs));
  }

  /** Records {@code finished} if the entry is still the {@code started} one of its attempt and owner. */
  Future<Change> finish(String key, LedgerEntry finished) {
    return submit(key, new Finish(finished.attempt(), finished.ownerInstance(), finished.toJson(), ttlMs));
  }

  /** The entry as its partition owner has it now, or null. */
  Future<LedgerEntry> get(String key) {
    return onContext(map.submitToKey(key, new Read())).map(LedgerEntry::fromJson);
  }

  private Future<Change> submit(String key, EntryProcessor<String, String, String> processor) {
    return onContext(map.submitToKey(key, processor))
        .map(answer -> new Change(answer.charAt(0) == 'Y', LedgerEntry.fromJson(answer.substring(1))));
  }

  /**
   * Hazelcast runs the callbacks of its futures on its default async executor, which on a machine with two cores
   * (common pool parallelism 1) starts a new thread per callback, from the registering thread: an event loop here. A
   * callback on an explicit direct executor only hands the result to a plain future, which Vert.x then brings to
   * the context.
   */
  private <T> Future<T> onContext(CompletionStage<T> stage) {
    CompletableFuture<T> plain = new CompletableFuture<>();
    stage.whenCompleteAsync((value, error) -> {
      if (error != null) {
        plain.completeExceptionally(error);
      } else {
        plain.complete(value);
      }
    }, Runnable::run);
    return Future.fromCompletionStage(plain, context);
  }

  // the processors below run on the key's owner and again on its backup: they must be deterministic (no clock)

  private static String made(Map.Entry<String, String> entry, String value, long ttlMs) {
    ((ExtendedMapEntry<String, String>) entry).setValue(value, ttlMs, TimeUnit.MILLISECONDS);
    return "Y" + value;
  }

  private static String kept(Map.Entry<String, String> entry) {
    return "N" + entry.getValue();
  }

  private record Read() implements EntryProcessor<String, String, String> {
    @Override
    public String process(Map.Entry<String, String> entry) {
      return entry.getValue();
    }

    @Override
    public EntryProcessor<String, String, String> getBackupProcessor() {
      return null;
    }
  }

  private record Claim(String started, long ttlMs) implements EntryProcessor<String, String, String> {
    @Override
    public String process(Map.Entry<String, String> entry) {
      return entry.getValue() == null ? made(entry, started, ttlMs) : kept(entry);
    }
  }

  private record TakeOver(int attempt, String next, long ttlMs) implements EntryProcessor<String, String, String> {
    @Override
    public String process(Map.Entry<String, String> entry) {
      LedgerEntry current = LedgerEntry.fromJson(entry.getValue());
      if (current == null || !current.finished() && current.attempt() == attempt) {
        return made(entry, next, ttlMs);
      }
      return kept(entry);
    }
  }

  private record Finish(int attempt, String owner, String finished, long ttlMs)
      implements EntryProcessor<String, String, String> {
    @Override
    public String process(Map.Entry<String, String> entry) {
      LedgerEntry current = LedgerEntry.fromJson(entry.getValue());
      if (current == null
          || !current.finished() && current.attempt() == attempt && owner.equals(current.ownerInstance())) {
        return made(entry, finished, ttlMs);
      }
      return kept(entry);
    }
  }
}
