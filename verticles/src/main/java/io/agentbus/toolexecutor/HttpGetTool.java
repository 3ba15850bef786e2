package io.agentbus.toolexecutor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentbus.api.AgentbusException;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.Json;
import io.agentbus.api.ToolDescriptor;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * {@code http_get}: fetches a URL from an allow-listed host. Redirects are followed by hand (at most
 * {@value #MAX_REDIRECTS}), each target checked against the allow-list before any connection is made; the body is
 * read up to a byte cap and the connection closed past it.
 *
 * <p>It uses the core HTTP client rather than the WebClient: the WebClient hands out a response only after the whole
 * body went through its codec, so it cannot stop at the cap and still report the status and content type.
 */
final class HttpGetTool implements Tool {

  static final String NAME = "http_get";
  static final int MAX_REDIRECTS = 3;
  static final int MAX_URL_LENGTH = 2048;
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

  private final HttpClient client;
  private final HostAllowList allowList;
  private final int maxBytes;
  private final ToolDescriptor descriptor;

  HttpGetTool(HttpClient client, HostAllowList allowList, int maxBytes, long timeoutMs) {
    this.client = client;
    this.allowList = allowList;
    this.maxBytes = maxBytes;
    this.descriptor = new ToolDescriptor(NAME,
        "HTTP GET of an http or https URL on an allow-listed host. Returns the status, content type and up to "
            + maxBytes + " bytes of the body as text (truncated is true if there was more); follows up to "
            + MAX_REDIRECTS + " redirects to allow-listed hosts.",
        StrictObjectSchema.of("""
            {"url": {"type": "string", "minLength": 1, "maxLength": %d}}""".formatted(MAX_URL_LENGTH), "url"),
        StrictObjectSchema.of("""
            {
              "status": {"type": "integer"},
              "content_type": {"type": ["string", "null"]},
              "body": {"type": "string"},
              "truncated": {"type": "boolean"},
              "url": {"type": "string"}
            }""", "status", "content_type", "body", "truncated", "url"),
        timeoutMs, true);
  }

  /** Options for the client this tool is given: no decompression, so the cap counts the bytes on the wire. */
  static HttpClientOptions clientOptions(long timeoutMs) {
    return new HttpClientOptions()
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs))
        .setDecompressionSupported(false);
  }

  @Override
  public ToolDescriptor descriptor() {
    return descriptor;
  }

  @Override
  public Future<JsonNode> call(JsonNode arguments, ToolContext context) {
    try {
      return fetch(permitted(arguments.get("url").asText()), 0, context);
    } catch (AgentbusException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<JsonNode> fetch(URI url, int redirects, ToolContext context) {
    if (context.abandoned().isComplete()) {
      return Future.failedFuture(new AgentbusException(ErrorCode.TOOL_TIMEOUT, "abandoned before fetching " + url));
    }
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setAbsoluteURI(url.toString())
        .setFollowRedirects(false)
        .setIdleTimeout(context.timeoutMs());
    return client.request(options)
        .compose(request -> {
          context.abandoned().onComplete(v -> request.reset());
          return request.send();
        })
        .compose(response -> {
          String location = response.getHeader("Location");
          if (!REDIRECTS.contains(response.statusCode()) || location == null) {
            return CappedBody.read(response, maxBytes).map(body -> result(url, response, body));
          }
          // the redirect's body is not wanted: reset, and expect the reset to fail the response
          response.exceptionHandler(ignored -> { });
          response.request().reset();
          if (redirects == MAX_REDIRECTS) {
            throw new AgentbusException(ErrorCode.TOOL_FAILED, "more than " + MAX_REDIRECTS + " redirects from " + url);
          }
          return fetch(permitted(resolve(url, location)), redirects + 1, context);
        });
  }

  /** The URL if policy allows fetching it; otherwise fails with TOOL_DENIED (or TOOL_FAILED if it is no URL). */
  private URI permitted(String text) {
    URI url;
    try {
      url = new URI(text);
    } catch (URISyntaxException e) {
      throw new AgentbusException(ErrorCode.TOOL_FAILED, "not a valid URL: " + e.getMessage());
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw denied(text, "only http and https URLs may be fetched");
    }
    if (url.getRawUserInfo() != null) {
      throw denied(text, "URLs with user information are not allowed");
    }
    if (url.getHost() == null) {
      throw denied(text, "the URL has no host name");
    }
    if (allowList.isEmpty()) {
      throw denied(text, "no host is allowed (tools.http-get.allow-hosts is empty)");
    }
    int port = url.getPort() != -1 ? url.getPort() : scheme.equals("https") ? 443 : 80;
    if (!allowList.allows(url.getHost(), port)) {
      throw denied(text, url.getHost() + ":" + port + " is not in tools.http-get.allow-hosts");
    }
    return url;
  }

  private static String resolve(URI base, String location) {
    try {
      return base.resolve(new URI(location)).toString();
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new AgentbusException(ErrorCode.TOOL_FAILED, "redirect from " + base + " to an invalid location: " + location);
    }
  }

  private static AgentbusException denied(String url, String why) {
    return new AgentbusException(ErrorCode.TOOL_DENIED, "refused to fetch " + url + ": " + why);
  }

  private static JsonNode result(URI url, HttpClientResponse response, CappedBody.Read body) {
    ObjectNode result = Json.object();
    result.put("status", response.statusCode());
    result.put("content_type", response.getHeader("Content-Type"));
    result.put("body", body.bytes().toString(StandardCharsets.UTF_8));
    result.put("truncated", body.truncated());
    result.put("url", url.toString());
    return result;
  }
}
