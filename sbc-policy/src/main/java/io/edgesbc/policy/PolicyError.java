package io.edgesbc.policy;

import java.nio.file.Path;
import java.util.Objects;

/** A problem in a rule file, at a 1-based line and column. */
public record PolicyError(Path file, int line, int column, String message) {

  public PolicyError {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(message, "message");
  }

  /** {@code FILE:LINE:COLUMN: message}, the format editors and CI logs link to. */
  @Override
  public String toString() {
    return file + ":" + line + ":" + column + ": " + message;
  }
}
