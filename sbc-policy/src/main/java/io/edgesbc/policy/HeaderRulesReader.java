package io.edgesbc.policy;

import io.edgesbc.policy.source.Fields;
import io.edgesbc.policy.source.MapNode;
import io.edgesbc.policy.source.Node;
import io.edgesbc.policy.source.Problems;
import io.edgesbc.policy.source.ScalarNode;
import io.edgesbc.policy.source.Values;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads {@code headers: {remove: [names], add: {name: value}, replace: {name: value},
 * pass_only: [names]}}.
 */
final class HeaderRulesReader {

  private static final List<String> KEYS = List.of("remove", "add", "replace", "pass_only");
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9.!%*_+`'~-]+");
  /**
   * Headers the B2BUA owns on each leg. Letting policy add or remove them would break the dialog,
   * so such rules are rejected at load time instead of being silently ignored later.
   */
  private static final Set<String> PROTECTED = Set.of("via", "call-id", "cseq", "from", "to",
      "contact", "max-forwards", "content-length", "content-type", "route", "record-route");

  private HeaderRulesReader() {}

  static HeaderRules read(Node node, Problems problems) {
    Optional<Fields> fo = Fields.of(node, "'headers'", KEYS, problems);
    if (fo.isEmpty()) {
      return HeaderRules.NONE;
    }
    Fields f = fo.get();
    List<String> remove = names(f, "remove", true, problems);
    List<HeaderRules.Header> add = pairs(f, "add", problems);
    List<HeaderRules.Header> replace = pairs(f, "replace", problems);
    List<String> passOnly = names(f, "pass_only", false, problems);
    return new HeaderRules(remove, add, replace, new LinkedHashSet<>(passOnly));
  }

  private static List<String> names(Fields f, String key, boolean checkProtected, Problems problems) {
    List<String> out = new ArrayList<>();
    f.scalars(key).ifPresent(items -> {
      for (ScalarNode s : items) {
        name(s, checkProtected, problems).ifPresent(out::add);
      }
    });
    return out;
  }

  private static List<HeaderRules.Header> pairs(Fields f, String key, Problems problems) {
    List<HeaderRules.Header> out = new ArrayList<>();
    f.node(key).ifPresent(n -> {
      if (!(n instanceof MapNode map)) {
        problems.add(n, "'" + key + "' must be a mapping of header name to value, got " + n.describe());
        return;
      }
      for (MapNode.Entry e : map.entries()) {
        Optional<String> name = name(e.key(), true, problems);
        Optional<String> value = Values.text(e.value(), "value of header '" + e.name() + "'", problems);
        value.filter(v -> v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0).ifPresent(v ->
            problems.add(e.value(), "header value must be a single line"));
        if (name.isPresent() && value.isPresent()) {
          out.add(new HeaderRules.Header(name.get(), value.get()));
        }
      }
    });
    return out;
  }

  private static Optional<String> name(ScalarNode s, boolean checkProtected, Problems problems) {
    if (!TOKEN.matcher(s.text()).matches()) {
      problems.add(s, "bad header name '" + s.text() + "'");
      return Optional.empty();
    }
    String lower = s.text().toLowerCase(Locale.ROOT);
    if (checkProtected && PROTECTED.contains(lower)) {
      problems.add(s, "header '" + s.text() + "' is managed by the B2BUA and cannot be changed by policy");
      return Optional.empty();
    }
    return Optional.of(lower);
  }
}
