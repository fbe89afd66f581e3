package za.co.personalisation.local.emulator;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5: one moto server per test JVM, started on first use on a free port, reset before each test class (so
 * classes do not see each other's tables and queues), stopped when the JVM's tests are done.
 *
 * <p>Tests take a {@link MotoServer} or an {@link Emulator} (endpoint and the environment a function would see)
 * as a parameter.
 */
public final class MotoExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
        MotoExtension.class);

    /** The running emulator as a test sees it. */
    public record Emulator(MotoServer server) {

        public URI endpoint() {
            return server.endpoint();
        }

        /**
         * The environment a function gets against this emulator (endpoint, region, credentials, the erasure
         * tombstones' key, the control-group draw's key).
         */
        public Map<String, String> environment() {
            return Map.of(
                "AWS_ENDPOINT_URL", server.endpoint().toString(),
                "AWS_REGION", MotoServer.REGION,
                "AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", MotoServer.SECRET_KEY,
                "ERASURE_KEY", MotoServer.ERASURE_KEY,
                "HOLDOUT_KEY", MotoServer.HOLDOUT_KEY);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server(context).reset();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == MotoServer.class || type == Emulator.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        MotoServer server = server(context);
        return parameter.getParameter().getType() == MotoServer.class ? server : new Emulator(server);
    }

    private static MotoServer server(ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(NAMESPACE);
        return store.computeIfAbsent("server", key -> new Running(MotoServer.start(ProjectRoot.find(), 0,
            ProjectRoot.find().resolve(".local-aws/logs/moto-test-" + ProcessHandle.current().pid() + ".log"))),
            Running.class).server();
    }

    /** Closed by JUnit when the root context closes: after every test of this JVM. */
    private record Running(MotoServer server) implements AutoCloseable {

        @Override
        public void close() {
            server.close();
        }
    }
}
