package io.agentbus.gateway.auth;

import io.agentbus.config.NodeConfig;
import io.agentbus.config.Setting;
import io.agentbus.node.HomePaths;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The HS256 secret of auth.jwt.hmac-key-file, generated once (256 random bits, owner-only file) when missing, and
 * tokens signed with it: the development credential {@code agentbus up} prints. Blocking (file I/O).
 */
public final class DevKey {

  private DevKey() {
  }

  /** The secret of the configured HMAC key file, created first if it does not exist. */
  public static String secret(NodeConfig config) {
    Path file = HomePaths.writable(config.get(Setting.AUTH_JWT_HMAC_KEY_FILE));
    try {
      if (!Files.exists(file)) {
        create(file);
      }
      String secret = Files.readString(file, StandardCharsets.UTF_8).trim();
      if (secret.length() < 32) {
        throw new IllegalStateException("the HMAC key in " + file + " is shorter than 32 characters");
      }
      return secret;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the JWT HMAC key " + file, e);
    }
  }

  // written to a temporary file and linked into place without replacing, so gateways and nodes starting together
  // agree on one key
  private static void create(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".key", ".tmp");
    try {
      try {
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // the file stays with the platform's default permissions
      }
      Files.writeString(tmp, HexFormat.of().formatHex(bytes) + "\n", StandardCharsets.UTF_8);
      // a hard link is created only where nothing is (a rename would replace a key another node already uses)
      Files.createLink(file, tmp);
    } catch (FileAlreadyExistsException another) {
      // another node created it first: use theirs
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** An HS256 token for this principal from the configured key, issuer and audience, valid for ttlSeconds. */
  public static String token(Vertx vertx, NodeConfig config, String tenant, String subject, Set<Scope> scopes,
                             int ttlSeconds) {
    JWTAuth signer = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret(config))));
    JsonObject claims = new JsonObject().put("sub", subject).put("tenant", tenant)
        .put("scope", scopes.stream().map(Scope::claim).sorted().collect(Collectors.joining(" ")));
    return signer.generateToken(claims, new JWTOptions().setAlgorithm("HS256").setExpiresInSeconds(ttlSeconds)
        .setIssuer(config.get(Setting.AUTH_JWT_ISSUER))
        .setAudience(new JsonArray().add(config.get(Setting.AUTH_JWT_AUDIENCE)).getList()));
  }
}
