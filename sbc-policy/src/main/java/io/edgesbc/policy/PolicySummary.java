package io.edgesbc.policy;

/**
 * What a loaded policy contains, for logs and the check tool.
 *
 * @param contentHash SHA-256 (hex) over all rule and CSV file contents in load order; equal
 *     hashes mean an identical policy, which lets a future reload skip no-op changes
 * @param version the operator's {@code version} string, or null if none was given
 */
public record PolicySummary(int files, int trunks, int rules, int prefixTables, int prefixes,
    String contentHash, String version) {

  /** One line, e.g. for a startup log. */
  public String describe() {
    return "policy " + (version == null ? "(no version)" : "version " + version)
        + ": " + files + " file(s), " + trunks + " trunk(s), " + rules + " rule(s), "
        + prefixTables + " prefix table(s) with " + prefixes + " prefix(es), sha256 "
        + contentHash.substring(0, 16);
  }
}
