package io.edgesbc.policy;

import io.edgesbc.policy.prefix.PrefixTable;
import io.edgesbc.policy.source.Problems;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Shared state of one load: the problem list and what earlier passes defined. Trunks and tables
 * are read from all files before any rule, so a rule may reference a trunk from a later file.
 */
final class LoadContext {

  final Problems problems = new Problems();
  final NameRegistry trunkNames = new NameRegistry("trunk", problems);
  final NameRegistry tableNames = new NameRegistry("prefix table", problems);
  final NameRegistry ruleNames = new NameRegistry("rule", problems);
  /** Valid trunks only; an invalid one is still in {@link #trunkNames}, to avoid follow-on errors. */
  final Map<String, Trunk> trunks = new LinkedHashMap<>();
  final Map<String, PrefixTable> tables = new LinkedHashMap<>();
  /** Distinct trunk names each valid table can return. */
  final Map<String, List<String>> tableTrunks = new LinkedHashMap<>();
  /** Every file read (YAML and CSV), in read order; what a file watcher has to watch. */
  final Set<Path> files = new LinkedHashSet<>();
  /** Hash over every byte read (YAML and CSV), in read order. */
  final MessageDigest digest = sha256();

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM must provide SHA-256", e);
    }
  }
}
