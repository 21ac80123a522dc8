package io.edgesbc.media.relay;

import io.edgesbc.media.sdp.MediaDescription;
import io.edgesbc.media.sdp.RtpMap;
import java.util.Arrays;
import java.util.Optional;

/** RTP clock rates per payload type for the jitter calculation. */
final class ClockRates {

    private ClockRates() {
    }

    /**
     * The clock rate of every payload type 0-127 for a media section: its {@code a=rtpmap}
     * (RFC 8866 §6.6) where given, else RFC 3551 §6 tables 4 and 5 for static types, else 90,000
     * for video and 8,000 otherwise.
     */
    static int[] of(MediaDescription m) {
        int[] rates = defaults(m.media());
        for (String f : m.formats()) {
            int pt = payloadType(f);
            if (pt >= 0) {
                Optional<RtpMap> map = m.rtpmap(pt);
                if (map.isPresent() && map.get().clockRate() > 0 && map.get().clockRate() <= Integer.MAX_VALUE) {
                    rates[pt] = (int) map.get().clockRate();
                }
            }
        }
        return rates;
    }

    static int[] defaults(String media) {
        int[] rates = new int[128];
        Arrays.fill(rates, "video".equals(media) ? 90_000 : 8_000);
        rates[6] = 16_000; // DVI4/16000
        rates[10] = 44_100; // L16 stereo
        rates[11] = 44_100; // L16 mono
        rates[16] = 11_025; // DVI4/11025
        rates[17] = 22_050; // DVI4/22050
        for (int pt : new int[] {14, 25, 26, 28, 31, 32, 33, 34}) { // MPA and the video types
            rates[pt] = 90_000;
        }
        return rates;
    }

    private static int payloadType(String format) {
        if (format.isEmpty() || format.length() > 3) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < format.length(); i++) {
            char ch = format.charAt(i);
            if (ch < '0' || ch > '9') {
                return -1;
            }
            v = v * 10 + (ch - '0');
        }
        return v <= 127 ? v : -1;
    }
}
