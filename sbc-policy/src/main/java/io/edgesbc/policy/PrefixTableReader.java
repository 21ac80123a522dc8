package io.edgesbc.policy;

import io.edgesbc.policy.prefix.PrefixTable;
import io.edgesbc.policy.source.Fields;
import io.edgesbc.policy.source.MapNode;
import io.edgesbc.policy.source.Node;
import io.edgesbc.policy.source.Position;
import io.edgesbc.policy.source.Values;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Reads {@code prefix_tables}: a mapping from table name to {@code {entries, file}}, where
 * {@code entries} maps prefixes to trunk names inline and {@code file} names a CSV resolved
 * relative to the YAML file. Both may be given; a prefix defined twice is an error.
 */
final class PrefixTableReader {

  private static final List<String> KEYS = List.of("entries", "file");

  private PrefixTableReader() {}

  static void readAll(Node tablesNode, Path yamlFile, LoadContext ctx) {
    if (!(tablesNode instanceof MapNode tables)) {
      ctx.problems.add(tablesNode, "'prefix_tables' must be a mapping of table name to table, got "
          + tablesNode.describe());
      return;
    }
    for (MapNode.Entry e : tables.entries()) {
      Optional<String> name = ctx.tableNames.register(e.key());
      Optional<Fields> f = Fields.of(e.value(), "prefix table '" + e.name() + "'", KEYS, ctx.problems);
      if (f.isEmpty()) {
        continue;
      }
      int before = ctx.problems.count();
      PrefixTable.Builder builder = readTable(f.get(), yamlFile, ctx);
      if (name.isPresent() && builder != null && ctx.problems.count() == before) {
        ctx.tables.put(name.get(), builder.build());
        ctx.tableTrunks.put(name.get(), builder.distinctValues());
      }
    }
  }

  private static PrefixTable.Builder readTable(Fields f, Path yamlFile, LoadContext ctx) {
    if (!f.has("entries") && !f.has("file")) {
      ctx.problems.add(f.map(), f.context() + " needs 'entries', 'file' or both");
      return null;
    }
    PrefixTable.Builder builder = PrefixTable.builder();
    f.node("entries").ifPresent(n -> readInline(n, yamlFile, builder, ctx));
    f.node("file").flatMap(n -> Values.text(n, "'file'", ctx.problems).map(file -> {
      Path dir = yamlFile.getParent();
      Path csv = dir == null ? Path.of(file) : dir.resolve(file).normalize();
      return PrefixCsvReader.read(csv, builder, n.position(), yamlFile, ctx);
    }));
    return builder;
  }

  /**
   * Builder tags remember where a prefix was first defined: YAML lines as negative numbers, CSV
   * lines as positive ones, so a duplicate can name the right file.
   */
  static int inlineTag(int yamlLine) {
    return -yamlLine;
  }

  static String firstDefinition(int tag, Path yamlFile, Path csvFile) {
    return tag < 0 ? yamlFile + ":" + (-tag) : csvFile + ":" + tag;
  }

  private static void readInline(Node node, Path yamlFile, PrefixTable.Builder builder,
      LoadContext ctx) {
    if (!(node instanceof MapNode entries)) {
      ctx.problems.add(node, "'entries' must be a mapping of prefix to trunk, got " + node.describe());
      return;
    }
    for (MapNode.Entry e : entries.entries()) {
      String prefix = e.name();
      Optional<String> trunk = Values.text(e.value(), "trunk of prefix '" + prefix + "'", ctx.problems);
      if (!PrefixTable.isValidPrefix(prefix)) {
        ctx.problems.add(e.key(), "bad prefix '" + prefix + "': digits only, optionally after '+'");
        continue;
      }
      if (trunk.isEmpty()) {
        continue;
      }
      if (!ctx.trunkNames.contains(trunk.get())) {
        ctx.problems.add(e.value(), "unknown trunk '" + trunk.get() + "'");
        continue;
      }
      Position at = e.key().position();
      int first = builder.put(prefix, trunk.get(), inlineTag(at.line()));
      if (first != PrefixTable.NEW) {
        ctx.problems.add(at, "duplicate prefix '" + prefix + "' (first at "
            + firstDefinition(first, yamlFile, null) + ")");
      }
    }
  }
}
