package io.agentbus.api;

/**
 * The Hazelcast member attributes every agentbus node publishes about itself, read from
 * {@code hazelcast.getCluster().getMembers()} on any node. Set once when the member starts; they never change while
 * it runs.
 */
public final class MemberAttributes {

  /** The node's roles as a comma list of their wire names, for example {@code gateway,scheduler,agents}. */
  public static final String ROLES = "agentbus.roles";
  /** The base URL of the node's HTTP gateway, for example {@code http://127.0.0.1:8080}; absent without a gateway. */
  public static final String HTTP = "agentbus.http";
  /** The node id (the Vert.x cluster node id, the same as {@code node.id}). */
  public static final String NODE_ID = "__vertx.nodeId";

  private MemberAttributes() {
  }
}
