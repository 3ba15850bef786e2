package io.agentbus.launcher;

import java.io.PrintWriter;
import java.io.StringWriter;

/** What one command line printed and returned, run in-process as the agentbus script would run it. */
record CommandRun(int exitCode, String out, String err) {

  static CommandRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = AgentbusCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    return new CommandRun(code, out.toString(), err.toString());
  }
}
