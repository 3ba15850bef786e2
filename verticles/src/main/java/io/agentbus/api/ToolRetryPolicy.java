package io.agentbus.api;

/**
 * Retries of an idempotent tool's failed attempts (failures and timeouts; never refusals, invalid arguments or an
 * open circuit): up to {@code maxAttempts} attempts in all, waiting a random time between 0 and
 * {@code min(maxBackoffMs, initialBackoffMs * 2^retry)} before each retry (exponential backoff with full jitter),
 * and never past the call's deadline.
 */
public record ToolRetryPolicy(int maxAttempts, long initialBackoffMs, long maxBackoffMs) {

  public static ToolRetryPolicy exponential(int maxAttempts, long initialBackoffMs, long maxBackoffMs) {
    return new ToolRetryPolicy(maxAttempts, initialBackoffMs, maxBackoffMs);
  }
}
