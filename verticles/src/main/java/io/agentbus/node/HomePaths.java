package io.agentbus.node;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resolves the relative paths in settings (cluster configs, the work directory): absolute paths stay, relative
 * ones are taken from the agentbus home (system property {@code agentbus.home}, set by the launcher script to the
 * project directory) when it has them, else from the working directory.
 */
public final class HomePaths {

  public static final String HOME_PROPERTY = "agentbus.home";

  private HomePaths() {
  }

  public static Path home() {
    String home = System.getProperty(HOME_PROPERTY);
    return home == null || home.isBlank() ? Path.of("").toAbsolutePath() : Path.of(home).toAbsolutePath();
  }

  /** An existing file: the path itself if absolute or present in the working directory, else under home. */
  public static Path existing(String path) {
    Path p = Path.of(path);
    if (p.isAbsolute() || Files.exists(p)) {
      return p.toAbsolutePath();
    }
    return home().resolve(p);
  }

  /** A directory to write to: absolute as given, relative under home. */
  public static Path writable(String path) {
    Path p = Path.of(path);
    return p.isAbsolute() ? p : home().resolve(p);
  }
}
