package za.co.personalisation.deliver;

import java.util.Map;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.Body;
import software.amazon.awssdk.services.sesv2.model.Content;
import software.amazon.awssdk.services.sesv2.model.Destination;
import software.amazon.awssdk.services.sesv2.model.EmailContent;
import software.amazon.awssdk.services.sesv2.model.Message;
import software.amazon.awssdk.services.sesv2.model.MessageHeader;
import software.amazon.awssdk.services.sesv2.model.SendEmailRequest;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import za.co.personalisation.core.notify.MessageRenderer;

/**
 * Sends a rendered message: SMS through SNS Publish(PhoneNumber) as a promotional message, email through SES v2
 * with the one-click unsubscribe headers (RFC 8058) beside the link in the body.
 */
final class ChannelSender {

    private final SnsClient sns;
    private final SesV2Client ses;
    private final String emailFrom;

    ChannelSender(SnsClient sns, SesV2Client ses, String emailFrom) {
        this.sns = sns;
        this.ses = ses;
        this.emailFrom = emailFrom;
    }

    /** @return the provider's message id */
    String sms(String phoneNumber, MessageRenderer.Rendered message) {
        return sns.publish(PublishRequest.builder()
            .phoneNumber(phoneNumber)
            .message(message.body())
            .messageAttributes(Map.of("AWS.SNS.SMS.SMSType", MessageAttributeValue.builder().dataType("String")
                .stringValue("Promotional").build()))
            .build()).messageId();
    }

    /** @return the provider's message id */
    String email(String address, MessageRenderer.Rendered message) {
        return ses.sendEmail(SendEmailRequest.builder()
            .fromEmailAddress(emailFrom)
            .destination(Destination.builder().toAddresses(address).build())
            .content(EmailContent.builder().simple(Message.builder()
                .subject(Content.builder().data(message.subject()).charset("UTF-8").build())
                .body(Body.builder().text(Content.builder().data(message.body()).charset("UTF-8").build()).build())
                .headers(
                    MessageHeader.builder().name("List-Unsubscribe").value("<" + message.listUnsubscribe() + ">")
                        .build(),
                    MessageHeader.builder().name("List-Unsubscribe-Post").value("List-Unsubscribe=One-Click")
                        .build())
                .build()).build())
            .build()).messageId();
    }
}
