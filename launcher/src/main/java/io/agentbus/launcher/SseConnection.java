package io.agentbus.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;

/** One open text/event-stream response, read line by line (LF, CRLF or CR ends a line). */
final class SseConnection implements AutoCloseable {

  private final HttpURLConnection connection;
  private final BufferedReader reader;

  SseConnection(HttpURLConnection connection) throws IOException {
    this.connection = connection;
    this.reader = new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8));
  }

  /** The next line without its end, or null at the end of the stream. */
  String readLine() throws IOException {
    return reader.readLine();
  }

  @Override
  public void close() {
    connection.disconnect();
  }
}
