package io.edgesbc.b2bua;

/**
 * The CDR of one call, written once when it ends.
 *
 * @param call        the call as it stood at its end (ids, realms, labels, parties, start/ring/answer times)
 * @param endMillis   when both legs were over, epoch milliseconds
 * @param outcome     how it went
 * @param uasCode     the final response the caller got on the UAS leg (200 when answered; 0 if none)
 * @param uacCode     the last final response of the UAC leg (0 if none: cancelled early, never sent)
 * @param endedBy     who ended it
 * @param reason      why, in words (for the log and the CDR)
 * @param media       the call's media statistics, {@link MediaSummary#NONE} without anchoring
 */
public record CallRecord(CallSnapshot call, long endMillis, Outcome outcome, int uasCode, int uacCode,
                         EndedBy endedBy, String reason, MediaSummary media) {

    /** How a call went. */
    public enum Outcome { ANSWERED, FAILED, CANCELLED, REJECTED, TIMED_OUT }

    /** Who ended a call. */
    public enum EndedBy { CALLER, CALLEE, EDGESBC }

    /** Seconds between answer and end; 0 for calls never answered. */
    public double durationSeconds() {
        return call.answerMillis() < 0 ? 0 : (endMillis - call.answerMillis()) / 1000.0;
    }
}
