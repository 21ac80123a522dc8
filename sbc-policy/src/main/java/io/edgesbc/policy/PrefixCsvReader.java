package io.edgesbc.policy;

import io.edgesbc.policy.prefix.PrefixTable;
import io.edgesbc.policy.source.Position;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a {@code prefix,trunk} CSV into a table builder. Blank lines and lines starting with
 * {@code #} are skipped, as is a first line {@code prefix,trunk}. Errors point at the CSV file's
 * own line and column.
 *
 * <p>Written by hand rather than with a CSV library: the format is two plain fields, and a
 * 100,000-line file must load quickly with one pass over the bytes.
 */
final class PrefixCsvReader {

  /** A broken 100k-line file would otherwise bury the first, useful errors. */
  static final int MAX_ERRORS_PER_FILE = 100;

  private PrefixCsvReader() {}

  /** Returns true if the file was read (even with errors in it). */
  static boolean read(Path csv, PrefixTable.Builder builder, Position referencedAt, Path yamlFile,
      LoadContext ctx) {
    byte[] bytes;
    ctx.files.add(csv);
    try {
      bytes = Files.readAllBytes(csv);
    } catch (IOException e) {
      ctx.problems.add(referencedAt, "cannot read prefix file '" + csv + "': " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : " " + e.getMessage()));
      return false;
    }
    ctx.digest.update(bytes);
    String text = new String(bytes, StandardCharsets.UTF_8);
    int errors = 0;
    int lineNo = 0;
    int start = 0;
    boolean firstContentLine = true;
    while (start < text.length()) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        end = text.length();
      }
      lineNo++;
      String line = text.substring(start, end > start && text.charAt(end - 1) == '\r' ? end - 1 : end);
      start = end + 1;
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      boolean header = firstContentLine && trimmed.equalsIgnoreCase("prefix,trunk");
      firstContentLine = false;
      if (header) {
        continue;
      }
      String error = readLine(line, lineNo, csv, yamlFile, builder, ctx);
      if (error != null && ++errors >= MAX_ERRORS_PER_FILE) {
        ctx.problems.add(new Position(csv, lineNo, 1),
            "too many errors in this file; further errors not reported");
        break;
      }
    }
    return true;
  }

  /** Returns non-null if the line had an error (already reported). */
  private static String readLine(String line, int lineNo, Path csv, Path yamlFile,
      PrefixTable.Builder builder, LoadContext ctx) {
    int comma = line.indexOf(',');
    if (comma < 0 || line.indexOf(',', comma + 1) >= 0) {
      return report(ctx, csv, lineNo, 1, "expected 'prefix,trunk'");
    }
    String rawPrefix = line.substring(0, comma);
    String rawTrunk = line.substring(comma + 1);
    String prefix = rawPrefix.strip();
    String trunk = rawTrunk.strip();
    int prefixCol = 1 + leadingSpace(rawPrefix);
    int trunkCol = comma + 2 + leadingSpace(rawTrunk);
    if (!PrefixTable.isValidPrefix(prefix)) {
      return report(ctx, csv, lineNo, prefixCol, "bad prefix '" + prefix + "': digits only, optionally after '+'");
    }
    if (!ctx.trunkNames.contains(trunk)) {
      return report(ctx, csv, lineNo, trunkCol, trunk.isEmpty() ? "missing trunk" : "unknown trunk '" + trunk + "'");
    }
    int first = builder.put(prefix, trunk, lineNo);
    if (first != PrefixTable.NEW) {
      return report(ctx, csv, lineNo, prefixCol, "duplicate prefix '" + prefix + "' (first at "
          + PrefixTableReader.firstDefinition(first, yamlFile, csv) + ")");
    }
    return null;
  }

  private static String report(LoadContext ctx, Path csv, int line, int column, String message) {
    ctx.problems.add(new Position(csv, line, column), message);
    return message;
  }

  private static int leadingSpace(String s) {
    int i = 0;
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }
}
