package io.edgesbc.policy;

import io.edgesbc.policy.source.Fields;
import io.edgesbc.policy.source.Node;
import io.edgesbc.policy.source.Problems;
import io.edgesbc.policy.source.ScalarNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads {@code codecs: {allow: [..], deny: [..], order: [..]}}; names are normalised to upper case. */
final class CodecRulesReader {

  private static final List<String> KEYS = List.of("allow", "deny", "order");
  // SDP encoding names (rtpmap) such as PCMA, G722, opus, telephone-event, AMR-WB.
  private static final Pattern ENCODING = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private CodecRulesReader() {}

  static CodecRules read(Node node, Problems problems) {
    Optional<Fields> fo = Fields.of(node, "'codecs'", KEYS, problems);
    if (fo.isEmpty()) {
      return CodecRules.NONE;
    }
    Fields f = fo.get();
    Map<String, ScalarNode> allowed = new HashMap<>();
    List<String> allow = names(f, "allow", allowed, problems);
    List<String> deny = names(f, "deny", new HashMap<>(), problems);
    f.scalars("deny").ifPresent(items -> items.stream()
        .filter(s -> allowed.containsKey(s.text().toUpperCase(Locale.ROOT)))
        .forEach(s -> problems.add(s, "codec '" + s.text() + "' is both allowed and denied")));
    List<String> order = names(f, "order", new HashMap<>(), problems);
    f.scalars("order").ifPresent(items -> items.stream()
        .filter(s -> deny.contains(s.text().toUpperCase(Locale.ROOT)))
        .forEach(s -> problems.add(s, "codec '" + s.text() + "' is ordered but denied")));
    f.scalars("order").ifPresent(items -> items.stream()
        .filter(s -> !allow.isEmpty() && ENCODING.matcher(s.text()).matches()
            && !allowed.containsKey(s.text().toUpperCase(Locale.ROOT))
            && !deny.contains(s.text().toUpperCase(Locale.ROOT)))
        .forEach(s -> problems.add(s, "codec '" + s.text() + "' is ordered but not in 'allow'")));
    return new CodecRules(allow, deny, order);
  }

  private static List<String> names(Fields f, String key, Map<String, ScalarNode> seen,
      Problems problems) {
    List<String> out = new ArrayList<>();
    f.scalars(key).ifPresent(items -> {
      for (ScalarNode s : items) {
        String upper = s.text().toUpperCase(Locale.ROOT);
        if (!ENCODING.matcher(s.text()).matches()) {
          problems.add(s, "bad codec name '" + s.text() + "'");
        } else if (seen.putIfAbsent(upper, s) != null) {
          problems.add(s, "codec '" + s.text() + "' listed twice in '" + key + "'");
        } else {
          out.add(upper);
        }
      }
    });
    return out;
  }
}
