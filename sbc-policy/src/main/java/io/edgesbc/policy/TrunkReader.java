package io.edgesbc.policy;

import io.edgesbc.policy.match.CidrBlock;
import io.edgesbc.policy.source.Fields;
import io.edgesbc.policy.source.Node;
import io.edgesbc.policy.source.Problems;
import io.edgesbc.policy.source.ScalarNode;
import io.edgesbc.policy.source.Values;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads the {@code trunks} list of one file into the load context. */
final class TrunkReader {

  private static final List<String> KEYS =
      List.of("name", "realm", "from", "targets", "options_ping", "limits", "media", "codecs");

  private TrunkReader() {}

  static void readAll(Node trunksNode, LoadContext ctx) {
    Values.list(trunksNode, "'trunks'", ctx.problems).ifPresent(list -> {
      for (Node item : list.items()) {
        readOne(item, ctx);
      }
    });
  }

  private static void readOne(Node item, LoadContext ctx) {
    Problems problems = ctx.problems;
    Optional<Fields> fo = Fields.of(item, "trunk", KEYS, problems);
    if (fo.isEmpty()) {
      return;
    }
    Fields f = fo.get();
    Optional<String> name = f.required("name").flatMap(ctx.trunkNames::register);
    int before = problems.count();
    String realm = f.text("realm").orElse(null);
    List<CidrBlock> from = f.node("from").map(n -> cidrs(n, problems)).orElse(List.of());
    List<Target> targets = f.node("targets").flatMap(n -> TargetReader.read(n, problems)).orElse(List.of());
    Duration ping = f.node("options_ping").map(n -> optionsPing(n, problems)).orElse(null);
    LimitsRef limits = f.node("limits")
        .map(n -> LimitsReader.read(n, "trunk:" + name.orElse("?"), problems))
        .orElse(LimitsRef.NONE);
    MediaRules media = f.node("media").map(n -> MediaRulesReader.read(n, problems)).orElse(null);
    CodecRules codecs = f.node("codecs").map(n -> CodecRulesReader.read(n, problems)).orElse(null);
    RuleReader.checkCodecsNotBypassed(f, media, problems);
    if (name.isPresent() && problems.count() == before) {
      ctx.trunks.put(name.get(), new Trunk(name.get(), realm, from, targets, ping, limits, media, codecs));
    }
  }

  /** Parses a CIDR or a list of them, reporting each bad one at its own position. */
  static List<CidrBlock> cidrs(Node node, Problems problems) {
    List<CidrBlock> blocks = new ArrayList<>();
    Values.scalars(node, "address list", problems).ifPresent(items -> {
      for (ScalarNode s : items) {
        String[] why = new String[1];
        CidrBlock.parse(s.text(), why).ifPresentOrElse(blocks::add,
            () -> problems.add(s, "bad CIDR '" + s.text() + "': " + why[0]));
      }
    });
    return blocks;
  }

  private static Duration optionsPing(Node node, Problems problems) {
    // "off"/false disables pinging explicitly, which reads better than leaving the key out.
    if (node instanceof ScalarNode s && (s.text().equals("off") || s.text().equals("false")
        || s.text().equals("no"))) {
      return null;
    }
    return DurationValues.read(node, "'options_ping'", Duration.ofSeconds(1), Duration.ofHours(1),
        problems).orElse(null);
  }
}
