package io.edgesbc.server;

import io.edgesbc.policy.admission.Admission;
import io.edgesbc.server.policy.PolicyRouter;

/** The policy's flood guard as the SIP core's {@link RequestScreen}. */
final class PolicyScreen {

    private PolicyScreen() {
    }

    static RequestScreen of(PolicyRouter router) {
        return (source, realm) -> {
            Admission.Rejected r = router.screen(source, realm);
            return r == null ? null : new RequestScreen.Refusal(r.sipCode(), r.sipPhrase(), r.retryAfterSeconds());
        };
    }
}
