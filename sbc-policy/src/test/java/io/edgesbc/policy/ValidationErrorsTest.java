package io.edgesbc.policy;

import static io.edgesbc.policy.PolicyFixtures.TRUNKS;
import static io.edgesbc.policy.PolicyFixtures.errors;
import static io.edgesbc.policy.PolicyFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of validation error, with the exact line and column it must point at. Columns are
 * 1-based and point at the offending key or value.
 */
class ValidationErrorsTest {

  @TempDir Path dir;

  @Test
  void collectsAllTrunkErrorsAtTheirOwnPositions() {
    assertThat(errors(dir, """
        trunks:
          - name: carrier
            from: [10.0.0.0/33, 10.1.2.3/8, bogus]
            targets: ["http://x", "sip:a.example:70000", {uri: "sip:ok.example", weight: -1}]
            colour: red
            options_ping: soon
        """)).containsExactly(
            "3:12: bad CIDR '10.0.0.0/33': prefix length 33 exceeds 32",
            "3:25: bad CIDR '10.1.2.3/8': host bits set below /8",
            "3:37: bad CIDR 'bogus': 'bogus' is not an IPv4 or IPv6 address",
            "4:15: bad SIP URI target 'http://x': scheme must be sip or sips, got 'http'",
            "4:27: bad SIP URI target 'sip:a.example:70000': port must be 1-65535, got '70000'",
            "4:82: 'weight' must be between 0 and 65535, got -1",
            "5:5: unknown key 'colour' in trunk (expected one of: name, realm, from, targets, options_ping, limits, media, codecs)",
            "6:19: 'options_ping' must be a duration like 500ms, 30s, 5m or 1h, got 'soon'");
  }

  @Test
  void badIpv6CidrAndTargetHosts() {
    assertThat(errors(dir, """
        trunks:
          - name: t
            from: ["2001:db8::/129", "2001:db8::1/64"]
            targets: ["sip:[2001:db8::zz]", "sip:bad_host.example", "sip:h.example?x=y", "sip:h.example;;"]
        """)).containsExactly(
            "3:12: bad CIDR '2001:db8::/129': prefix length 129 exceeds 128",
            "3:30: bad CIDR '2001:db8::1/64': host bits set below /64",
            "4:15: bad SIP URI target 'sip:[2001:db8::zz]': bad IPv6 host '[2001:db8::zz]'",
            "4:37: bad SIP URI target 'sip:bad_host.example': bad host 'bad_host.example'",
            "4:61: bad SIP URI target 'sip:h.example?x=y': unexpected '?x=y'",
            "4:82: bad SIP URI target 'sip:h.example;;': unexpected ';;'");
  }

  @Test
  void ruleErrors() {
    assertThat(errors(dir, TRUNKS + """
        rules:
          - name: r1
            match: {trunk: nope, ruri_user: {regex: "(["}}
            reject: {code: 302}
          - name: r1
            route: {trunk: carrier, failover_code: [503]}
          - name: both
            reject: {code: 403}
            route: {trunk: pbx}
          - name: neither
            match: {method: INVITE}
          - name: bad name!
            route: {prefix_table: missing}
        """)).containsExactly(
            "12:20: unknown trunk 'nope'",
            "12:45: bad regex '([': Unclosed character class near index 1",
            "13:20: reject code must be 4xx-6xx, got 302",
            "14:11: duplicate rule name 'r1' (first defined at " + dir.resolve("policy.yaml") + ":11:11)",
            "15:29: unknown key 'failover_code' in 'route' (expected one of: trunk, targets, "
                + "prefix_table, failover_codes, balance, no_route)",
            "18:5: rule 'both' has both 'reject' and 'route'",
            "19:5: rule 'neither' needs exactly one of 'reject' or 'route'",
            "21:11: invalid rule name 'bad name!' (letters, digits, '_', '.', ':', '-'; at most 64 characters)",
            "22:27: unknown prefix table 'missing'");
  }

