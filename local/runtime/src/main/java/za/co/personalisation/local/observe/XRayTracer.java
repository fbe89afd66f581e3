package za.co.personalisation.local.observe;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.xray.AWSXRay;
import com.amazonaws.xray.AWSXRayRecorder;
import com.amazonaws.xray.AWSXRayRecorderBuilder;
import com.amazonaws.xray.config.DaemonConfiguration;
import com.amazonaws.xray.emitters.Emitter;
import com.amazonaws.xray.entities.Segment;
import com.amazonaws.xray.entities.TraceHeader;
import com.amazonaws.xray.strategy.sampling.AllSamplingStrategy;
import java.util.Map;
import java.util.concurrent.Callable;
import za.co.personalisation.local.esm.LocalFunction;

/**
 * What Lambda's active tracing does, locally: a segment per invocation, named after the function, continuing the
 * API request's trace (its X-Amzn-Trace-Id) when there is one. The functions' AWS calls become subsegments through
 * the X-Ray SDK interceptor in AwsClients, and the segments go over UDP to the local daemon, {@link XRayRelay}.
 * Every request is sampled, as the template's sampling rule says.
 */
public final class XRayTracer implements LocalFunction.Tracer {

    private final AWSXRayRecorder recorder;

    public XRayTracer(String daemonAddress) {
        DaemonConfiguration daemon = new DaemonConfiguration();
        daemon.setDaemonAddress(daemonAddress);
        try {
            this.recorder = AWSXRayRecorderBuilder.standard()
                .withSamplingStrategy(new AllSamplingStrategy())
                .withEmitter(Emitter.create(daemon))
                .build();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot open the X-Ray emitter towards " + daemonAddress, e);
        }
        // the SDK interceptor in AwsClients records into the global recorder
        AWSXRay.setGlobalRecorder(recorder);
    }

    @Override
    public Object trace(String functionName, Object event, Callable<Object> invocation) throws Exception {
        TraceHeader header = header(event);
        Segment segment = header != null && header.getRootTraceId() != null
            ? recorder.beginSegment(functionName, header.getRootTraceId(), header.getParentId())
            : recorder.beginSegment(functionName);
        segment.setOrigin("AWS::Lambda::Function");
        try {
            return invocation.call();
        } catch (Exception | Error e) {
            segment.addException(e);
            throw e;
        } finally {
            recorder.endSegment();
        }
    }

    private static TraceHeader header(Object event) {
        if (!(event instanceof APIGatewayProxyRequestEvent request) || request.getHeaders() == null) {
            return null;
        }
        for (Map.Entry<String, String> entry : request.getHeaders().entrySet()) {
            if (entry.getKey().equalsIgnoreCase("X-Amzn-Trace-Id")) {
                return TraceHeader.fromString(entry.getValue());
            }
        }
        return null;
    }
}
