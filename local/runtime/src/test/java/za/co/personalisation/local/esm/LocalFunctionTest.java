package za.co.personalisation.local.esm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import za.co.personalisation.aws.log.JsonLog;
import za.co.personalisation.aws.log.LogSink;
import za.co.personalisation.local.template.FunctionDefinition;

/**
 * Lambda's execution model as the local runtime reproduces it (Lambda developer guide, "Lambda execution
 * environment lifecycle" and "Configure Lambda function timeout"): the handler is built once per execution
 * environment, on its first invocation (the Init phase, logged with its duration); the Context reports the
 * function's memory size and the time left; an invocation longer than the Timeout fails ("Task timed out") and the
 * environment is not reused; concurrent invocations run in separate environments.
 */
class LocalFunctionTest {

    private final List<String> logLines = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger constructed = new AtomicInteger();

    @BeforeEach
    void captureLogs() {
        JsonLog.setDefaultSink(logLines::add);
    }

    @AfterEach
    void restoreLogs() {
        JsonLog.setDefaultSink(LogSink.stdout());
    }

    @Test
    void invoke_givesTheContextTheFunctionsNameMemoryAndDeadline() {
        List<Context> seen = new ArrayList<>();
        LocalFunction function = function(Duration.ofSeconds(30), (event, context) -> {
            seen.add(context);
            return "ok";
        });

        assertThat(function.newInstance().invoke("event")).isEqualTo("ok");

        Context context = seen.get(0);
        assertThat(context.getMemoryLimitInMB()).isEqualTo(1024);
        assertThat(context.getFunctionName()).isEqualTo("personalisation-test-local");
        assertThat(context.getInvokedFunctionArn()).endsWith(":function:personalisation-test-local");
        assertThat(context.getRemainingTimeInMillis()).isBetween(1, 30_000);
        assertThat(context.getAwsRequestId()).isNotBlank();
    }

    @Test
    void invoke_buildsTheHandlerOncePerEnvironment_andLogsTheColdStartsInitDuration() {
        LocalFunction function = function(Duration.ofSeconds(30), (event, context) -> "ok");
        LocalFunction.Instance instance = function.newInstance();

        instance.invoke("1");
        instance.invoke("2");

        assertThat(constructed.get()).isEqualTo(1);
        assertThat(function.coldStarts()).isEqualTo(1);
        assertThat(logLines).filteredOn(line -> line.contains("\"message\":\"lambda.init\"")).singleElement()
            .satisfies(line -> assertThat(line).contains("\"initDurationMs\":").contains("\"functionId\":\"Test"));
        assertThat(logLines).filteredOn(line -> line.contains("\"message\":\"lambda.report\"")).hasSize(2)
            .first().satisfies(line -> assertThat(line).contains("\"initDurationMs\":"));
    }

    @Test
    void invoke_pastTheTimeout_failsAsTaskTimedOut_interruptsTheHandler_andStartsColdNextTime() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        CountDownLatch gaveUp = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        LocalFunction function = function(Duration.ofMillis(300), (event, context) -> {
            if (calls.incrementAndGet() > 1) {
                return "fresh";
            }
            try {
                never.await();
            } catch (InterruptedException e) {
                interrupted.set(true);
            } finally {
                gaveUp.countDown();
            }
            return "too late";
        });
        LocalFunction.Instance instance = function.newInstance();

        assertThatThrownBy(() -> instance.invoke("slow")).isInstanceOf(LocalFunction.FunctionTimeoutException.class)
            .hasMessage("Task timed out after 0.30 seconds");

        assertThat(gaveUp.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(interrupted).isTrue();
        assertThat(function.timeouts()).isEqualTo(1);
        assertThat(function.errors()).isEqualTo(1);
        assertThat(instance.invoke("next")).isEqualTo("fresh");
        assertThat(constructed.get()).as("the timed-out environment was discarded").isEqualTo(2);
    }

    @Test
    void invoke_whenTheHandlerThrows_rethrowsItAsTheFunctionError() {
        LocalFunction function = function(Duration.ofSeconds(30), (event, context) -> {
            throw new IllegalStateException("boom");
        });

        assertThatThrownBy(() -> function.newInstance().invoke("x")).isInstanceOf(IllegalStateException.class)
            .hasMessage("boom");
        assertThat(function.errors()).isEqualTo(1);
    }

