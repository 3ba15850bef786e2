package io.agentbus.gateway.auth;

import io.agentbus.api.AgentbusException;
import io.agentbus.api.ErrorCode;
import io.agentbus.config.NodeConfig;
import io.agentbus.config.Setting;
import io.agentbus.node.HomePaths;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks the credential of a request on any ingress (HTTP, SSE, gRPC metadata, the bridge): the value of its
 * {@code Authorization} header, {@code Bearer <JWT>} or {@code Bearer abk_<API key>}. A JWT must be signed with one
 * of auth.jwt.algorithms by the configured key (so neither {@code alg: none} nor an HS256 token "signed" with a
 * public key passes), carry the configured iss and aud, an exp in the future, a sub and a tenant claim; its scopes
 * come from {@code scope} (space separated) or {@code scopes} (array). Failures are {@link ErrorCode#UNAUTHENTICATED}
 * and never repeat the credential. Built once (blocking: it reads key files), then used from any thread.
 */
public final class CredentialVerifier {

  /** Prefix of API keys, so a bearer value is told apart from a JWT without trying to decode it. */
  public static final String API_KEY_PREFIX = "abk_";
  private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final int MAX_CREDENTIAL_CHARS = 8192;

  private final JWTAuth jwt;
  private final String issuer;
  private final String audience;
  private final Map<String, Principal> apiKeys;

  private CredentialVerifier(JWTAuth jwt, String issuer, String audience, Map<String, Principal> apiKeys) {
    this.jwt = jwt;
    this.issuer = issuer;
    this.audience = audience;
    this.apiKeys = apiKeys;
  }

  /** True when auth.mode is dev-none: nothing is checked and every caller is {@link Principal#ANONYMOUS}. */
  public static boolean disabled(NodeConfig config) {
    String mode = config.get(Setting.AUTH_MODE).trim().toLowerCase(Locale.ROOT);
    return switch (mode) {
      case "dev-none" -> true;
      case "jwt" -> false;
      default -> throw new io.agentbus.config.ConfigException("auth.mode must be jwt or dev-none, not " + mode);
    };
  }

  /** The verifier of this configuration (null when auth is disabled). Blocking: reads (or creates) key files. */
  public static CredentialVerifier load(Vertx vertx, NodeConfig config) {
    if (disabled(config)) {
      return null;
    }
    JWTAuthOptions options = new JWTAuthOptions().setJWTOptions(new JWTOptions()
        .setIssuer(config.get(Setting.AUTH_JWT_ISSUER))
        .setAudience(List.of(config.get(Setting.AUTH_JWT_AUDIENCE)))
        .setLeeway(5));
    for (String alg : config.getList(Setting.AUTH_JWT_ALGORITHMS)) {
      switch (alg.trim().toUpperCase(Locale.ROOT)) {
        case "HS256" -> options.addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256")
            .setBuffer(DevKey.secret(config)));
        case "RS256", "ES256" -> options.addPubSecKey(new PubSecKeyOptions().setAlgorithm(alg.trim().toUpperCase(Locale.ROOT))
            .setBuffer(read(config.get(Setting.AUTH_JWT_PUBLIC_KEY_FILE), "auth.jwt.public-key-file")));
        default -> throw new io.agentbus.config.ConfigException(
            "auth.jwt.algorithms: " + alg + " is not supported (HS256, RS256, ES256)");
      }
    }
    return new CredentialVerifier(JWTAuth.create(vertx, options), config.get(Setting.AUTH_JWT_ISSUER),
        config.get(Setting.AUTH_JWT_AUDIENCE), apiKeys(config.get(Setting.AUTH_API_KEY_FILE)));
  }

  /**
   * The principal of an {@code Authorization} header value (null: none sent), or a failed future with an
   * {@link ErrorCode#UNAUTHENTICATED} {@link AgentbusException}.
   */
  public Future<Principal> verify(String authorization) {
    if (authorization == null || authorization.isBlank()) {
      return refuse("send a credential: Authorization: Bearer <token or API key>");
    }
    if (authorization.length() > MAX_CREDENTIAL_CHARS) {
      return refuse("the credential is longer than " + MAX_CREDENTIAL_CHARS + " characters");
    }
    String[] parts = authorization.trim().split("\\s+", 2);
    if (parts.length != 2 || !parts[0].equalsIgnoreCase("Bearer")) {
      return refuse("the Authorization header must be 'Bearer <token or API key>'");
    }
    String credential = parts[1];
    if (credential.startsWith(API_KEY_PREFIX)) {
      Principal p = apiKeys.get(sha256(credential));
      return p == null ? refuse("unknown API key") : Future.succeededFuture(p);
    }
    Future<io.vertx.ext.auth.User> authenticated;
    try {
      authenticated = jwt.authenticate(new TokenCredentials(credential));
    } catch (RuntimeException malformed) {
      // some malformed claims (a null exp) make the library throw instead of failing the future
      return refuse("invalid token: malformed claims");
    }
    return authenticated.recover(err -> refuse("invalid token: " + safeReason(err)))
        .compose(user -> principal(user.attributes().getJsonObject("accessToken")));
  }

  private Future<Principal> principal(JsonObject claims) {
    if (claims == null) {
      return refuse("invalid token: no claims");
    }
    // vertx-auth-jwt checks these when present; agentbus requires them
    if (!issuer.equals(claims.getValue("iss"))) {
      return refuse("invalid token: wrong or missing issuer");
    }
    Object aud = claims.getValue("aud");
    boolean audienceOk = audience.equals(aud) || (aud instanceof JsonArray a && a.contains(audience));
    if (!audienceOk) {
      return refuse("invalid token: wrong or missing audience");
    }
    if (!(claims.getValue("exp") instanceof Number exp)) {
      return refuse("invalid token: it has no expiry (exp)");
    }
    Object tenant = claims.getValue("tenant");
    if (!(tenant instanceof String t) || !TENANT.matcher(t).matches()) {
      return refuse("invalid token: the tenant claim is missing or not 1-64 of [A-Za-z0-9._-]");
    }
    Object sub = claims.getValue("sub");
    if (!(sub instanceof String s) || s.isBlank()) {
      return refuse("invalid token: no subject (sub)");
    }
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    if (claims.getValue("scope") instanceof String list) {
      for (String claim : list.trim().split("\\s+")) {
        add(scopes, claim);
      }
    }
    if (claims.getValue("scopes") instanceof JsonArray list) {
      list.forEach(claim -> add(scopes, String.valueOf(claim)));
    }
    return Future.succeededFuture(new Principal(t, s, Set.copyOf(scopes), exp.longValue()));
  }

  private static void add(Set<Scope> scopes, String claim) {
    Scope scope = Scope.ofClaim(claim);
    if (scope != null) {
      scopes.add(scope);
    }
  }

  // the library's messages name the failed check (signature, expiry, audience...); none quotes the token
  private static String safeReason(Throwable err) {
    String m = err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage();
    return m.length() > 200 ? m.substring(0, 200) : m;
  }

  private static <T> Future<T> refuse(String detail) {
    return Future.failedFuture(new AgentbusException(ErrorCode.UNAUTHENTICATED, detail));
  }

  private static String read(String path, String setting) {
    if (path == null || path.isBlank()) {
      throw new io.agentbus.config.ConfigException(setting + " must name a PEM public key for RS256/ES256");
    }
    try {
      return Files.readString(HomePaths.existing(path), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + setting + " " + path, e);
    }
  }

  private static Map<String, Principal> apiKeys(String path) {
    Map<String, Principal> keys = new HashMap<>();
    if (path == null || path.isBlank()) {
      return keys;
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(HomePaths.existing(path), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read auth.api-key-file " + path, e);
    }
    int n = 0;
    for (String line : lines) {
      n++;
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      String[] f = l.split("\\s+");
      if (f.length != 4 || !f[0].matches("[0-9a-f]{64}") || !TENANT.matcher(f[1]).matches()) {
        throw new io.agentbus.config.ConfigException("auth.api-key-file " + path + " line " + n
            + ": expected <sha256 hex> <tenant> <subject> <scope,scope,...>");
      }
      Set<Scope> scopes = EnumSet.noneOf(Scope.class);
      for (String s : f[3].split(",")) {
        Scope scope = Scope.ofClaim(s);
        if (scope == null) {
          throw new io.agentbus.config.ConfigException("auth.api-key-file " + path + " line " + n
              + ": unknown scope " + s);
        }
        scopes.add(scope);
      }
      keys.put(f[0], new Principal(f[1], f[2], Set.copyOf(scopes), 0));
    }
    return keys;
  }

  /** The hex SHA-256 of an API key, as auth.api-key-file lists it. */
  public static String sha256(String apiKey) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(apiKey.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
