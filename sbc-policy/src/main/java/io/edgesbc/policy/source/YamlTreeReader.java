package io.edgesbc.policy.source;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
// SnakeYAML comes with jackson-dataformat-yaml; its exception carries the precise problem mark.
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads one YAML document into a {@link Node} tree, keeping each token's position.
 *
 * <p>Syntax errors end the read of that file (the rest of it cannot be trusted) but are reported
 * as problems, not thrown, so other files of the set are still checked.
 */
public final class YamlTreeReader {

  private static final YAMLFactory FACTORY = new YAMLFactory();

  private final Path file;
  private final Problems problems;

  private YamlTreeReader(Path file, Problems problems) {
    this.file = file;
    this.problems = problems;
  }

  /**
   * Parses {@code content} as a single YAML document.
   *
   * @return the root node; an empty mapping for an empty file; empty on a syntax error
   */
  public static Optional<Node> read(Path file, byte[] content, Problems problems) {
    return new YamlTreeReader(file, problems).readDocument(content);
  }

  private Optional<Node> readDocument(byte[] content) {
    try (YAMLParser parser = FACTORY.createParser(content)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return Optional.of(new MapNode(new Position(file, 1, 1), List.of()));
      }
      Node root = readValue(parser, first);
      if (root == null) {
        return Optional.empty();
      }
      JsonToken extra = parser.nextToken();
      if (extra != null) {
        problems.add(position(parser.currentTokenLocation()),
            "only one YAML document per file is supported");
        return Optional.empty();
      }
      return Optional.of(root);
    } catch (JsonProcessingException e) {
      reportSyntaxError(e);
      return Optional.empty();
    } catch (IOException e) {
      problems.add(new Position(file, 1, 1), "cannot read: " + e.getMessage());
      return Optional.empty();
    }
  }

  /** Returns null after reporting a problem that makes the rest of the document unreliable. */
  private Node readValue(YAMLParser parser, JsonToken token) throws IOException {
    Position at = position(parser.currentTokenLocation());
    if (parser.isCurrentAlias()) {
      // Jackson hands an alias back as a plain string; silently using the anchor name would be
      // wrong, and guessing a value would only produce follow-on errors, so stop here.
      problems.add(at, "YAML aliases (*" + parser.getText() + ") are not supported");
      return null;
    }
    switch (token) {
      case START_OBJECT:
        return readMap(parser, at);
      case START_ARRAY:
        return readList(parser, at);
      case VALUE_STRING:
        return new ScalarNode(at, ScalarNode.Kind.STRING, parser.getText());
      case VALUE_NUMBER_INT:
        return new ScalarNode(at, ScalarNode.Kind.INTEGER, parser.getText());
      case VALUE_NUMBER_FLOAT:
        return new ScalarNode(at, ScalarNode.Kind.DECIMAL, parser.getText());
      case VALUE_TRUE:
      case VALUE_FALSE:
        return new ScalarNode(at, ScalarNode.Kind.BOOLEAN, parser.getText());
      case VALUE_NULL:
        return new ScalarNode(at, ScalarNode.Kind.NULL, "");
      default:
        problems.add(at, "unsupported YAML construct (" + token + ")");
        return null;
    }
  }

  private Node readMap(YAMLParser parser, Position at) throws IOException {
    List<MapNode.Entry> entries = new ArrayList<>();
    Map<String, Position> seen = new HashMap<>();
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_OBJECT) {
      if (token != JsonToken.FIELD_NAME) {
        problems.add(position(parser.currentTokenLocation()), "expected a key");
        return null;
      }
      Position keyAt = position(parser.currentTokenLocation());
      String name = parser.currentName();
      ScalarNode key = new ScalarNode(keyAt, ScalarNode.Kind.STRING, name);
      Node value = readValue(parser, parser.nextToken());
      if (value == null) {
        return null;
      }
      Position earlier = seen.putIfAbsent(name, keyAt);
      if (earlier != null) {
        problems.add(keyAt, "duplicate key '" + name + "' (first at line " + earlier.line() + ")");
        continue;
      }
      entries.add(new MapNode.Entry(key, value));
    }
    return new MapNode(at, entries);
  }

  private Node readList(YAMLParser parser, Position at) throws IOException {
    List<Node> items = new ArrayList<>();
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
      Node item = readValue(parser, token);
      if (item == null) {
        return null;
      }
      items.add(item);
    }
    return new ListNode(at, items);
  }

  private Position position(JsonLocation location) {
    if (location == null || location.getLineNr() < 1) {
      return new Position(file, 1, 1);
    }
    return new Position(file, location.getLineNr(), Math.max(1, location.getColumnNr()));
  }

  /**
   * Reports a syntax error at SnakeYAML's problem mark: Jackson's own location for these errors is
   * wherever its reader happened to stop, often a line away from the real mistake.
   */
  private void reportSyntaxError(JsonProcessingException e) {
    if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
      Mark mark = marked.getProblemMark();
      String message = marked.getProblem() == null ? "unreadable document" : marked.getProblem();
      if (marked.getContext() != null && marked.getContextMark() != null) {
        Mark ctx = marked.getContextMark();
        message += " (" + marked.getContext() + " at line " + (ctx.getLine() + 1) + ", column "
            + (ctx.getColumn() + 1) + ")";
      }
      problems.add(new Position(file, mark.getLine() + 1, mark.getColumn() + 1),
          "YAML syntax error: " + message);
      return;
    }
    problems.add(position(e.getLocation()), "YAML syntax error: " + firstLine(e.getOriginalMessage()));
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable document";
    }
    String line = message.strip().lines().findFirst().orElse(message);
    return line.isBlank() ? "unreadable document" : line;
  }
}
