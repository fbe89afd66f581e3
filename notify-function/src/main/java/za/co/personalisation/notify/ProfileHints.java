package za.co.personalisation.notify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import za.co.personalisation.core.profile.Channel;

/**
 * Optional attributes of a profile item that notify reads straight from the stream image, beside what
 * {@code ProfileItems} maps (absent attributes read as "no" and "no preference"):
 *
 * <pre>
 * interests M{&lt;interest&gt; M{…, lastEventReplay BOOL}}   the event credited for the interest was replayed
 * channelPreference L&lt;S&gt;                                    the customer's channels, preferred first
 * </pre>
 */
final class ProfileHints {

    private ProfileHints() {
    }

    /** True when the event credited for {@code interest} (its {@code lastEventId}) was replayed traffic. */
    static boolean replayed(Map<String, AttributeValue> image, String interest) {
        Map<String, AttributeValue> interests = map(image.get("interests"));
        Map<String, AttributeValue> stat = map(interests.get(interest));
        AttributeValue flag = stat.get("lastEventReplay");
        return flag != null && Boolean.TRUE.equals(flag.bool());
    }

    /** The X-Ray trace id of the ingest request whose event is credited for {@code interest}; empty when none. */
    static String traceId(Map<String, AttributeValue> image, String interest) {
        Map<String, AttributeValue> stat = map(map(image.get("interests")).get(interest));
        AttributeValue value = stat.get("lastTraceId");
        return value == null || value.s() == null ? "" : value.s();
    }

    /** The customer's preferred channels, best first; empty when the profile states none. */
    static List<Channel> channelPreference(Map<String, AttributeValue> image) {
        AttributeValue value = image.get("channelPreference");
        if (value == null || !value.hasL()) {
            return List.of();
        }
        List<Channel> channels = new ArrayList<>(2);
        for (AttributeValue element : value.l()) {
            for (Channel channel : Channel.values()) {
                if (channel.wireName().equals(element.s()) && !channels.contains(channel)) {
                    channels.add(channel);
                }
            }
        }
        return channels;
    }

    private static Map<String, AttributeValue> map(AttributeValue value) {
        return value == null || !value.hasM() ? Map.of() : value.m();
    }
}