    @Test
    void invoke_whenTheHandlerThrowsAnError_failsAsRuntimeExited_andTheNextInvocationStartsCold() {
        AtomicInteger calls = new AtomicInteger();
        LocalFunction function = function(Duration.ofSeconds(30), (event, context) -> {
            if (calls.incrementAndGet() == 1) {
                throw new OutOfMemoryError("injected");
            }
            return "fresh";
        });
        LocalFunction.Instance instance = function.newInstance();

        assertThatThrownBy(() -> instance.invoke("x")).isInstanceOf(LocalFunction.FunctionCrashedException.class)
            .hasMessageContaining("Runtime exited").hasCauseInstanceOf(OutOfMemoryError.class);

        assertThat(function.errors()).isEqualTo(1);
        assertThat(instance.invoke("next")).isEqualTo("fresh");
        assertThat(constructed.get()).as("the crashed environment was discarded").isEqualTo(2);
        assertThat(logLines).anyMatch(line -> line.contains("\"outcome\":\"crash\""));
    }

    @Test
    void timeOutNow_endsTheRunningInvocationAsATimeout_longBeforeItsTimeout() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        List<Thread> threads = Collections.synchronizedList(new ArrayList<>());
        LocalFunction function = function(Duration.ofSeconds(60), (event, context) -> {
            threads.add(Thread.currentThread());
            assertThat(LocalFunction.functionOn(Thread.currentThread())).isEqualTo("TestFunction");
            inside.countDown();
            try {
                new CountDownLatch(1).await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
            return "too late";
        });
        ExecutorService cutter = Executors.newSingleThreadExecutor();
        try {
            Future<Boolean> cut = cutter.submit(() -> inside.await(20, TimeUnit.SECONDS)
                && LocalFunction.timeOutNow(threads.get(0)));
            long started = System.nanoTime();

            assertThatThrownBy(() -> function.newInstance().invoke("x"))
                .isInstanceOf(LocalFunction.FunctionTimeoutException.class);

            assertThat(cut.get(20, TimeUnit.SECONDS)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
            assertThat(function.timeouts()).isEqualTo(1);
            assertThat(FrozenSandbox.isFrozen(threads.get(0))).isTrue();
        } finally {
            cutter.shutdownNow();
        }
        assertThat(LocalFunction.timeOutNow(Thread.currentThread())).as("nothing runs on this thread").isFalse();
    }

    @Test
    void aThreadTheHandlerStarted_worksForItsInvocation_andIsFrozenWithItsSandbox() throws Exception {
        CountDownLatch timedOut = new CountDownLatch(1);
        CountDownLatch looked = new CountDownLatch(1);
        List<Object> seen = Collections.synchronizedList(new ArrayList<>());
        LocalFunction function = function(Duration.ofMillis(300), (event, context) -> {
            Thread writer = new Thread(() -> {
                seen.add(LocalFunction.currentFunction());
                seen.add(LocalFunction.inFrozenSandbox());
                try {
                    timedOut.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                seen.add(LocalFunction.inFrozenSandbox());
                looked.countDown();
            });
            writer.start();
            try {
                new CountDownLatch(1).await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "late";
        });

        assertThatThrownBy(() -> function.newInstance().invoke("x"))
            .isInstanceOf(LocalFunction.FunctionTimeoutException.class);
        timedOut.countDown();

        assertThat(looked.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(seen).containsExactly("TestFunction", false, true);
        assertThat(LocalFunction.currentFunction()).as("the test's own thread works for no invocation").isNull();
    }

    @Test
    void invokePooled_reusesAnIdleEnvironment_andAddsOneWhenAllAreBusy() throws Exception {
        CountDownLatch bothInside = new CountDownLatch(2);
        LocalFunction function = function(Duration.ofSeconds(30), (event, context) -> {
            if (event.equals("concurrent")) {
                bothInside.countDown();
                try {
                    bothInside.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return "ok";
        });
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try {
            Future<Object> first = callers.submit(() -> function.invokePooled("concurrent"));
            Future<Object> second = callers.submit(() -> function.invokePooled("concurrent"));
            first.get(30, TimeUnit.SECONDS);
            second.get(30, TimeUnit.SECONDS);
        } finally {
            callers.shutdownNow();
        }
        assertThat(constructed.get()).as("two concurrent requests, two environments").isEqualTo(2);

        function.invokePooled("later");
        function.invokePooled("later");

        assertThat(constructed.get()).as("warm environments are reused").isEqualTo(2);
    }

    private LocalFunction function(Duration timeout, RequestHandler<Object, Object> body) {
        FunctionDefinition definition = new FunctionDefinition("TestFunction", "personalisation-test-local",
            "x.Handler::handleRequest", "", 1024, timeout, Map.of(), List.of());
        return new LocalFunction(definition, "arn:aws:lambda:af-south-1:123456789012:function:"
            + "personalisation-test-local", () -> {
                constructed.incrementAndGet();
                return (event, context) -> body.handleRequest(event, context);
            });
    }
}
