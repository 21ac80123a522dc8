package io.edgesbc.policy;

import io.edgesbc.policy.match.CidrBlock;
import io.edgesbc.policy.match.HeaderCondition;
import io.edgesbc.policy.match.RequestMatcher;
import io.edgesbc.policy.match.TextMatcher;
import io.edgesbc.policy.source.Fields;
import io.edgesbc.policy.source.Node;
import io.edgesbc.policy.source.Problems;
import io.edgesbc.policy.source.ScalarNode;
import io.edgesbc.policy.source.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Compiles a rule's {@code match} section. All conditions present must hold. Cheap checks
 * (method, realm, addresses) are placed before string and regex checks.
 */
final class MatchReader {

  private static final List<String> KEYS = List.of("trunk", "realm", "source", "method",
      "ruri_user", "ruri_host", "from_user", "from_domain", "to_user", "to_domain", "headers");
  private static final List<String> HEADER_KEYS = List.of("name", "present", "prefix", "exact", "regex");
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9.!%*_+`'~-]+");

  private MatchReader() {}

  /** A compiled {@code match}: the condition and the keys the rule index files it under. */
  record Compiled(RequestMatcher matcher, IndexKeys keys) {
    static final Compiled ANY = new Compiled(RequestMatcher.ANY, IndexKeys.NONE);
  }

  static Compiled read(Node node, String ruleName, LoadContext ctx) {
    Problems problems = ctx.problems;
    Optional<Fields> fo = Fields.of(node, "match of rule '" + ruleName + "'", KEYS, problems);
    if (fo.isEmpty()) {
      return Compiled.ANY;
    }
    Fields f = fo.get();
    List<RequestMatcher> all = new ArrayList<>();
    // Index keys: each is implied by a condition added below (see IndexKeys).
    List<List<String>> methodKey = new ArrayList<>(1);
    List<List<String>> realmKey = new ArrayList<>(1);
    f.scalars("method").ifPresent(items -> {
      // SIP method names are case-sensitive (RFC 3261 section 7.1), so compare as written.
      List<String> methods = new ArrayList<>();
      for (ScalarNode s : items) {
        if (!TOKEN.matcher(s.text()).matches()) {
          problems.add(s, "bad SIP method '" + s.text() + "'");
        }
        methods.add(s.text());
      }
      methodKey.add(methods);
      all.add(0, view -> methods.contains(view.method()));
    });
    f.scalars("realm").ifPresent(items -> {
      List<String> realms = items.stream().map(ScalarNode::text).toList();
      realmKey.add(realms);
      all.add(view -> realms.contains(view.realm()));
    });
    f.node("source").ifPresent(n -> {
      List<CidrBlock> blocks = TrunkReader.cidrs(n, problems);
      all.add(view -> {
        for (CidrBlock b : blocks) {
          if (b.contains(view.sourceAddress())) {
            return true;
          }
        }
        return false;
      });
    });
    f.scalars("trunk").ifPresent(items -> sourceTrunks(items, ctx).ifPresent(all::add));
    if (realmKey.isEmpty()) {
      // A trunk only matches on its own realm, so trunks that all name one imply a realm key.
      trunkRealms(f, ctx).ifPresent(realmKey::add);
    }
    TextMatcher ruriUser = text(f, "ruri_user", false, RequestViewField.RURI_USER, all);
    text(f, "ruri_host", true, RequestViewField.RURI_HOST, all);
    text(f, "from_user", false, RequestViewField.FROM_USER, all);
    text(f, "from_domain", true, RequestViewField.FROM_DOMAIN, all);
    text(f, "to_user", false, RequestViewField.TO_USER, all);
    text(f, "to_domain", true, RequestViewField.TO_DOMAIN, all);
    f.list("headers").ifPresent(list -> {
      for (Node h : list.items()) {
        header(h, problems).ifPresent(all::add);
      }
    });
    IndexKeys keys = new IndexKeys(methodKey.isEmpty() ? null : methodKey.get(0),
        realmKey.isEmpty() ? null : realmKey.get(0),
        ruriUser instanceof TextMatcher.Regex ? null : ruriUser);
    return new Compiled(RequestMatcher.allOf(all), keys);
  }

  /** The realms of the source trunks named in {@code trunk}, if every one of them has a realm. */
  private static Optional<List<String>> trunkRealms(Fields f, LoadContext ctx) {
    Optional<List<ScalarNode>> names = f.scalars("trunk");
    if (names.isEmpty()) {
      return Optional.empty();
    }
    List<String> realms = new ArrayList<>();
    for (ScalarNode s : names.get()) {
      Trunk t = ctx.trunks.get(s.text());
      if (t == null || t.realm() == null) {
        return Optional.empty();
      }
      realms.add(t.realm());
    }
    return Optional.of(realms);
  }

  /** The request came from any of the named trunks (address in its {@code from}, right realm). */
  private static Optional<RequestMatcher> sourceTrunks(List<ScalarNode> names, LoadContext ctx) {
    List<Trunk> trunks = new ArrayList<>();
    for (ScalarNode s : names) {
      Trunk t = ctx.trunks.get(s.text());
      if (!ctx.trunkNames.contains(s.text())) {
        ctx.problems.add(s, "unknown trunk '" + s.text() + "'");
      } else if (t != null && t.from().isEmpty()) {
        ctx.problems.add(s, "trunk '" + s.text() + "' has no 'from' addresses, so no request can come from it");
      } else if (t != null) {
        trunks.add(t);
      }
    }
    if (trunks.size() != names.size()) {
      return Optional.empty();
    }
    return Optional.of(view -> {
      for (Trunk t : trunks) {
        if (t.isSourceOf(view.sourceAddress(), view.realm())) {
          return true;
        }
      }
      return false;
    });
  }

  /** Adds the text condition on {@code key} if present and returns its matcher, else null. */
  private static TextMatcher text(Fields f, String key, boolean ignoreCase, RequestViewField field,
      List<RequestMatcher> all) {
    Optional<TextMatcher> matcher = f.node(key)
        .flatMap(n -> TextMatcherReader.read(n, "'" + key + "'", ignoreCase, f.problems()));
    matcher.ifPresent(m -> all.add(view -> m.matches(field.get(view))));
    return matcher.orElse(null);
  }

  private static Optional<RequestMatcher> header(Node node, Problems problems) {
    Optional<Fields> fo = Fields.of(node, "header condition", HEADER_KEYS, problems);
    if (fo.isEmpty()) {
      return Optional.empty();
    }
    Fields f = fo.get();
    Optional<String> name = f.requiredText("name");
    name.filter(n -> !TOKEN.matcher(n).matches())
        .ifPresent(n -> problems.add(f.node("name").orElseThrow(), "bad header name '" + n + "'"));
    if (f.has("present")) {
      if (TextMatcherReader.KINDS.stream().anyMatch(f::has)) {
        problems.add(f.key("present").orElseThrow(), "'present' cannot be combined with a value test");
        return Optional.empty();
      }
      Optional<Boolean> present = f.bool("present");
      return name.flatMap(n -> present.map(p -> new HeaderCondition(n, p, null)));
    }
    if (TextMatcherReader.KINDS.stream().noneMatch(f::has)) {
      problems.add(f.map(), "header condition needs 'present' or one of 'prefix', 'exact', 'regex'");
      return Optional.empty();
    }
    Optional<TextMatcher> value = TextMatcherReader.fromFields(f, false);
    return name.flatMap(n -> value.map(v -> new HeaderCondition(n, null, v)));
  }

  /** Which string of the view a text condition reads; an enum so the lambda stays tiny. */
  private enum RequestViewField {
    RURI_USER(RequestView::requestUriUser),
    RURI_HOST(RequestView::requestUriHost),
    FROM_USER(RequestView::fromUser),
    FROM_DOMAIN(RequestView::fromDomain),
    TO_USER(RequestView::toUser),
    TO_DOMAIN(RequestView::toDomain);

    private final Function<RequestView, String> getter;

    RequestViewField(Function<RequestView, String> getter) {
      this.getter = getter;
    }

    String get(RequestView view) {
      return getter.apply(view);
    }
  }
}
