package io.edgesbc.b2bua;

/**
 * A call as it stands, for the admin API's call list and the events: its id (EdgeSBC's own, the
 * UAC leg's Call-ID; never one a party chose), both legs' Call-IDs, realms, labels, state, and
 * times in epoch milliseconds (-1 when that moment has not come).
 */
public record CallSnapshot(String id, String uasCallId, String uacCallId, String callerRealm, String calleeRealm,
                           CallLabels labels, String state, String caller, String called, long startMillis,
                           long ringMillis, long answerMillis) {
}