  @Test
  void wrongTypes() {
    assertThat(errors(dir, TRUNKS + """
        rules:
          - name: r
            match: [trunk, pbx]
            route: {trunk: [pbx], failover_codes: "503", balance: random}
            media: {mode: relay, latching: strict, timeout: 0s}
            limits: {concurrent_calls: "ten", calls_per_second: 0, burst: 2.5}
          - "just a string"
        """)).containsExactly(
            "12:12: match of rule 'r' must be a mapping, got a list",
            "13:20: 'trunk' must be a string, got a list",
            "13:43: 'failover_codes' must be a list, got a string",
            "13:59: 'balance' must be one of [weighted, ordered], got 'random'",
            "14:19: 'mode' must be one of [anchor, bypass], got 'relay'",
            "14:53: 'timeout' must be between 1s and 3600s, got '0s'",
            "15:32: 'concurrent_calls' must be an integer, got a string",
            "15:57: 'calls_per_second' must be between 0.01 and 100000, got 0",
            "15:67: 'burst' must be an integer, got a decimal number",
            "16:5: rule must be a mapping, got a string");
  }

  @Test
  void outOfRangeCodes() {
    assertThat(errors(dir, TRUNKS + """
        no_match: {code: 200}
        rules:
          - name: r
            reject: {code: 700, retry_after: -5}
          - name: s
            route: {trunk: pbx, failover_codes: [503, 399, 7xx]}
        """)).containsExactly(
            "10:18: reject code must be 4xx-6xx, got 200",
            "13:20: reject code must be 4xx-6xx, got 700",
            "13:38: 'retry_after' must be between 0 and 86400, got -5",
            "15:47: failover code must be 4xx-6xx, got 399",
            "15:52: failover code must be an integer, got a string");
  }

  @Test
  void treatmentSectionErrors() {
    assertThat(errors(dir, TRUNKS + """
        rules:
          - name: r
            match: {headers: [{name: X-A}, {name: "Bad Name", present: true}, {name: X-B, present: true, exact: y}]}
            route: {targets: ["sip:a.example"]}
            normalize:
              ruri_user: [{strip: "9"}, {regex: {match: "^9(.*)", replace: "$2"}}, {to_e164: {country_code: "+44"}}]
              to_user: [{add_prefix: "1", strip_prefix: "2"}]
            headers: {remove: [Via], add: {X-Ok: "a"}, pass_only: [Contact]}
            codecs: {allow: [PCMA, pcma], deny: [PCMA, G729], order: [G729]}
        """)).containsExactly(
            "12:23: header condition needs 'present' or one of 'prefix', 'exact', 'regex'",
            "12:43: bad header name 'Bad Name'",
            "12:83: 'present' cannot be combined with a value test",
            "15:20: unknown normalize step 'strip' (expected one of: regex, add_prefix, "
                + "strip_prefix, to_e164, from_e164)",
            "15:68: replacement refers to group $2 but the pattern has 1 group(s)",
            "15:101: country_code must be 1-3 digits without '+', got '+44'",
            "16:17: a normalize step must be a mapping with one key, one of: regex, add_prefix, "
                + "strip_prefix, to_e164, from_e164",
            "17:24: header 'Via' is managed by the B2BUA and cannot be changed by policy",
            "18:28: codec 'pcma' listed twice in 'allow'",
            "18:42: codec 'PCMA' is both allowed and denied",
            "18:63: codec 'G729' is ordered but denied");
  }

  @Test
  void rejectRuleCannotCarryRouteTreatment() {
    assertThat(errors(dir, TRUNKS + """
        rules:
          - name: r
            reject: {code: 486}
            media: {mode: bypass}
        """)).containsExactly("13:5: 'media' has no effect on a reject rule");
  }

  @Test
  void trunkReferenceProblems() {
    assertThat(errors(dir, """
        trunks:
          - name: sendonly
            targets: ["sip:a.example"]
          - name: listenonly
            from: [192.0.2.1]
          - name: sendonly
        rules:
          - name: in
            match: {trunk: sendonly}
            route: {trunk: listenonly}
        """)).containsExactly(
            "6:11: duplicate trunk name 'sendonly' (first defined at " + dir.resolve("policy.yaml") + ":2:11)",
            "9:20: trunk 'sendonly' has no 'from' addresses, so no request can come from it",
            "10:20: trunk 'listenonly' has no targets to route to");
  }

