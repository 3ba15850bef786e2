package io.agentbus.node;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** A free loopback port, for settings given as 0 that must be one concrete port before anything binds. */
public final class FreePorts {

  private FreePorts() {
  }

  public static int pick() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    }
  }
}
