package io.edgesbc.deploy;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression selects: identifiers that are neither functions,
 * aggregations, keywords, label names (inside braces or after by/without/on/ignoring/group_*),
 * durations, numbers, strings nor Grafana variables ({@code $instance}, {@code $__rate_interval}).
 * A Grafana {@code label_values(EXPR, label)} query yields the names in EXPR.
 */
final class PromQlNames {

    private static final Set<String> AGGREGATIONS = Set.of("sum", "min", "max", "avg", "group", "stddev",
            "stdvar", "count", "count_values", "bottomk", "topk", "quantile");
    private static final Set<String> LABEL_LISTS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "offset", "bool", "atan2", "inf",
            "nan", "Inf", "NaN");
    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*),\\s*\\w+\\s*\\)\\s*$",
            Pattern.DOTALL);

    private PromQlNames() {
    }

    static Set<String> of(String expr) {
        Matcher lv = LABEL_VALUES.matcher(expr);
        if (lv.matches()) {
            expr = lv.group(1);
        }
        Set<String> out = new LinkedHashSet<>();
        int n = expr.length();
        int i = 0;
        while (i < n) {
            char c = expr.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = skipString(expr, i);
            } else if (c == '{') {
                i = skipPast(expr, i, '}');
            } else if (c == '[') {
                i = skipPast(expr, i, ']');
            } else if (c == '$') {
                i++;
                if (i < n && expr.charAt(i) == '{') {
                    i = skipPast(expr, i, '}');
                } else {
                    while (i < n && identPart(expr.charAt(i))) {
                        i++;
                    }
                }
            } else if (Character.isDigit(c) || c == '.') {
                while (i < n && (identPart(expr.charAt(i)) || expr.charAt(i) == '.')) {
                    i++; // 0.05, 1e3, 10m after offset
                }
            } else if (identStart(c)) {
                int start = i;
                while (i < n && identPart(expr.charAt(i))) {
                    i++;
                }
                String word = expr.substring(start, i);
                int j = i;
                while (j < n && Character.isWhitespace(expr.charAt(j))) {
                    j++;
                }
                boolean call = j < n && expr.charAt(j) == '(';
                if (LABEL_LISTS.contains(word)) {
                    if (call) {
                        i = skipPast(expr, j, ')');
                    }
                } else if (!call && !AGGREGATIONS.contains(word) && !KEYWORDS.contains(word)) {
                    out.add(word);
                }
            } else {
                i++;
            }
        }
        return out;
    }

    private static boolean identStart(char c) {
        return Character.isLetter(c) || c == '_' || c == ':';
    }

    private static boolean identPart(char c) {
        return identStart(c) || Character.isDigit(c);
    }

    private static int skipString(String s, int i) {
        char quote = s.charAt(i++);
        while (i < s.length() && s.charAt(i) != quote) {
            i += s.charAt(i) == '\\' && quote != '`' ? 2 : 1;
        }
        return i + 1;
    }

    /** From an opening bracket at i to just past its closing {@code close}, strings skipped. */
    private static int skipPast(String s, int i, char close) {
        i++;
        while (i < s.length() && s.charAt(i) != close) {
            char c = s.charAt(i);
            i = c == '"' || c == '\'' || c == '`' ? skipString(s, i) : i + 1;
        }
        return i + 1;
    }
}
