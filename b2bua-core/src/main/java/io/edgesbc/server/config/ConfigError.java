package io.edgesbc.server.config;

/** A problem in a configuration file, printed as {@code FILE:LINE:COLUMN: message}. */
public record ConfigError(String file, int line, int column, String message) {
    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + message;
    }
}
