package io.agentbus.launcher;

import java.net.URI;
import java.net.URISyntaxException;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The {@code --url} option of every command that talks to a node over HTTP. */
public final class ServerUrlOption {

  @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
  CommandLine.Model.CommandSpec mixee;

  @Option(names = "--url", paramLabel = "URL", defaultValue = "${env:AGENTBUS_URL:-http://127.0.0.1:8080}",
      description = "Node HTTP address (default: $AGENTBUS_URL, else http://127.0.0.1:8080; now ${DEFAULT-VALUE})")
  String url;

  /**
   * The node's base address without a trailing slash.
   *
   * @throws CommandLine.ParameterException if it is not an absolute http(s) URL
   */
  public URI baseUri() {
    try {
      URI uri = new URI(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
      if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        throw new URISyntaxException(url, "not an http(s) URL with a host");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new CommandLine.ParameterException(mixee.commandLine(), "--url: " + e.getMessage());
    }
  }
}
