package io.agentbus.launcher;

/** The node answered a request with an error status; {@link #problem()} says why. */
final class ProblemException extends Exception {

  private final transient Problem problem;

  ProblemException(Problem problem) {
    super(problem.describe());
    this.problem = problem;
  }

  Problem problem() {
    return problem;
  }
}
