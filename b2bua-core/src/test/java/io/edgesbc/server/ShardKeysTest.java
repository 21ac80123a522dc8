package io.edgesbc.server;

import static io.edgesbc.sip.parse.SampleMessages.crlf;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.sip.message.SipMessage;
import io.edgesbc.sip.parse.ParseResult;
import io.edgesbc.sip.parse.SampleMessages;
import io.edgesbc.sip.parse.SipParser;
import org.junit.jupiter.api.Test;

class ShardKeysTest {

    private final ShardKeys keys = new ShardKeys(8);
    private static final String CALL_ID = SampleMessages.INVITE.lines().filter(l -> l.startsWith("Call-ID: "))
            .findFirst().orElseThrow().substring("Call-ID: ".length());

    private static SipMessage parse(String text) {
        return ((ParseResult.Parsed) new SipParser().parseDatagram(crlf(text))).message();
    }

    @Test
    void ourToTagNamesTheShardOfTheDialog() {
        for (int shard = 0; shard < 8; shard++) {
            String tag = keys.newTag(shard);
            SipMessage bye = parse(SampleMessages.INVITE.replace("To: <sip:+4930123456@sbc.example.net;user=phone>",
                    "To: <sip:+4930123456@sbc.example.net;user=phone>;tag=" + tag));
            assertThat(keys.shardOf(bye)).isEqualTo(shard);
        }
    }

    @Test
    void ourBranchNamesTheShardOfTheClientTransaction() {
        for (int shard = 0; shard < 8; shard++) {
            String branch = keys.newBranch(shard);
            assertThat(branch).startsWith("z9hG4bK");
            SipMessage response = parse(SampleMessages.OK_200.replace("z9hG4bK776asdhds", branch));
            assertThat(keys.shardOf(response)).isEqualTo(shard);
        }
    }

    @Test
    void requestsFromOutsideShareTheShardOfTheirCallId() {
        SipMessage invite = parse(SampleMessages.INVITE);
        SipMessage otherBranch = parse(SampleMessages.INVITE.replace("z9hG4bK776asdhds", "z9hG4bKother"));
        SipMessage forgedTag = parse(SampleMessages.INVITE.replace("user=phone>\nFrom", "user=phone>;tag=99-x\nFrom"));
        assertThat(keys.shardOf(invite)).isEqualTo(keys.shardOf(otherBranch)).isBetween(0, 7);
        assertThat(keys.shardOf(forgedTag)).as("a tag naming no shard falls back to the Call-ID")
                .isEqualTo(keys.shardOf(invite));
    }

    @Test
    void ourUacLegCallIdNamesTheShardOfTheCallWithoutTagOrBranch() {
        for (int shard = 0; shard < 8; shard++) {
            String callId = keys.newCallId(shard);
            assertThat(callId).startsWith(shard + "-").doesNotContain("@");
            SipMessage request = parse(SampleMessages.INVITE.replace(CALL_ID, callId));
            assertThat(keys.shardOf(request)).isEqualTo(shard);
            SipMessage response = parse(SampleMessages.OK_200.replace(CALL_ID, callId)
                    .replace("z9hG4bK776asdhds", "z9hG4bKnotours"));
            assertThat(keys.shardOf(response)).isEqualTo(shard);
        }
        assertThat(keys.newCallId(1)).isNotEqualTo(keys.newCallId(1));
    }

    @Test
    void aMediaSessionIdNamesTheShardOfItsCall() {
        // the media relay reports timeouts by MediaSession id, the Call-ID of the call's UAC leg
        for (int shard = 0; shard < 8; shard++) {
            assertThat(keys.shardOfOurCallId(keys.newCallId(shard))).isEqualTo(shard);
        }
    }
}
