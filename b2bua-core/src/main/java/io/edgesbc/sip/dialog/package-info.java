/**
 * The UAS core checks of RFC 3261 §8.2 and dialog state of §12.
 *
 * <ul>
 *   <li>{@link io.edgesbc.sip.dialog.UasChecks}: the §8.2 request checks, in the RFC's order, as a
 *       function from a request to {@link io.edgesbc.sip.dialog.UasVerdict} (pass, answer with a
 *       ready-to-send error response, or drop an ACK);</li>
 *   <li>{@link io.edgesbc.sip.dialog.MergedRequestDetector}: §8.2.2.2 merged-request memory;</li>
 *   <li>{@link io.edgesbc.sip.dialog.Dialog} and {@link io.edgesbc.sip.dialog.DialogTable}: §12
 *       dialog state, in-dialog request matching (481, 500) and in-dialog request construction;</li>
 *   <li>{@link io.edgesbc.sip.dialog.OptionsResponder}: §11.2 answers to OPTIONS.</li>
 * </ul>
 *
 * <p>Threading: {@link io.edgesbc.sip.dialog.UasChecks}, {@link io.edgesbc.sip.dialog.OptionsResponder}
 * and {@link io.edgesbc.sip.dialog.UasCapabilities} are immutable and may be shared. Dialogs, the
 * dialog table and the merged-request detector are owned by one event-loop thread and are not
 * thread-safe by design: no locks, no volatile state.
 */
package io.edgesbc.sip.dialog;
