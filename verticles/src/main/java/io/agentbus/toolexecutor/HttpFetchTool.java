package io.agentbus.toolexecutor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentbus.api.AgentbusException;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.Json;
import io.agentbus.api.ToolDescriptor;
import io.agentbus.config.Setting;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code http_fetch}: GET or POST to an http(s) URL, SSRF-safe. Before any connection the host must pass the
 * allow-list, and every address it stands for (an IP literal in any spelling, or all the addresses a name resolves
 * to, resolved once) must be public or explicitly allowed: loopback, private, link-local, metadata and other internal
 * addresses are refused, also inside IPv6 forms. The request then goes to the address that was checked (never
 * resolved again, so DNS rebinding cannot redirect it). Redirects are followed by hand (at most
 * {@value #MAX_REDIRECTS}), each one checked the same way; the body is read up to a byte cap and the connection
 * closed past it; the executor's time limit covers the whole exchange.
 *
 * <p>It uses the core HTTP client rather than the WebClient: the WebClient hands out a response only after the whole
 * body went through its codec, so it cannot stop at the cap and still report the status and content type.
 */
final class HttpFetchTool implements Tool {

  static final String NAME = "http_fetch";
  static final int MAX_REDIRECTS = 3;
  static final int MAX_URL_LENGTH = 2048;
  static final int MAX_REQUEST_BODY = 65536;
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

  /** Resolves a host name to all its addresses. */
  interface Resolver {
    Future<List<InetAddress>> resolve(String host);
  }

  private record Request(HttpMethod method, String url, String body, String contentType) {
  }

  private record Target(URI url, String host, int port, boolean ssl, InetAddress address) {
  }

  private final HttpClient client;
  private final HostAllowList allowList;
  private final AddressBlocks allowInternal;
  private final Resolver resolver;
  private final int maxBytes;
  private final ToolDescriptor descriptor;

  HttpFetchTool(HttpClient client, HostAllowList allowList, AddressBlocks allowInternal, Resolver resolver,
                int maxBytes, long timeoutMs) {
    this.client = client;
    this.allowList = allowList;
    this.allowInternal = allowInternal;
    this.resolver = resolver;
    this.maxBytes = maxBytes;
    ObjectNode arguments = (ObjectNode) StrictObjectSchema.of("""
        {
          "url": {"type": "string", "minLength": 1, "maxLength": %d},
          "method": {"enum": ["GET", "POST"], "default": "GET"},
          "body": {"type": "string", "maxLength": %d},
          "content_type": {"type": "string", "minLength": 1, "maxLength": 128, "pattern": "^[\\\\x21-\\\\x7e][\\\\x20-\\\\x7e]*$"}
        }""".formatted(MAX_URL_LENGTH, MAX_REQUEST_BODY), "url");
    // a body (and its type) only with POST
    arguments.set("if", Json.fromString("{\"properties\": {\"method\": {\"const\": \"POST\"}}, \"required\": [\"method\"]}",
        JsonNode.class));
    arguments.set("else", Json.fromString("{\"not\": {\"anyOf\": [{\"required\": [\"body\"]}, "
        + "{\"required\": [\"content_type\"]}]}}", JsonNode.class));
    this.descriptor = new ToolDescriptor(NAME,
        "HTTP GET or POST of an http or https URL on an allow-listed host that is not an internal address. Returns "
            + "the status, content type and up to " + maxBytes + " bytes of the body as text (truncated is true if "
            + "there was more); follows up to " + MAX_REDIRECTS + " redirects, each checked like the first URL.",
        arguments,
        StrictObjectSchema.of("""
            {
              "status": {"type": "integer"},
              "content_type": {"type": ["string", "null"]},
              "body": {"type": "string"},
              "truncated": {"type": "boolean"},
              "url": {"type": "string"},
              "redirects": {"type": "integer", "minimum": 0}
            }""", "status", "content_type", "body", "truncated", "url", "redirects"),
        timeoutMs, true);
  }

  /** Options for the client this tool is given: no decompression, so the cap counts the bytes on the wire. */
  static HttpClientOptions clientOptions(long timeoutMs) {
    return new HttpClientOptions()
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs))
        .setDecompressionSupported(false)
        .setForceSni(true);
  }

  /** Resolution with the JDK resolver on a worker thread (it blocks), answering every address of the name. */
  static Resolver jdkResolver(Vertx vertx) {
    return host -> vertx.executeBlocking(() -> Arrays.asList(InetAddress.getAllByName(host)), false);
  }

  @Override
  public ToolDescriptor descriptor() {
    return descriptor;
  }

  /** A GET is idempotent and may be retried or re-run after a crash; a POST is not. */
  @Override
  public boolean idempotentFor(JsonNode arguments) {
    return !"POST".equals(arguments.path("method").asText("GET"));
  }

  @Override
  public Future<JsonNode> call(JsonNode arguments, ToolContext context) {
    HttpMethod method = "POST".equals(arguments.path("method").asText("GET")) ? HttpMethod.POST : HttpMethod.GET;
    Request request = new Request(method, arguments.get("url").asText(),
        arguments.hasNonNull("body") ? arguments.get("body").asText() : method == HttpMethod.POST ? "" : null,
        arguments.path("content_type").asText("application/json"));
    return fetch(request, 0, context);
  }

  private Future<JsonNode> fetch(Request request, int redirects, ToolContext context) {
    if (context.abandoned().isComplete()) {
      return Future.failedFuture(new AgentbusException(ErrorCode.TOOL_TIMEOUT,
          "abandoned before fetching " + request.url()));
    }
    return target(request.url()).compose(target -> send(target, request, context)).compose(exchange -> {
      HttpClientResponse response = exchange.response();
      String location = response.getHeader("Location");
      if (!REDIRECTS.contains(response.statusCode()) || location == null) {
        return CappedBody.read(response, maxBytes)
            .map(body -> result(exchange.target().url(), response, body, redirects));
      }
      // the redirect's body is not wanted: reset, and expect the reset to fail the response
      response.exceptionHandler(ignored -> { });
      response.request().reset();
      if (redirects == MAX_REDIRECTS) {
        throw new AgentbusException(ErrorCode.TOOL_FAILED,
            "more than " + MAX_REDIRECTS + " redirects from " + request.url());
      }
      String next = resolveLocation(exchange.target().url(), location);
      boolean keepMethod = response.statusCode() == 307 || response.statusCode() == 308;
      Request followed = keepMethod ? new Request(request.method(), next, request.body(), request.contentType())
          : new Request(HttpMethod.GET, next, null, null);
      return fetch(followed, redirects + 1, context);
    });
  }

  private record Exchange(Target target, HttpClientResponse response) {
  }

  private Future<Exchange> send(Target target, Request request, ToolContext context) {
    String path = target.url().getRawPath() == null || target.url().getRawPath().isEmpty()
        ? "/" : target.url().getRawPath();
    String uri = target.url().getRawQuery() == null ? path : path + "?" + target.url().getRawQuery();
    RequestOptions options = new RequestOptions()
        .setMethod(request.method())
        .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(target.address(), target.port())))
        .setHost(target.host())
        .setPort(target.port())
        .setSsl(target.ssl())
        .setURI(uri)
        .setFollowRedirects(false)
        .setIdleTimeout(context.timeoutMs());
    return client.request(options).compose(outgoing -> {
      context.abandoned().onComplete(v -> outgoing.reset());
      return request.body() == null ? outgoing.send() : post(outgoing, request);
    }).map(response -> new Exchange(target, response));
  }

  private static Future<HttpClientResponse> post(HttpClientRequest outgoing, Request request) {
    outgoing.putHeader("Content-Type", request.contentType());
    return outgoing.send(Buffer.buffer(request.body(), StandardCharsets.UTF_8.name()));
  }

  /**
   * The checked target of a URL, or a failure: {@link ErrorCode#TOOL_DENIED} by policy, {@link ErrorCode#TOOL_FAILED}
   * if it is no URL or the name does not resolve.
   */
  private Future<Target> target(String text) {
    URI url;
    try {
      url = new URI(text);
    } catch (URISyntaxException e) {
      return Future.failedFuture(new AgentbusException(ErrorCode.TOOL_FAILED, "not a valid URL: " + e.getMessage()));
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return denied(text, "only http and https URLs may be fetched");
    }
    if (url.getRawUserInfo() != null) {
      return denied(text, "URLs with user information are not allowed");
    }
    if (url.getHost() == null || url.getHost().isEmpty()) {
      return denied(text, "the URL has no host name");
    }
    if (allowList.isEmpty()) {
      return denied(text, "no host is allowed (" + HostAllowList.SETTING + " is empty)");
    }
    int port = url.getPort() != -1 ? url.getPort() : scheme.equals("https") ? 443 : 80;
    if (!allowList.allows(url.getHost(), port)) {
      return denied(text, url.getHost() + ":" + port + " is not in " + HostAllowList.SETTING);
    }
    String host = url.getHost().startsWith("[") ? url.getHost().substring(1, url.getHost().length() - 1) : url.getHost();
    InetAddress literal;
    try {
      literal = HostLiterals.parse(url.getHost());
    } catch (IllegalArgumentException e) {
      return denied(text, e.getMessage());
    }
    Future<List<InetAddress>> addresses = literal != null ? Future.succeededFuture(List.of(literal))
        : resolver.resolve(host).recover(err -> Future.failedFuture(new AgentbusException(ErrorCode.TOOL_FAILED,
            "cannot resolve " + host + ": " + err.getMessage())));
    return addresses.compose(all -> {
      if (all.isEmpty()) {
        return Future.failedFuture(new AgentbusException(ErrorCode.TOOL_FAILED, host + " has no address"));
      }
      for (InetAddress address : all) {
        String kind = InternalAddresses.kind(address);
        if (kind != null && !allowInternal.contains(address)
            && !allowInternal.contains(InternalAddresses.unwrapped(address))) {
          return denied(text, host + " is " + (literal != null ? "" : "resolves to ") + "a " + kind + " address ("
              + address.getHostAddress() + "); internal addresses need " + Setting.TOOLS_HTTP_ALLOW_INTERNAL.key());
        }
      }
      return Future.succeededFuture(new Target(url, host, port, scheme.equals("https"), all.get(0)));
    });
  }

  private static String resolveLocation(URI base, String location) {
    try {
      return base.resolve(new URI(location)).toString();
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new AgentbusException(ErrorCode.TOOL_FAILED, "redirect from " + base + " to an invalid location: " + location);
    }
  }

  private static <T> Future<T> denied(String url, String why) {
    return Future.failedFuture(new AgentbusException(ErrorCode.TOOL_DENIED, "refused to fetch " + url + ": " + why));
  }

  private static JsonNode result(URI url, HttpClientResponse response, CappedBody.Read body, int redirects) {
    ObjectNode result = Json.object();
    result.put("status", response.statusCode());
    result.put("content_type", response.getHeader("Content-Type"));
    result.put("body", body.bytes().toString(StandardCharsets.UTF_8));
    result.put("truncated", body.truncated());
    result.put("url", url.toString());
    result.put("redirects", redirects);
    return result;
  }
}
