package io.edgesbc.policy.source;

import java.nio.file.Path;
import java.util.Objects;

/** A 1-based line and column in a source file. */
public record Position(Path file, int line, int column) {
  public Position {
    Objects.requireNonNull(file, "file");
  }

  @Override
  public String toString() {
    return file + ":" + line + ":" + column;
  }
}
