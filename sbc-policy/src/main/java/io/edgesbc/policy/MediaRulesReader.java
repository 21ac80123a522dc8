package io.edgesbc.policy;

import io.edgesbc.policy.source.Fields;
import io.edgesbc.policy.source.Node;
import io.edgesbc.policy.source.Problems;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads {@code media: {mode: anchor|bypass, latching: latch|strict, timeout: 30s}}. A key left out
 * keeps the default: anchored, the relay's latching and media timeout. Latching and timeout are
 * the relay's, so they are refused with {@code mode: bypass}, where no relay is involved.
 */
final class MediaRulesReader {

  private static final List<String> KEYS = List.of("mode", "latching", "timeout");

  private MediaRulesReader() {}

  static MediaRules read(Node node, Problems problems) {
    Optional<Fields> fo = Fields.of(node, "'media'", KEYS, problems);
    if (fo.isEmpty()) {
      return MediaRules.DEFAULT;
    }
    Fields f = fo.get();
    MediaRules.Mode mode = choice(f, "mode", MediaRules.Mode.class, MediaRules.DEFAULT.mode());
    MediaRules.Latching latching = choice(f, "latching", MediaRules.Latching.class, null);
    Duration timeout = f.node("timeout")
        .flatMap(n -> DurationValues.read(n, "'timeout'", Duration.ofSeconds(1), Duration.ofHours(1), problems))
        .orElse(null);
    if (mode == MediaRules.Mode.BYPASS) {
      for (String key : List.of("latching", "timeout")) {
        f.key(key).ifPresent(k -> problems.add(k, "'" + key + "' has no effect with 'mode: bypass' (no relay)"));
      }
    }
    return new MediaRules(mode, latching, timeout);
  }

  static <E extends Enum<E>> E choice(Fields f, String key, Class<E> type, E dflt) {
    Optional<String> text = f.text(key);
    if (text.isEmpty()) {
      return dflt;
    }
    for (E e : type.getEnumConstants()) {
      if (e.name().toLowerCase(Locale.ROOT).equals(text.get())) {
        return e;
      }
    }
    f.problems().add(f.node(key).orElseThrow(), "'" + key + "' must be one of "
        + Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList()
        + ", got '" + text.get() + "'");
    return dflt;
  }
}
