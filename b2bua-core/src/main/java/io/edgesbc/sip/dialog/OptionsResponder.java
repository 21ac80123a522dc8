package io.edgesbc.sip.dialog;

import io.edgesbc.sip.message.HeaderName;
import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipResponse;
import java.util.Objects;

/**
 * Answers an OPTIONS request addressed to us, outside a dialog (RFC 3261 §11.2): 200 OK with the
 * capabilities a UAS SHOULD list, Allow, Accept, Accept-Encoding, Accept-Language and Supported,
 * on top of the §8.2.6 headers. Run {@link UasChecks} first: this class does no checking. No body
 * is sent (§11.2 allows, but does not require, an SDP describing our media).
 *
 * <p>Immutable; thread-safe when the tag generator is.
 */
public final class OptionsResponder {

    private final UasCapabilities capabilities;
    private final TagGenerator tags;

    public OptionsResponder(UasCapabilities capabilities, TagGenerator tags) {
        this.capabilities = Objects.requireNonNull(capabilities, "capabilities");
        this.tags = Objects.requireNonNull(tags, "tags");
    }

    /**
     * The 200 for {@code options}.
     *
     * @throws IllegalArgumentException if the request is not an OPTIONS
     */
    public SipResponse respond(SipRequest options) {
        if (!"OPTIONS".equals(options.method())) {
            throw new IllegalArgumentException("not an OPTIONS request: " + options.method());
        }
        SipResponse.Builder b = UasResponses.to(options, 200, "OK", tags)
                .add(HeaderName.ALLOW, String.join(", ", capabilities.allowedMethods()))
                .add(HeaderName.ACCEPT, String.join(", ", capabilities.bodyTypes()))
                .add(HeaderName.ACCEPT_ENCODING, UasChecks.acceptEncoding(capabilities));
        if (!capabilities.languages().isEmpty()) {
            // §20.3: without Accept-Language the peer assumes "all languages", which is what an
            // empty language list means to us, so the header is left out then.
            b.add(HeaderName.ACCEPT_LANGUAGE, String.join(", ", capabilities.languages()));
        }
        // §20.37: an empty Supported says "no extensions"; it is sent as such.
        b.add(HeaderName.SUPPORTED, String.join(", ", capabilities.optionTags()));
        return b.build();
    }
}
