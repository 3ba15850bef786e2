package io.agentbus.toolexecutor;

import io.agentbus.config.NodeConfig;
import io.agentbus.config.Setting;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpClientAgent;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The tools every executor offers ({@code calculator}, {@code json_query}, {@code http_fetch}, {@code sql_query},
 * plus {@code test_effect} when its test hook is set) and what they hold: an HTTP client, the demo database and its
 * worker pool.
 */
final class BuiltinTools {

  private final List<Tool> tools;
  private final HttpClientAgent http;
  private final DemoDatabase database;
  private final WorkerExecutor sqlWorkers;

  private BuiltinTools(List<Tool> tools, HttpClientAgent http, DemoDatabase database, WorkerExecutor sqlWorkers) {
    this.tools = List.copyOf(tools);
    this.http = http;
    this.database = database;
    this.sqlWorkers = sqlWorkers;
  }

  /** Blocking (seeds the database, loads classes): call on a worker thread. */
  static BuiltinTools create(Vertx vertx, NodeConfig config) throws SQLException {
    long httpTimeoutMs = config.getLong(Setting.TOOLS_HTTP_TIMEOUT_MS);
    HttpClientAgent http = vertx.createHttpClient(HttpFetchTool.clientOptions(httpTimeoutMs));
    DemoDatabase database = new DemoDatabase();
    WorkerExecutor sqlWorkers = vertx.createSharedWorkerExecutor("agentbus-sql-" + System.identityHashCode(database),
        SqlQueryTool.MAX_CONCURRENCY);
    List<Tool> tools = new ArrayList<>();
    tools.add(new CalculatorTool());
    tools.add(new JsonQueryTool());
    tools.add(new NoopTool());
    tools.add(new HttpFetchTool(http, HostAllowList.parse(config.getList(Setting.TOOLS_HTTP_ALLOW_HOSTS)),
        AddressBlocks.parse(config.getList(Setting.TOOLS_HTTP_ALLOW_INTERNAL), Setting.TOOLS_HTTP_ALLOW_INTERNAL.key()),
        HttpFetchTool.jdkResolver(vertx), config.getInt(Setting.TOOLS_HTTP_MAX_BYTES), httpTimeoutMs));
    tools.add(new SqlQueryTool(database, sqlWorkers, config.getInt(Setting.TOOLS_SQL_MAX_ROWS),
        config.getLong(Setting.TOOLS_SQL_TIMEOUT_MS)));
    String effectFile = config.get(Setting.TOOLS_TEST_EFFECT_FILE);
    if (!effectFile.isBlank()) {
      tools.add(new TestEffectTool(Path.of(effectFile)));
    }
    return new BuiltinTools(tools, http, database, sqlWorkers);
  }

  List<Tool> tools() {
    return tools;
  }

  Future<Void> close(Vertx vertx) {
    sqlWorkers.close();
    return http.close().eventually(() -> vertx.executeBlocking(() -> {
      database.close();
      return null;
    }));
  }
}