  @Test
  void unknownTopLevelKeyAndDuplicateKey() {
    assertThat(errors(dir, """
        trunk: []
        rules: []
        rules: []
        """)).containsExactly(
            "1:1: unknown key 'trunk' in policy file (expected one of: version, no_match, limits, "
                + "flood_guard, trunks, prefix_tables, rules)",
            "3:1: duplicate key 'rules' (first at line 2)");
  }

  @Test
  void yamlSyntaxErrorIsReportedWithPosition() {
    List<String> errs = errors(dir, """
        rules:
          - name: a
            reject: {code: 403
        """);
    assertThat(errs).hasSize(1);
    assertThat(errs.get(0)).isEqualTo("4:1: YAML syntax error: expected ',' or '}', but got <stream end> "
        + "(while parsing a flow mapping at line 3, column 13)");
  }

  @Test
  void aliasesAreRejected() {
    assertThat(errors(dir, """
        trunks:
          - name: a
            from: &nets [192.0.2.0/24]
          - name: b
            from: *nets
        """)).containsExactly("5:11: YAML aliases (*nets) are not supported");
  }

  @Test
  void prefixTableErrorsInlineAndCsv() {
    write(dir, "bad.csv", """
        prefix,trunk
        +44,carrier
        44x,carrier
        +33 , nowhere
        44,pbx
        just-one-field
        +1,pbx
        """);
    Path yaml = dir.resolve("policy.yaml");
    Path csv = dir.resolve("bad.csv");
    LoadResult r = PolicyLoader.load(List.of(write(dir, "policy.yaml", TRUNKS + """
        prefix_tables:
          t1:
            entries: {"4a": carrier, "49": nowhere, "1": pbx, "+1": pbx}
            file: bad.csv
          t2: {}
          t1: {entries: {"1": pbx}}
        rules:
          - name: r
            route: {prefix_table: t1}
        """)));
    assertThat(r.errors()).extracting(PolicyError::toString).containsExactly(
        yaml + ":12:15: bad prefix '4a': digits only, optionally after '+'",
        yaml + ":12:36: unknown trunk 'nowhere'",
        yaml + ":12:55: duplicate prefix '+1' (first at " + yaml + ":12)",
        yaml + ":14:7: prefix table 't2' needs 'entries', 'file' or both",
        yaml + ":15:3: duplicate key 't1' (first at line 11)",
        csv + ":3:1: bad prefix '44x': digits only, optionally after '+'",
        csv + ":4:7: unknown trunk 'nowhere'",
        csv + ":5:1: duplicate prefix '44' (first at " + csv + ":2)",
        csv + ":6:1: expected 'prefix,trunk'",
        csv + ":7:1: duplicate prefix '+1' (first at " + yaml + ":12)");
  }

  @Test
  void missingCsvIsReportedAtTheFileKey() {
    assertThat(errors(dir, TRUNKS + """
        prefix_tables:
          t: {file: nope.csv}
        """)).singleElement().asString()
        .startsWith("11:13: cannot read prefix file '" + dir.resolve("nope.csv") + "'");
  }

  @Test
  void errorsFromSeveralFilesAreAllReportedInFileOrder() {
    Path a = write(dir, "a.yaml", TRUNKS + """
        version: "1"
        rules:
          - name: r
            route: {trunk: elsewhere}
        """);
    Path b = write(dir, "b.yaml", """
        version: "2"
        trunks:
          - name: pbx
            from: [10.9.9.9]
        rules:
          - name: r
            route: {trunk: carrier}
        """);
    LoadResult result = PolicyLoader.load(List.of(a, b));
    assertThat(result.errors()).extracting(PolicyError::toString).containsExactly(
        a + ":13:20: unknown trunk 'elsewhere'",
        b + ":1:1: 'version' is already set at " + a + ":10:10",
        b + ":3:11: duplicate trunk name 'pbx' (first defined at " + a + ":6:11)",
        b + ":6:11: duplicate rule name 'r' (first defined at " + a + ":12:11)");
  }

  @Test
  void unreadableFileIsAnError() {
    Path missing = dir.resolve("missing.yaml");
    assertThat(PolicyLoader.load(List.of(missing)).errors()).singleElement().asString()
        .startsWith(missing + ":1:1: cannot read file: NoSuchFileException");
  }
}
