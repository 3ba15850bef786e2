package io.agentbus.config;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.healthchecks.HealthChecks;

/**
 * What every verticle of a node shares: its id and settings, the metrics registry, the Hazelcast member, the Kafka
 * bootstrap, health checks and lifecycle. Built once by the node bootstrap (or a test) and passed to verticle
 * constructors.
 */
public record NodeContext(String nodeId, NodeConfig config, PrometheusMeterRegistry registry,
                          HazelcastInstance hazelcast, String kafkaBootstrap, HealthChecks health,
                          NodeLifecycle lifecycle) {
}
