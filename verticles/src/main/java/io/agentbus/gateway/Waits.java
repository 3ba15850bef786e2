package io.agentbus.gateway;

import io.agentbus.api.AgentbusException;
import io.agentbus.api.ErrorCode;
import io.vertx.core.http.HttpServerRequest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a request may wait for its task to finish: the {@code wait} query parameter (seconds, or a number with
 * {@code ms} or {@code s}) or the RFC 7240 {@code Prefer: wait=N} header (seconds). Capped at http.max-wait-ms.
 */
final class Waits {

  private static final Pattern PARAM = Pattern.compile("(\\d{1,9}(?:\\.\\d{1,3})?)(ms|s)?");
  private static final Pattern PREFER = Pattern.compile("(?:^|[,;\\s])wait\\s*=\\s*\"?(\\d{1,9})\"?", Pattern.CASE_INSENSITIVE);

  /** The wait in milliseconds and whether it came from a Prefer header (to answer Preference-Applied). */
  record Wait(long ms, boolean fromPrefer) {
  }

  private Waits() {
  }

  static Wait of(HttpServerRequest request, long maxMs) {
    String param = request.getParam("wait");
    if (param != null) {
      Matcher m = PARAM.matcher(param.trim());
      if (!m.matches()) {
        throw new AgentbusException(ErrorCode.INVALID_PARAMETER,
            "wait must be seconds (e.g. 5 or 2.5) or a number with ms or s (e.g. 500ms), was '" + param + "'");
      }
      double value = Double.parseDouble(m.group(1));
      long ms = "ms".equals(m.group(2)) ? (long) value : (long) (value * 1000);
      return new Wait(Math.min(ms, maxMs), false);
    }
    String prefer = request.getHeader("Prefer");
    if (prefer != null) {
      Matcher m = PREFER.matcher(prefer);
      if (m.find()) {
        return new Wait(Math.min(Long.parseLong(m.group(1)) * 1000, maxMs), true);
      }
    }
    return new Wait(0, false);
  }
}
