package io.agentbus.toolexecutor;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ToolMetricsTest {

  @Test
  @DisplayName("Prometheus sees calls by tool and outcome, call durations, and calls still running")
  void prometheusNames() {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ToolMetrics metrics = new ToolMetrics(prometheus);

    metrics.started("calculator");
    metrics.record("calculator", CallOutcome.OK, TimeUnit.MILLISECONDS.toNanos(3));
    metrics.record("calculator", CallOutcome.INVALID_ARGUMENTS, TimeUnit.MILLISECONDS.toNanos(1));
    metrics.started("http_get");
    metrics.started("http_get");
    metrics.finished("calculator");

    String scrape = prometheus.scrape();
    assertThat(scrape)
        .contains("agentbus_tool_calls_total{outcome=\"ok\",tool=\"calculator\"} 1.0")
        .contains("agentbus_tool_calls_total{outcome=\"invalid_arguments\",tool=\"calculator\"} 1.0")
        .contains("agentbus_tool_call_duration_seconds_count{tool=\"calculator\"} 2")
        .contains("agentbus_tool_calls_running{tool=\"calculator\"} 0.0")
        .contains("agentbus_tool_calls_running{tool=\"http_get\"} 2.0");
  }
}
