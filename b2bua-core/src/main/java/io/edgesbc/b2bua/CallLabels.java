package io.edgesbc.b2bua;

/**
 * Names a router gives a call for the operator's eyes: the trunk it came from, the trunk it goes
 * to, the rule that routed it. Any may be null (unknown source, static routes). Used as metric
 * labels, in the CDR and in the admin API's call list.
 */
public record CallLabels(String sourceTrunk, String targetTrunk, String rule) {

    public static final CallLabels NONE = new CallLabels(null, null, null);
}
