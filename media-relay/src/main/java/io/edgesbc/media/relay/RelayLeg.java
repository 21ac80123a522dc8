package io.edgesbc.media.relay;

import io.edgesbc.media.sdp.LegSdpState;
import io.edgesbc.media.sdp.SessionDescription;
import java.util.ArrayList;
import java.util.List;

/**
 * One leg of a relayed call: the party it faces, the realm it faces it through, and one
 * {@link RelaySection} per media section. Guarded by the call's monitor.
 */
final class RelayLeg {

    /** Null for the answering leg until its first answer or offer names it. */
    String legId;
    final RealmRuntime realm;
    /** What the relay last sent on this leg (fixes o=, bumps its version on change). */
    LegSdpState sent = LegSdpState.initial();
    /** What this leg's party last sent, or null. */
    SessionDescription received;
    /** Index = media section index; null where nothing is allocated. */
    final List<RelaySection> sections = new ArrayList<>();
    /** Whether the party's last SDP holds every accepted stream (sendonly/recvonly/inactive or 0.0.0.0). */
    boolean holding;

    RelayLeg(String legId, RealmRuntime realm) {
        this.legId = legId;
        this.realm = realm;
    }

    RelaySection section(int index) {
        return index < sections.size() ? sections.get(index) : null;
    }

    void put(int index, RelaySection section) {
        while (sections.size() <= index) {
            sections.add(null);
        }
        sections.set(index, section);
    }
}
