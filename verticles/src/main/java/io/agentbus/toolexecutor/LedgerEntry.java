package io.agentbus.toolexecutor;

import io.agentbus.api.Json;
import io.agentbus.api.ToolOutcome;

/**
 * What the idempotency ledger knows of one intent: {@code started} by an owner (an executor instance on a Hazelcast
 * member) in its {@code attempt}, or {@code finished} with the outcome every delivery of the intent gets. Stored as
 * JSON text, so any member (or Management Center) can read it.
 *
 * @param fingerprint   the tool and a hash of the arguments, to tell a duplicate from a reused call id
 * @param ownerMember   the Hazelcast member UUID of the executor that runs or ran it
 * @param ownerInstance the executor instance (one per deployment) that runs or ran it
 * @param leaseUntil    epoch ms: an owner still running it past this is presumed dead or stuck
 */
record LedgerEntry(String state, String fingerprint, String ownerMember, String ownerInstance, String ownerNode,
                   int attempt, long startedAt, long leaseUntil, ToolOutcome outcome, Long finishedAt) {

  static final String STARTED = "started";
  static final String FINISHED = "finished";

  static LedgerEntry started(String fingerprint, String ownerMember, String ownerInstance, String ownerNode,
                             int attempt, long now, long leaseUntil) {
    return new LedgerEntry(STARTED, fingerprint, ownerMember, ownerInstance, ownerNode, attempt, now, leaseUntil, null,
        null);
  }

  LedgerEntry finish(ToolOutcome result, long now) {
    return new LedgerEntry(FINISHED, fingerprint, ownerMember, ownerInstance, ownerNode, attempt, startedAt, leaseUntil,
        result, now);
  }

  boolean finished() {
    return FINISHED.equals(state);
  }

  String toJson() {
    return Json.toString(this);
  }

  static LedgerEntry fromJson(String json) {
    return json == null ? null : Json.fromString(json, LedgerEntry.class);
  }
}
